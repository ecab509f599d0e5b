"""Invest tables: the MOU project registry, its capital and cash flows, and review steps.

Money is whole US dollars in BIGINT columns (never floats in a ledger). The workflow's states
and the positivity of capital calls are CHECK constraints, so the database itself refuses a
row a service check missed.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tiro.core.db import Base, TimestampMixin, utcnow

#: Pre-review states (예비검토): the path and its three ends.
STATES = ("submitted", "screened", "consulted", "recommended", "selected", "declined", "withdrawn")
STATES_SQL = ", ".join(f"'{s}'" for s in STATES)


class InvestProject(TimestampMixin, Base):
    """A candidate strategic-investment project (대미 전략투자 프로젝트)."""

    __tablename__ = "invest_projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    sector: Mapped[str] = mapped_column(String(40))
    sponsor: Mapped[str] = mapped_column(String(160))
    korean_suppliers: Mapped[list] = mapped_column(JSON, default=list)
    us_spv: Mapped[str | None] = mapped_column(String(160), nullable=True)
    state: Mapped[str] = mapped_column(String(20), default="submitted")
    priority: Mapped[int] = mapped_column(Integer, default=0)
    submitted_on: Mapped[dt.date] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    documents: Mapped[list] = mapped_column(JSON, default=list)
    data_label: Mapped[str] = mapped_column(String(20), default="user")
    capital: Mapped[list[InvestCapital]] = relationship(
        back_populates="project", order_by="InvestCapital.year", cascade="all, delete-orphan"
    )
    cash_flows: Mapped[list[InvestCashFlow]] = relationship(
        back_populates="project", order_by="InvestCashFlow.year", cascade="all, delete-orphan"
    )
    steps: Mapped[list[InvestReviewStep]] = relationship(
        back_populates="project", order_by="InvestReviewStep.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint(f"state IN ({STATES_SQL})", name="state_known"),
        CheckConstraint("data_label IN ('sample', 'user', 'public')", name="label_known"),
    )


class InvestCapital(Base):
    """Capital the project asks of Korea in a calendar year (whole USD)."""

    __tablename__ = "invest_capital"

    project_id: Mapped[int] = mapped_column(ForeignKey("invest_projects.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount_usd: Mapped[int] = mapped_column(BigInteger)
    project: Mapped[InvestProject] = relationship(back_populates="capital")

    __table_args__ = (CheckConstraint("amount_usd > 0", name="amount_positive"),)


class InvestCashFlow(Base):
    """The project's expected cash flow at the end of operating year ``year`` (1..N), whole USD."""

    __tablename__ = "invest_cash_flows"

    project_id: Mapped[int] = mapped_column(ForeignKey("invest_projects.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount_usd: Mapped[int] = mapped_column(BigInteger)
    project: Mapped[InvestProject] = relationship(back_populates="cash_flows")

    __table_args__ = (CheckConstraint("year >= 1", name="year_from_one"),)


class InvestReviewStep(Base):
    """One dated pre-review step: who (and in what role), which body, from/to state, why."""

    __tablename__ = "invest_review_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("invest_projects.id"), index=True)
    on: Mapped[dt.date] = mapped_column(Date)
    from_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_state: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    project: Mapped[InvestProject] = relationship(back_populates="steps")

    __table_args__ = (
        CheckConstraint(f"to_state IN ({STATES_SQL})", name="to_state_known"),
        CheckConstraint("length(reason) > 0", name="reason_given"),
    )
