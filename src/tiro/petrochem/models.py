"""SQL tables of the petrochem domain: restructuring projects, their steps, support packages.

The workflow's states, actions and roles are CHECK constraints, a capacity is a positive
integer of kt/y, money is an integer of won and a disbursement never exceeds its item: the
database refuses a row that breaks them whatever code path writes it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
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
from tiro.petrochem.schemas import COMPLEXES
from tiro.petrochem.workflow import ACTIONS, ROLES, STATES

SUPPORT_KINDS = ("finance", "tax", "regulation", "cost", "rnd")


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class Project(TimestampMixin, Base):
    """A restructuring project (사업재편 프로젝트) and the state it is in."""

    __tablename__ = "petrochem_projects"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    complex: Mapped[str] = mapped_column(String(20))
    participants: Mapped[list[str]] = mapped_column(JSON)
    conversion: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(30))
    state_since: Mapped[dt.date] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint(_in("state", STATES), name="state"),
        CheckConstraint(_in("complex", COMPLEXES), name="complex"),
    )


class ProjectUnit(TimestampMixin, Base):
    """A cracker a project affects: close, suspend (until a date) or convert."""

    __tablename__ = "petrochem_project_units"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("petrochem_projects.id"))
    unit: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(20))
    capacity_kt: Mapped[int] = mapped_column(Integer)
    until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        UniqueConstraint("project_id", "unit", name="uq_petrochem_project_units_project_unit"),
        CheckConstraint(_in("action", ACTIONS), name="action"),
        CheckConstraint("capacity_kt > 0", name="capacity_positive"),
    )


class ProjectStep(TimestampMixin, Base):
    """One dated step of the workflow, with the acting role and its documents."""

    __tablename__ = "petrochem_project_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("petrochem_projects.id"))
    state: Mapped[str] = mapped_column(String(30))
    on: Mapped[dt.date] = mapped_column(Date)
    role: Mapped[str] = mapped_column(String(20))
    documents: Mapped[list[str]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(Text)
    inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    actor: Mapped[str] = mapped_column(String(120))

    __table_args__ = (
        UniqueConstraint("project_id", "state", name="uq_petrochem_project_steps_project_state"),
        CheckConstraint(_in("state", STATES), name="state"),
        CheckConstraint(_in("role", ROLES), name="role"),
    )


class SupportItem(TimestampMixin, Base):
    """One item of a project's support package, with its condition and what was disbursed."""

    __tablename__ = "petrochem_support_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("petrochem_projects.id"))
    kind: Mapped[str] = mapped_column(String(20))
    instrument: Mapped[str] = mapped_column(Text)
    amount_krw: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    condition: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    disbursed_krw: Mapped[int] = mapped_column(BigInteger, default=0)
    source: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(_in("kind", SUPPORT_KINDS), name="kind"),
        CheckConstraint("amount_krw IS NULL OR amount_krw >= 0", name="amount_nonneg"),
        CheckConstraint("disbursed_krw >= 0", name="disbursed_nonneg"),
        CheckConstraint("amount_krw IS NULL OR disbursed_krw <= amount_krw", name="within_amount"),
    )
