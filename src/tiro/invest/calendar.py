"""Payment due dates: notice + N US business days (weekends and US federal holidays skipped).

The US federal calendar comes from the ``holidays`` package (observed days included, e.g. a
Saturday 4 July is observed on Friday 3 July), so a due date is never hand-listed.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
import numpy as np

from tiro.core.errors import InvalidInput


@lru_cache(maxsize=64)
def _us_federal(first_year: int, last_year: int) -> tuple[np.datetime64, ...]:
    calendar = holidays.US(years=range(first_year, last_year + 1))
    return tuple(np.datetime64(d, "D") for d in sorted(calendar))


def today() -> dt.date:
    """Today, the one clock of invest (step dates, default terms date, the schedule's first
    year): tests move it here rather than patching ``datetime``."""
    return dt.date.today()


def add_us_business_days(notice: dt.date, days: int) -> dt.date:
    """The date ``days`` US business days after ``notice`` (the notice day itself not counted)."""
    if days < 1:
        raise InvalidInput(f"{days} must be at least 1", field="business_days")
    if not dt.date(1900, 1, 1) <= notice <= dt.date(2200, 12, 31):
        raise InvalidInput(f"{notice} is outside 1900-2200", field="notice")
    years = (notice.year, notice.year + days // 200 + 1)
    due = np.busday_offset(
        np.datetime64(notice, "D"), days, roll="backward", holidays=list(_us_federal(*years))
    )
    return due.astype(dt.date)
