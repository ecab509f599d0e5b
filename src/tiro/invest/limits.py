"""The bounds of every invest input, declared once for the CLI, the API and the services.

T-BREAK found the CLI accepting ``--discount-rate 11`` and ``--defer P=2199`` while the API
capped them at 10 and 2100: two declarations drift. The API's pydantic fields and the CLI's
checks both read these names, and the checks below give the one refusal (field named).
"""

from __future__ import annotations

from typing import Any

from tiro.core.errors import InvalidInput
from tiro.core.validation import MAX_MAGNITUDE, finite

#: Years a capital requirement, a requested call or an FX deferral may name: the MOU's era
#: (signed 2025), with room for calls paid long after selection.
YEARS = (2025, 2100)
#: Discount rates the reasonableness screen takes, inclusive: the range the parameter
#: ``invest.reasonableness.discount_rate`` declares (-99% .. 1000%); a test keeps them equal.
DISCOUNT_RATE = (-0.99, 10.0)
#: Largest amount in USD (principal, capital, cash flow, cap, pipeline line).
MAX_AMOUNT = MAX_MAGNITUDE
#: Years of expected cash flows a project or a screen may list.
MAX_CASH_FLOW_YEARS = 100
#: Longest name, sponsor or SPV (the String(160) columns; SQLite would not enforce it).
MAX_NAME = 160
#: Priorities the registry keeps (the scheduler only uses their order).
PRIORITY_RANGE = (-1000, 1000)


def check_discount_rate(rate: Any, field: str) -> float:
    """``rate`` if it is a number within :data:`DISCOUNT_RATE`; else a refusal naming ``field``."""
    value = float(finite(rate, field))
    low, high = DISCOUNT_RATE
    if not low <= value <= high:
        raise InvalidInput(f"{rate:g} is outside {low:g}..{high:g}", field=field)
    return value + 0.0  # -0 is 0: no "-0.00%" shown


def check_year(year: Any, field: str) -> int:
    """``year`` if it is a whole year within :data:`YEARS`; else a refusal naming ``field``."""
    low, high = YEARS
    if isinstance(year, bool) or not isinstance(year, int):
        raise InvalidInput(f"{year!r} is not a year", field=field)
    if not low <= year <= high:
        raise InvalidInput(f"{year} is outside {low}-{high}", field=field)
    return year


def check_amount(value: Any, field: str) -> float:
    """A positive, finite USD amount at most :data:`MAX_AMOUNT`; else a refusal naming ``field``."""
    number = float(finite(value, field, max_abs=MAX_AMOUNT))
    if not number > 0:
        raise InvalidInput(f"{value:g} must be above zero", field=field)
    return number
