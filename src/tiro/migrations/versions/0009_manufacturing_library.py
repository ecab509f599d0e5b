"""manufacturing: the data library — members, assets, usage policies, contracts, compute requests

Revision ID: 0009_manufacturing_library
Revises: 0008_energy_cases
Create Date: 2026-12-05

States are closed lists and each state carries the columns it needs (CHECKs): an offered
contract has its policy snapshot, a released request its result, a withheld one its reason.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_manufacturing_library"
down_revision = "0008_energy_cases"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
JSONN = sa.JSON(none_as_null=True)
M, A, P, C, R = (
    "manufacturing_library_members",
    "manufacturing_library_assets",
    "manufacturing_library_policies",
    "manufacturing_library_contracts",
    "manufacturing_library_requests",
)


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    ]


def _ck(table: str, name: str, sql: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(sql, name=op.f(f"ck_{table}_{name}"))  # final: no convention


def upgrade() -> None:
    op.create_table(
        M,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "user_name",
            sa.String(120),
            sa.ForeignKey("users.name", name="fk_mfg_lib_members_user"),
            nullable=False,
        ),
        sa.Column("organisation", sa.String(120), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("added_by", sa.String(120), nullable=False),
        *_stamps(),
        sa.UniqueConstraint("user_name", "organisation", "role", name="uq_mfg_library_member"),
        _ck(M, "role_known", "role IN ('owner', 'analyst', 'steward', 'auditor')"),
        _ck(M, "organisation_named", "length(organisation) > 0"),
    )
    op.create_table(
        A,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("organisation", sa.String(120), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("sensitivity", sa.String(20), nullable=False),
        sa.Column("schema", sa.JSON, nullable=False),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("storage_path", sa.String(200), nullable=False),
        sa.Column("mock", sa.JSON, nullable=False),
        sa.Column("label", sa.String(200), nullable=True),
        sa.Column("registered_by", sa.String(120), nullable=False),
        *_stamps(),
        sa.UniqueConstraint("name", name=f"uq_{A}_name"),
        _ck(A, "sensitivity_known",
            "sensitivity IN ('public', 'internal', 'confidential', 'restricted')"),
        _ck(A, "hash_sha256", "length(content_hash) = 64"),
        _ck(A, "rows_nonneg", "row_count >= 0"),
    )  # fmt: skip
    op.create_table(
        P,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "asset_id",
            sa.Integer,
            sa.ForeignKey(f"{A}.id", name="fk_mfg_lib_policies_asset"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("terms", sa.JSON, nullable=False),
        sa.Column("expires_on", sa.Date, nullable=False),
        sa.Column("min_group_size", sa.Integer, nullable=False),
        sa.Column("max_rows", sa.Integer, nullable=False),
        sa.Column("label", sa.String(200), nullable=True),
        sa.Column("set_by", sa.String(120), nullable=False),
        *_stamps(),
        sa.UniqueConstraint("asset_id", "version", name="uq_mfg_library_policy_version"),
        _ck(P, "version_positive", "version >= 1"),
        _ck(P, "k_positive", "min_group_size >= 1"),
        _ck(P, "max_rows_positive", "max_rows >= 1"),
    )
    op.create_table(
        C,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("asset_id", sa.Integer, sa.ForeignKey(f"{A}.id", name="fk_mfg_lib_contracts_asset"), nullable=False),
        sa.Column("organisation", sa.String(120), nullable=False),
        sa.Column("purpose", sa.String(120), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("requested_by", sa.String(120), nullable=False),
        sa.Column("policy_version", sa.Integer, nullable=True),
        sa.Column("terms", JSONN, nullable=True),
        sa.Column("expires_on", sa.Date, nullable=True),
        sa.Column("offered_by", sa.String(120), nullable=True),
        sa.Column("agreed_by", sa.String(120), nullable=True),
        sa.Column("finalised_by", sa.String(120), nullable=True),
        sa.Column("terminated_by", sa.String(120), nullable=True),
        sa.Column("terminated_reason", sa.Text, nullable=True),
        *_stamps(),
        _ck(C, "state_known",
            "state IN ('requested', 'offered', 'agreed', 'finalised', 'terminated')"),
        _ck(C, "offer_has_terms",
            "state IN ('requested', 'terminated') OR (offered_by IS NOT NULL"
            " AND terms IS NOT NULL AND policy_version IS NOT NULL AND expires_on IS NOT NULL)"),
        _ck(C, "agreed_by_set", "state NOT IN ('agreed', 'finalised') OR agreed_by IS NOT NULL"),
        _ck(C, "final_by_set", "state <> 'finalised' OR finalised_by IS NOT NULL"),
        _ck(C, "terminated_by_set", "(state = 'terminated') = (terminated_by IS NOT NULL)"),
    )  # fmt: skip
    op.create_table(
        R,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("contract_id", sa.Integer, sa.ForeignKey(f"{C}.id", name="fk_mfg_lib_requests_contract"), nullable=False),
        sa.Column("asset_id", sa.Integer, sa.ForeignKey(f"{A}.id", name="fk_mfg_lib_requests_asset"), nullable=False),
        sa.Column("recipe_kind", sa.String(40), nullable=False),
        sa.Column("recipe", sa.JSON, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("submitted_by", sa.String(120), nullable=False),
        sa.Column("mock_run", sa.JSON, nullable=False),
        sa.Column("decided_by", sa.String(120), nullable=True),
        sa.Column("decision_note", sa.Text, nullable=True),
        sa.Column("executed_by", sa.String(120), nullable=True),
        sa.Column("data_hash", sa.String(64), nullable=True),
        sa.Column("result", JSONN, nullable=True),
        sa.Column("result_rows", sa.Integer, nullable=True),
        sa.Column("withheld_reason", sa.Text, nullable=True),
        sa.Column("cpu_seconds", sa.Float, nullable=True),
        sa.Column("wall_seconds", sa.Float, nullable=True),
        sa.Column("max_rss_mb", sa.Float, nullable=True),
        *_stamps(),
        _ck(R, "state_known",
            "state IN ('pending', 'approved', 'rejected', 'running', 'released', 'withheld')"),
        _ck(R, "decided_by_set", "state IN ('pending') OR decided_by IS NOT NULL"),
        _ck(R, "executed_by_set",
            "state NOT IN ('running', 'released', 'withheld') OR executed_by IS NOT NULL"),
        _ck(R, "result_iff_released", "(state = 'released') = (result IS NOT NULL)"),
        _ck(R, "reason_iff_withheld", "(state = 'withheld') = (withheld_reason IS NOT NULL)"),
    )  # fmt: skip
    op.create_index("ix_mfg_library_contracts_asset", C, ["asset_id", "state"])
    op.create_index("ix_mfg_library_requests_contract", R, ["contract_id", "state"])


def downgrade() -> None:
    op.drop_index("ix_mfg_library_requests_contract", table_name=R)
    op.drop_index("ix_mfg_library_contracts_asset", table_name=C)
    for table in (R, C, P, A, M):
        op.drop_table(table)
