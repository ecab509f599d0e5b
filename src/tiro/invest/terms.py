"""The MOU's terms read from the parameter tree, once per question, with their provenance.

Engines take these small frozen records instead of reaching into the tree themselves, so a
scenario overlay (another cap, another split) changes a result without touching engine code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree

CAP = "invest.mou.annual_cap"
SHARE_BEFORE = "invest.mou.korea_share_before_recovery"
SHARE_AFTER = "invest.mou.korea_share_after_recovery"
DUE_DAYS = "invest.mou.payment_due_business_days"
SECTORS = "invest.mou.sectors"
DEADLINE = "invest.mou.selection_deadline"
DISCOUNT = "invest.reasonableness.discount_rate"
SCREENING_BODY = "invest.review.screening_body"


@dataclass(frozen=True)
class Split:
    """Korea's share of a project's cash flow before and after its principal is recovered."""

    before: float
    after: float


def split_on(params: ParameterTree, on: dt.date) -> Split:
    """The cash-flow split in force on ``on`` (MOU: 50:50 until recovery, then 90:10 to the US)."""
    before = float(params.at(SHARE_BEFORE, on))
    if before <= 0:
        raise InvalidInput("Korea's share before recovery must be above 0", field=SHARE_BEFORE)
    return Split(before=before, after=float(params.at(SHARE_AFTER, on)))


def discount_rate_on(params: ParameterTree, on: dt.date) -> float:
    """The default discount rate of the reasonableness screen (an assumption, overridable)."""
    return float(params.at(DISCOUNT, on))


def annual_cap(params: ParameterTree, year: int) -> float:
    """The cap of a calendar year: the value in force on its 31 December."""
    value = params.at(CAP, dt.date(year, 12, 31))
    if value is None:
        raise InvalidInput(f"no annual cap is in force in {year}", field="cap")
    return float(value)


def sectors_on(params: ParameterTree, on: dt.date) -> tuple[str, ...]:
    """The MOU's strategic sectors in force on a date."""
    return tuple(str(s) for s in params.at(SECTORS, on))


def check_known_sector(params: ParameterTree, sector: str, field: str = "sector") -> str:
    """``sector`` if the MOU has named it at any date (a filter may ask for a retired one)."""
    known = sorted({str(s) for dated in params.series(SECTORS) for s in (dated.value or ())})
    if sector not in known:
        raise InvalidInput(
            f"unknown sector {sector!r} (the MOU's sectors: {', '.join(known)})", field=field
        )
    return sector


def check_sector(params: ParameterTree, sector: str, on: dt.date) -> str:
    """``sector`` if the MOU names it on ``on``; else a refusal naming the known ones."""
    known = sectors_on(params, on)
    if sector not in known:
        raise InvalidInput(
            f"unknown sector {sector!r} (the MOU's sectors: {', '.join(known)})", field="sector"
        )
    return sector


def selection_deadline(params: ParameterTree, on: dt.date) -> str:
    """Last month (YYYY-MM) in which a project may be selected."""
    return str(params.at(DEADLINE, on))


def due_business_days(params: ParameterTree, on: dt.date) -> int:
    """US business days from notice to payment."""
    return int(params.at(DUE_DAYS, on))


def screening_body(params: ParameterTree, on: dt.date) -> str:
    """Who pre-reviews on ``on``: the interim committee, then the Special Act's procedure."""
    return str(params.at(SCREENING_BODY, on))
