"""Period arithmetic on ``YYYY`` / ``YYYY-MM`` strings (the flow table's period column)."""

from __future__ import annotations

from tiro.core.errors import InvalidInput
from tiro.trade.schema import parse_period


def shift(period: str, *, years: int = 0, months: int = 0) -> str:
    """The period ``years``/``months`` away (a year shifts a year; a month shifts a month)."""
    year, month = parse_period(period)
    if month is None:
        if months:
            raise InvalidInput(f"{period!r} is a year; it cannot shift by months", field="period")
        return f"{year + years:04d}"
    index = (year + years) * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_range(start: str, end: str, *, field: str = "window") -> list[str]:
    """Every month from ``start`` to ``end`` inclusive (both YYYY-MM)."""
    y0, m0 = parse_period(start, field=field)
    y1, m1 = parse_period(end, field=field)
    if m0 is None or m1 is None:
        raise InvalidInput("a window runs between two months (YYYY-MM)", field=field)
    first, last = y0 * 12 + m0 - 1, y1 * 12 + m1 - 1
    if last < first:
        raise InvalidInput(f"window end {end} is before its start {start}", field=field)
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(first, last + 1)]
