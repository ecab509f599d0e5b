"""SQL table of the inspection register (점검 사건): one row per case, its dated steps.

The workflow's order lives in CHECK constraints as well as in the service: a case's state
is one of four, its type one of four, and its dates go forward (inspected on or after it was
opened, closed on or after it was inspected), so no code path can write a case out of order.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tiro.core.db import Base, TimestampMixin


class InspectionCase(TimestampMixin, Base):
    """A case: opened (from a screen flag or by hand) → inspected → sanctioned | cleared."""

    __tablename__ = "energy_inspection_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[str] = mapped_column(String(64))
    case_type: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default="opened")
    origin: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    opened_on: Mapped[dt.date] = mapped_column(Date)
    inspected_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    closed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    __table_args__ = (
        CheckConstraint(
            "case_type IN ('fake_fuel', 'collusion', 'hoarding', 'price_display')",
            name="type_known",
        ),
        CheckConstraint(
            "state IN ('opened', 'inspected', 'sanctioned', 'cleared')", name="state_known"
        ),
        CheckConstraint(
            "inspected_on IS NULL OR inspected_on >= opened_on", name="inspected_after_opened"
        ),
        CheckConstraint(
            "closed_on IS NULL OR (inspected_on IS NOT NULL AND closed_on >= inspected_on)",
            name="closed_after_inspected",
        ),
        CheckConstraint(
            "(state = 'opened' AND inspected_on IS NULL AND closed_on IS NULL)"
            " OR (state = 'inspected' AND inspected_on IS NOT NULL AND closed_on IS NULL)"
            " OR (state IN ('sanctioned', 'cleared') AND closed_on IS NOT NULL)",
            name="dates_match_state",
        ),
        Index("ix_energy_inspection_cases_station", "station_id", "case_type"),
    )
