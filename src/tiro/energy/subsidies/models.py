"""SQL tables of the subsidy claims ledger: one budget row per programme, one row per claim.

The invariants live in CHECK constraints so no code path can break them: committed never above
the budget, paid never above committed, an approved or paid claim carries its approved amount
(never above what was claimed), a rejected one its reason. Amounts are whole won (BigInteger).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from tiro.core.db import Base, TimestampMixin

CLAIM_STATUSES = ("submitted", "approved", "paid", "rejected")


class SubsidyBudget(TimestampMixin, Base):
    """A programme's budget and what is committed (approved, paid included) and paid from it."""

    __tablename__ = "energy_subsidy_budgets"

    programme: Mapped[str] = mapped_column(String(30), primary_key=True)
    budget_krw: Mapped[int] = mapped_column(BigInteger)
    committed_krw: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_krw: Mapped[int] = mapped_column(BigInteger, default=0)
    source: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("budget_krw >= 0", name="budget_nonneg"),
        CheckConstraint("committed_krw >= 0 AND paid_krw >= 0", name="counters_nonneg"),
        CheckConstraint("committed_krw <= budget_krw", name="committed_within_budget"),
        CheckConstraint("paid_krw <= committed_krw", name="paid_within_committed"),
    )


class SubsidyClaim(TimestampMixin, Base):
    """One claim: submitted -> approved -> paid, or rejected with a reason."""

    __tablename__ = "energy_subsidy_claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme: Mapped[str] = mapped_column(ForeignKey("energy_subsidy_budgets.programme"))
    claimant: Mapped[str] = mapped_column(String(60))
    reference: Mapped[str] = mapped_column(String(120))
    claim_key: Mapped[str] = mapped_column(String(120), unique=True)
    claimed_krw: Mapped[int] = mapped_column(BigInteger)
    approved_krw: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    submitted_on: Mapped[dt.date] = mapped_column(Date)
    decided_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    paid_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    __table_args__ = (
        UniqueConstraint(
            "programme", "claimant", "reference", name="uq_energy_subsidy_claims_programme"
        ),
        CheckConstraint(
            "status IN ('submitted', 'approved', 'paid', 'rejected')", name="status_known"
        ),
        CheckConstraint("claimed_krw > 0", name="claimed_positive"),
        CheckConstraint(
            "(status IN ('approved', 'paid') AND approved_krw IS NOT NULL AND approved_krw > 0 "
            "AND approved_krw <= claimed_krw) OR "
            "(status IN ('submitted', 'rejected') AND approved_krw IS NULL)",
            name="approved_amount",
        ),
        CheckConstraint("status <> 'rejected' OR reason IS NOT NULL", name="rejected_has_reason"),
        CheckConstraint("status <> 'paid' OR paid_on IS NOT NULL", name="paid_has_date"),
    )
