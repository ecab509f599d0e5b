"""SQL tables of the energy domain: reserve sites and stocks, refiners, SWAP loans, alerts.

The SWAP ledger's invariants live in the database as CHECK constraints so that no code path
(service, migration, a hand-typed UPDATE) can break them: a site-grade stock never below its
floor; released = repaid + outstanding per site and grade; a loan never above its confirmed
cargo (B/L); barrels are integers. Services add the row locks and the workflow order.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from tiro.core.db import Base, TimestampMixin, utcnow

LOAN_STATUSES = ("requested", "loading_confirmed", "released", "arrived", "closed")
ALERT_LEVELS = ("정상", "관심", "주의", "경계", "심각")
DECISION_KINDS = ("confirm", "override", "record")


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class ReserveSite(TimestampMixin, Base):
    """A KNOC reserve base (비축기지); capacity from public sources where published."""

    __tablename__ = "energy_reserve_sites"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name_ko: Mapped[str] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(40))
    capacity_bbl: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    capacity_source: Mapped[str] = mapped_column(Text)

    __table_args__ = (CheckConstraint("capacity_bbl IS NULL OR capacity_bbl > 0", name="cap"),)


class SiteStock(TimestampMixin, Base):
    """Stock of one grade at one site, with its floor and the SWAP counters."""

    __tablename__ = "energy_site_stocks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_code: Mapped[str] = mapped_column(ForeignKey("energy_reserve_sites.code"))
    grade: Mapped[str] = mapped_column(String(60))
    stock_bbl: Mapped[int] = mapped_column(BigInteger)
    floor_bbl: Mapped[int] = mapped_column(BigInteger)
    released_bbl: Mapped[int] = mapped_column(BigInteger, default=0)
    repaid_bbl: Mapped[int] = mapped_column(BigInteger, default=0)
    outstanding_bbl: Mapped[int] = mapped_column(BigInteger, default=0)
    premium_received_bbl: Mapped[int] = mapped_column(BigInteger, default=0)
    data_label: Mapped[str] = mapped_column(String(20), default="sample")

    __table_args__ = (
        UniqueConstraint("site_code", "grade", name="uq_energy_site_stocks_site_grade"),
        CheckConstraint("floor_bbl >= 0", name="floor_nonneg"),
        CheckConstraint("stock_bbl >= floor_bbl", name="stock_above_floor"),
        CheckConstraint(
            "released_bbl >= 0 AND repaid_bbl >= 0 AND outstanding_bbl >= 0 "
            "AND premium_received_bbl >= 0",
            name="counters_nonneg",
        ),
        CheckConstraint("released_bbl = repaid_bbl + outstanding_bbl", name="balanced"),
    )


class Refiner(TimestampMixin, Base):
    """A refiner that can borrow reserve crude against its own cargo."""

    __tablename__ = "energy_refiners"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name_ko: Mapped[str] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(String(60))
    refinery: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(Text)


#: Dates of one loan never go backwards along its life cycle, and each step's date is set
#: exactly when the loan has reached that step (migration 0003_energy_swap_chronology).
SWAP_CHRONOLOGY_RULES = {
    "released_after_loading": "released_on IS NULL OR released_on >= loading_date",
    "arrived_after_release": "arrived_on IS NULL OR "
    "(released_on IS NOT NULL AND arrived_on >= released_on)",
    "closed_after_arrival": "closed_on IS NULL OR "
    "(arrived_on IS NOT NULL AND closed_on >= arrived_on)",
    "due_after_eta": "due_date >= eta",
    "released_on_set_by_status": "(released_on IS NULL) = "
    "(status IN ('requested', 'loading_confirmed'))",
    "arrived_on_set_by_status": "(arrived_on IS NULL) = "
    "(status IN ('requested', 'loading_confirmed', 'released'))",
    "closed_on_set_by_status": "(closed_on IS NULL) = (status <> 'closed')",
}
SWAP_CHRONOLOGY = tuple(
    CheckConstraint(sql, name=name) for name, sql in SWAP_CHRONOLOGY_RULES.items()
)


class SwapLoan(TimestampMixin, Base):
    """One 비축유 SWAP loan tied to a private cargo, from request to closing."""

    __tablename__ = "energy_swap_loans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_key: Mapped[str] = mapped_column(String(120), unique=True)
    refiner_code: Mapped[str] = mapped_column(ForeignKey("energy_refiners.code"))
    site_code: Mapped[str] = mapped_column(ForeignKey("energy_reserve_sites.code"))
    grade: Mapped[str] = mapped_column(String(60))
    vessel: Mapped[str] = mapped_column(String(120))
    origin: Mapped[str] = mapped_column(String(80))
    cargo_grade: Mapped[str] = mapped_column(String(60))
    cargo_bbl: Mapped[int] = mapped_column(BigInteger)
    loading_date: Mapped[dt.date] = mapped_column(Date)
    eta: Mapped[dt.date] = mapped_column(Date)
    requested_bbl: Mapped[int] = mapped_column(BigInteger)
    bl_number: Mapped[str | None] = mapped_column(String(80), nullable=True)
    confirmed_cargo_bbl: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    approved_bbl: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    released_bbl: Mapped[int] = mapped_column(BigInteger, default=0)
    repaid_bbl: Mapped[int] = mapped_column(BigInteger, default=0)
    premium_due_bbl: Mapped[int] = mapped_column(BigInteger, default=0)
    premium_repaid_bbl: Mapped[int] = mapped_column(BigInteger, default=0)
    released_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    arrived_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    closed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    due_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(30), default="requested")

    __table_args__ = (
        CheckConstraint(_in("status", LOAN_STATUSES), name="status_known"),
        CheckConstraint("cargo_bbl > 0 AND requested_bbl > 0", name="volumes_positive"),
        CheckConstraint("requested_bbl <= cargo_bbl", name="request_within_cargo"),
        CheckConstraint("eta >= loading_date", name="eta_after_loading"),
        CheckConstraint(
            "approved_bbl IS NULL OR (confirmed_cargo_bbl IS NOT NULL "
            "AND approved_bbl > 0 AND approved_bbl <= confirmed_cargo_bbl "
            "AND approved_bbl <= requested_bbl)",
            name="approved_within_confirmed_cargo",
        ),
        CheckConstraint(
            "released_bbl = 0 OR (approved_bbl IS NOT NULL AND released_bbl <= approved_bbl)",
            name="release_within_approved",
        ),
        CheckConstraint(
            "repaid_bbl >= 0 AND repaid_bbl <= released_bbl", name="repaid_le_released"
        ),
        CheckConstraint(
            "premium_repaid_bbl >= 0 AND premium_repaid_bbl <= premium_due_bbl",
            name="premium_le_due",
        ),
        *SWAP_CHRONOLOGY,
        Index("ix_energy_swap_loans_site_grade", "site_code", "grade"),
    )


class SwapRequest(Base):
    """Idempotency record: the first result of every keyed SWAP request."""

    __tablename__ = "energy_swap_requests"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    operation: Mapped[str] = mapped_column(String(30))
    payload_hash: Mapped[str] = mapped_column(String(64))
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("energy_swap_loans.id"), nullable=True)
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AlertDecision(Base):
    """One alert decision (발령·격상·하향·해제) for a resource: the audited timeline."""

    __tablename__ = "energy_alert_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource: Mapped[str] = mapped_column(String(30))
    level: Mapped[str] = mapped_column(String(10))
    previous_level: Mapped[str] = mapped_column(String(10))
    decided_on: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    recommended_level: Mapped[str | None] = mapped_column(String(10), nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(120))
    indicators: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    source_href: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        CheckConstraint(_in("level", ALERT_LEVELS), name="level_known"),
        CheckConstraint(_in("previous_level", ALERT_LEVELS), name="previous_known"),
        CheckConstraint(_in("kind", DECISION_KINDS), name="kind_known"),
        UniqueConstraint(
            "resource", "decided_on", "level", name="uq_energy_alert_decisions_resource_day_level"
        ),
        Index("ix_energy_alert_decisions_resource_day", "resource", "decided_on"),
    )


# The subsidy claims ledger's and the inspection register's tables live with their
# mechanisms; imported here so that tiro.models (which loads tiro.<domain>.models) registers
# them for Alembic and tests.
from tiro.energy.screens.models import InspectionCase  # noqa: E402, F401
from tiro.energy.subsidies.models import SubsidyBudget, SubsidyClaim  # noqa: E402, F401
