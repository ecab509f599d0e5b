"""Checks of the 비축유 SWAP ledger: whole barrels, dates in life-cycle order, premium rounding.

Kept apart from the workflow (swap.service) so each rule reads on its own: a volume is a
positive whole number of barrels that fits a 64-bit column (no step dated after today: core.recorded);
dates never go backwards along one loan; premium barrels are rounded by a dated parameter.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiro.core.errors import InvalidInput
from tiro.core.models import AuditEntry
from tiro.core.validation import MAX_MAGNITUDE
from tiro.energy.models import SwapLoan

ENTITY = "energy_swap_loan"


def barrels(value: Any, field: str) -> int:
    """Volumes are positive integer barrels; anything else is refused by name."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        raise InvalidInput("volume must be a whole number of barrels", field=field)
    if isinstance(value, float | Decimal) and value != int(value):
        raise InvalidInput(f"{value} is not a whole number of barrels", field=field)
    if value <= 0:
        raise InvalidInput(f"{value} barrels: a volume must be positive", field=field)
    if value > MAX_MAGNITUDE:
        raise InvalidInput(
            f"{value} barrels is out of range (at most {MAX_MAGNITUDE:g})", field=field
        )
    return int(value)


def not_before(on: dt.date, earlier: dt.date | None, what: str, field: str = "on") -> None:
    """Dates along a loan's life cycle are non-decreasing."""
    if earlier is not None and on < earlier:
        raise InvalidInput(f"{on} is before {what} on {earlier}", field=field)


def last_repayment_on(session: Session, loan: SwapLoan) -> dt.date | None:
    """Date of the loan's latest repayment, read from its audit entries (each carries ``on``)."""
    entries = session.execute(
        select(AuditEntry.after)
        .where(
            AuditEntry.entity == ENTITY,
            AuditEntry.entity_id == str(loan.id),
            AuditEntry.action == "energy.swap.repay",
        )
        .order_by(AuditEntry.id.desc())
    ).scalars()
    for after in entries:
        if isinstance(after, dict) and after.get("on"):
            return dt.date.fromisoformat(str(after["on"]))
    return None


def premium_barrels(volume: int, rate: Decimal, rounding: str) -> int:
    """Premium barrels owed on ``volume`` released, rounded as ``energy.swap.premium_rounding``
    says (a barrel is indivisible in kind: ``ceiling`` never under-collects, ``half_up`` is
    the commercial rule, ``floor`` never over-collects)."""
    modes = {"ceiling": ROUND_CEILING, "half_up": ROUND_HALF_UP, "floor": ROUND_FLOOR}
    if rounding not in modes:
        raise InvalidInput(
            f"unknown rounding {rounding!r}; one of {', '.join(modes)}",
            field="energy.swap.premium_rounding",
        )
    return int((Decimal(volume) * rate).to_integral_value(modes[rounding]))
