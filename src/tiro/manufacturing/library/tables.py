"""SQL tables of the manufacturing data library (제조 AX 데이터 라이브러리).

Members, assets, usage policies, access contracts and compute requests. Each workflow state
is a closed list held by a CHECK constraint, and each state carries the columns it needs
(an offered contract has its policy snapshot, a released request its result, a withheld one
its reason): the database refuses a row that contradicts its state even if a service were
wrong. Migration ``0009_manufacturing_library`` builds the same tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from tiro.core.db import Base, TimestampMixin

LIBRARY_ROLES = ("owner", "analyst", "steward", "auditor")
SENSITIVITIES = ("public", "internal", "confidential", "restricted")
CONTRACT_STATES = ("requested", "offered", "agreed", "finalised", "terminated")
REQUEST_STATES = ("pending", "approved", "rejected", "running", "released", "withheld")
#: JSON columns that are SQL NULL when absent (so CHECK ``IS NULL`` sees them).
NULLABLE_JSON = JSON(none_as_null=True)
ASSET_ID = "manufacturing_library_assets.id"


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class LibraryMember(TimestampMixin, Base):
    """A core user's library role in one organisation (a user may hold several)."""

    __tablename__ = "manufacturing_library_members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_name: Mapped[str] = mapped_column(ForeignKey("users.name", name="fk_mfg_lib_members_user"))
    organisation: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    added_by: Mapped[str] = mapped_column(String(120))

    __table_args__ = (
        UniqueConstraint("user_name", "organisation", "role", name="uq_mfg_library_member"),
        CheckConstraint(_in("role", LIBRARY_ROLES), name="role_known"),
        CheckConstraint("length(organisation) > 0", name="organisation_named"),
    )


class LibraryAsset(TimestampMixin, Base):
    """A data set held by the library: where its Parquet file is, what it is, its hash."""

    __tablename__ = "manufacturing_library_assets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    organisation: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(200))
    sensitivity: Mapped[str] = mapped_column(String(20))
    schema: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    row_count: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    storage_path: Mapped[str] = mapped_column(String(200))
    mock: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    label: Mapped[str | None] = mapped_column(String(200), nullable=True)
    registered_by: Mapped[str] = mapped_column(String(120))

    __table_args__ = (
        CheckConstraint(_in("sensitivity", SENSITIVITIES), name="sensitivity_known"),
        CheckConstraint("length(content_hash) = 64", name="hash_sha256"),
        CheckConstraint("row_count >= 0", name="rows_nonneg"),
    )


class LibraryPolicy(TimestampMixin, Base):
    """One version of an asset's usage policy; a new ``policies set`` adds a version."""

    __tablename__ = "manufacturing_library_policies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey(ASSET_ID, name="fk_mfg_lib_policies_asset"))
    version: Mapped[int] = mapped_column(Integer)
    terms: Mapped[dict[str, Any]] = mapped_column(JSON)
    expires_on: Mapped[dt.date] = mapped_column(Date)
    min_group_size: Mapped[int] = mapped_column(Integer)
    max_rows: Mapped[int] = mapped_column(Integer)
    label: Mapped[str | None] = mapped_column(String(200), nullable=True)
    set_by: Mapped[str] = mapped_column(String(120))

    __table_args__ = (
        UniqueConstraint("asset_id", "version", name="uq_mfg_library_policy_version"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("min_group_size >= 1", name="k_positive"),
        CheckConstraint("max_rows >= 1", name="max_rows_positive"),
    )


class LibraryContract(TimestampMixin, Base):
    """An access contract: requested → offered → agreed → finalised | terminated."""

    __tablename__ = "manufacturing_library_contracts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey(ASSET_ID, name="fk_mfg_lib_contracts_asset"))
    organisation: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(20))
    requested_by: Mapped[str] = mapped_column(String(120))
    policy_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    terms: Mapped[dict[str, Any] | None] = mapped_column(NULLABLE_JSON, nullable=True)
    expires_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    offered_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    agreed_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    finalised_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    terminated_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    terminated_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        CheckConstraint(_in("state", CONTRACT_STATES), name="state_known"),
        CheckConstraint(
            "state IN ('requested', 'terminated') OR (offered_by IS NOT NULL"
            " AND terms IS NOT NULL AND policy_version IS NOT NULL AND expires_on IS NOT NULL)",
            name="offer_has_terms",
        ),
        CheckConstraint(
            "state NOT IN ('agreed', 'finalised') OR agreed_by IS NOT NULL", name="agreed_by_set"
        ),
        CheckConstraint("state <> 'finalised' OR finalised_by IS NOT NULL", name="final_by_set"),
        CheckConstraint(
            "(state = 'terminated') = (terminated_by IS NOT NULL)", name="terminated_by_set"
        ),
        Index("ix_mfg_library_contracts_asset", "asset_id", "state"),
    )


class LibraryRequest(TimestampMixin, Base):
    """A compute request under a finalised contract; results are stored only once released."""

    __tablename__ = "manufacturing_library_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("manufacturing_library_contracts.id", name="fk_mfg_lib_requests_contract")
    )
    asset_id: Mapped[int] = mapped_column(ForeignKey(ASSET_ID, name="fk_mfg_lib_requests_asset"))
    recipe_kind: Mapped[str] = mapped_column(String(40))
    recipe: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(20))
    submitted_by: Mapped[str] = mapped_column(String(120))
    mock_run: Mapped[dict[str, Any]] = mapped_column(JSON)
    decided_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    decision_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    executed_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    data_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(NULLABLE_JSON, nullable=True)
    result_rows: Mapped[int | None] = mapped_column(Integer, nullable=True)
    withheld_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    cpu_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    wall_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_rss_mb: Mapped[float | None] = mapped_column(Float, nullable=True)

    __table_args__ = (
        CheckConstraint(_in("state", REQUEST_STATES), name="state_known"),
        CheckConstraint("state IN ('pending') OR decided_by IS NOT NULL", name="decided_by_set"),
        CheckConstraint(
            "state NOT IN ('running', 'released', 'withheld') OR executed_by IS NOT NULL",
            name="executed_by_set",
        ),
        CheckConstraint("(state = 'released') = (result IS NOT NULL)", name="result_iff_released"),
        CheckConstraint(
            "(state = 'withheld') = (withheld_reason IS NOT NULL)", name="reason_iff_withheld"
        ),
        Index("ix_mfg_library_requests_contract", "contract_id", "state"),
    )


class LibraryIdempotencyKey(TimestampMixin, Base):
    """The first answer to a creating request sent with an ``Idempotency-Key`` header.

    Keys are per actor (two users' keys never collide); the request hash covers the route
    and the body, so the same key with another body is refused, not replayed. Migration
    ``0011_library_idempotency`` builds it.
    """

    __tablename__ = "manufacturing_library_idempotency_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor: Mapped[str] = mapped_column(String(120))
    key: Mapped[str] = mapped_column(String(120))
    route: Mapped[str] = mapped_column(String(80))
    request_hash: Mapped[str] = mapped_column(String(64))
    response: Mapped[dict[str, Any]] = mapped_column(JSON)

    __table_args__ = (
        UniqueConstraint("actor", "key", name="uq_mfg_library_idempotency_actor_key"),
        CheckConstraint("length(key) > 0", name="key_given"),
        CheckConstraint("length(request_hash) = 64", name="hash_sha256"),
    )
