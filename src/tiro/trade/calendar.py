"""Korean working days (조업일수) — the denominator of MOTIE's daily-average exports (일평균 수출).

MOTIE and the Korea Customs Service count a weekday as 1 working day, a Saturday as 0.5 and a
Sunday or public holiday as 0; lunar holidays (설날, 추석) move between months, and substitute
(대체공휴일) and temporary holidays (임시공휴일) shift the count further. Public holidays come from
the maintained ``holidays`` library; the weights and every exception it cannot know are dated
parameters under ``trade.calendar``. Every published KCS flash count in
``data/trade/monthly_flash`` is reproduced by this module (see the tests).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache

import holidays
import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree

DAY_WEIGHT = "trade.calendar.day_weight"
ANNUAL_NON_WORKING = "trade.calendar.annual_non_working"
EXCEPTIONS = "trade.calendar.exceptions"

SEOL_MARK = "Korean New Year"
CHUSEOK_MARK = "Chuseok"
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
#: Years the ``holidays`` library knows Korean public holidays for (1948–2100 in 0.109).
#: Outside them it answers an empty calendar, which would count every holiday as a working
#: day; such months are refused instead.
HOLIDAY_YEARS = (holidays.KR.start_year, holidays.KR.end_year)


def parse_month(
    text: str, *, field: str = "month", params: ParameterTree | None = None
) -> tuple[int, int]:
    """``YYYY-MM`` -> (year, month); anything else is an InvalidInput naming the field.

    The year must be one the Korean holiday calendar covers, so 0000-01 and 9999-12 are
    refused here rather than failing on a date the calendar cannot build. Given ``params``,
    the month must also lie in :func:`working_day_range` (the weights start later than the
    holiday calendar), and the refusal states that range.
    """
    match = _MONTH_RE.match(str(text).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InvalidInput(f"{text!r} is not a month (YYYY-MM)", field=field)
    year = int(match.group(1))
    if params is not None:
        first_day, last_day = working_day_range(params)
        asked = (year, int(match.group(2)))  # compared as numbers: year 0 has no date
        if not (first_day.year, first_day.month) <= asked <= (last_day.year, last_day.month):
            raise InvalidInput(
                f"{text!r} is outside the months with working days "
                f"({first_day:%Y-%m}–{last_day:%Y-%m}: the working-day weights start on "
                f"{first_day}, the Korean holiday calendar ends in {last_day.year})",
                field=field,
            )
        return year, int(match.group(2))
    first, last = HOLIDAY_YEARS
    if not first <= year <= last:
        raise InvalidInput(
            f"{text!r} is outside the Korean holiday calendar ({first}–{last})", field=field
        )
    return year, int(match.group(2))


def working_day_range(params: ParameterTree) -> tuple[dt.date, dt.date]:
    """First and last day 조업일수 can be counted for: the later of the holiday calendar's
    first year and the first value of the weights (1994-05-01 in the baseline), to the end of
    the holiday calendar. A month outside it used to be refused by whichever came first,
    with a message naming the holiday calendar's 1948 even when the weights were the limit.
    """
    starts = [params.series(path)[0].effective_from for path in (DAY_WEIGHT, ANNUAL_NON_WORKING)]
    first = max(dt.date(HOLIDAY_YEARS[0], 1, 1), *starts)
    if first.day != 1:  # a month is counted whole: the first full month
        first = month_bounds(first.year + first.month // 12, first.month % 12 + 1)[0]
    return first, dt.date(HOLIDAY_YEARS[1], 12, 31)


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """First and last day of a month."""
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


@lru_cache(maxsize=64)
def _holiday_rows(year: int) -> tuple[tuple[dt.date, str], ...]:
    calendar = holidays.KR(years=year, language="en_US")
    return tuple(sorted(calendar.items()))


def korean_holidays(first_year: int, last_year: int) -> pl.DataFrame:
    """Public holidays (공휴일) with Seol/Chuseok flags, from the ``holidays`` library."""
    rows = [row for year in range(first_year, last_year + 1) for row in _holiday_rows(year)]
    frame = pl.DataFrame(rows, schema={"date": pl.Date, "holiday": pl.Utf8}, orient="row")
    return frame.with_columns(
        seol=pl.col("holiday").str.contains(SEOL_MARK),
        chuseok=pl.col("holiday").str.contains(CHUSEOK_MARK),
    )


def _override(params: ParameterTree, path: str, days: pl.DataFrame, key_col: str) -> pl.Series:
    """Weight from a keyed override leaf where the day's key is declared, else null."""
    declared = list(params.leaf(path).breakdown_keys)
    hit = days[key_col].is_in(declared)
    out = pl.Series("w", [None] * days.height, dtype=pl.Float64)
    if hit.any():
        picked = days.filter(hit)
        values = params.lookup(path, picked["date"], picked[key_col])
        out = out.scatter(hit.arg_true(), values)
    return out


def day_table(start: dt.date, end: dt.date, *, params: ParameterTree) -> pl.DataFrame:
    """One row per calendar day with its type, holiday name and working-day weight.

    Precedence: a dated exception, then an annual non-working day, then a public holiday
    (Saturday holidays count 0 too), then the weekday/Saturday/Sunday weight.
    """
    if end < start:
        raise InvalidInput(f"end {end} is before start {start}", field="end")
    first, last = HOLIDAY_YEARS
    for name, day in (("start", start), ("end", end)):
        if not first <= day.year <= last:
            raise InvalidInput(
                f"{day} is outside the Korean holiday calendar ({first}–{last})", field=name
            )
    days = pl.DataFrame({"date": pl.date_range(start, end, "1d", eager=True)})
    hol = korean_holidays(start.year, end.year)
    days = days.join(hol, on="date", how="left").with_columns(
        pl.col("seol").fill_null(False),
        pl.col("chuseok").fill_null(False),
        month_day=pl.col("date").dt.strftime("%m-%d"),
        iso=pl.col("date").dt.strftime("%Y-%m-%d"),
        day_type=pl.when(pl.col("holiday").is_not_null())
        .then(pl.lit("public_holiday"))
        .when(pl.col("date").dt.weekday() == 6)
        .then(pl.lit("saturday"))
        .when(pl.col("date").dt.weekday() == 7)
        .then(pl.lit("sunday"))
        .otherwise(pl.lit("weekday")),
    )
    base = params.lookup(DAY_WEIGHT, days["date"], days["day_type"])
    annual = _override(params, ANNUAL_NON_WORKING, days, "month_day")
    exception = _override(params, EXCEPTIONS, days, "iso")
    return days.with_columns(
        weight=pl.coalesce(exception, annual, base),
        overridden=exception.is_not_null() | annual.is_not_null(),
    ).drop("month_day", "iso")


def working_days(start: dt.date, end: dt.date, *, params: ParameterTree) -> float:
    """조업일수 from ``start`` to ``end`` inclusive (e.g. a KCS 1–20 day flash window)."""
    return float(day_table(start, end, params=params)["weight"].sum())


def month_working_days(month: str, *, params: ParameterTree, field: str = "month") -> float:
    """조업일수 of a ``YYYY-MM`` month."""
    start, end = month_bounds(*parse_month(month, field=field, params=params))
    return working_days(start, end, params=params)


def monthly_calendar(
    first: str,
    last: str,
    *,
    params: ParameterTree,
    fields: tuple[str, str] = ("first", "last"),
) -> pl.DataFrame:
    """Per month: working days, calendar days and Seol/Chuseok holiday days (regressors).

    ``fields`` names the two months as the caller's user knows them (``--month``/``--to``).
    """
    start, _ = month_bounds(*parse_month(first, field=fields[0], params=params))
    _, end = month_bounds(*parse_month(last, field=fields[1], params=params))
    if end < start:
        raise InvalidInput(f"last month {last} is before first month {first}", field=fields[1])
    days = day_table(start, end, params=params)
    return (
        days.group_by(month=pl.col("date").dt.strftime("%Y-%m"))
        .agg(
            working_days=pl.col("weight").sum(),
            calendar_days=pl.len().cast(pl.Int64),
            seol_days=pl.col("seol").sum().cast(pl.Int64),
            chuseok_days=pl.col("chuseok").sum().cast(pl.Int64),
            holidays=pl.col("holiday").drop_nulls().unique().sort(),
        )
        .sort("month")
    )


def window_working_days(month: str, last_day: int, *, params: ParameterTree) -> float:
    """조업일수 of days 1..``last_day`` of a month (the KCS 10- and 20-day flash windows)."""
    year, mon = parse_month(month, params=params)
    _, end = month_bounds(year, mon)
    if not 1 <= last_day <= end.day:
        raise InvalidInput(f"day {last_day} is not in {month}", field="last_day")
    return working_days(dt.date(year, mon, 1), dt.date(year, mon, last_day), params=params)
