"""Totals and growth: YoY, year to date, any month window, balance, daily averages.

These are the figures of MOTIE's monthly release (수출입동향): growth on the same period a
year earlier (전년동기비), cumulative year to date (누적), a window such as the report's
"'25.6~'26.4월 +18.8%", the balance (무역수지) with an identity check against the source's own
stated balance, and the daily average over working days (일평균 수출, Saturday = 0.5).
Inputs are flow tables already reduced to one vintage per flow (``FlowStore.latest``).
"""

from __future__ import annotations

import polars as pl

from tiro.core.errors import InvalidInput, NotFound
from tiro.core.parameters import ParameterTree
from tiro.trade.periods import month_range, shift
from tiro.trade.schema import KEY, parse_period, period_end

TOLERANCE = "trade.indicators.identity_tolerance"


def series(
    flows: pl.DataFrame,
    *,
    reporter: str = "KOR",
    partner: str = "WLD",
    product: str = "TOTAL",
    flow: str = "X",
    basis: str | None = None,
) -> pl.DataFrame:
    """One value per period for one reporter/partner/product/flow (``period``, ``value``).

    Two bases for the same period (MOTIE provisional and KCS confirmed) would be two numbers
    for one cell, so they must be told apart with ``basis``.
    """
    picked = flows.filter(
        (pl.col("reporter") == reporter)
        & (pl.col("partner") == partner)
        & (pl.col("product") == product)
        & (pl.col("flow") == flow)
    )
    if basis is not None:
        picked = picked.filter(pl.col("basis") == basis)
    clash = picked.filter(pl.col("period").is_duplicated())
    if clash.height:
        bases = sorted(set(clash["basis"].to_list()))
        raise InvalidInput(
            f"period {clash['period'][0]} has several figures ({', '.join(bases)}); "
            "choose one basis",
            field="basis",
        )
    return picked.select("period", "value", "basis", "vintage").sort("period")


def _value(table: pl.DataFrame, period: str) -> float:
    hit = table.filter(pl.col("period") == period)
    if hit.is_empty():
        raise NotFound(f"no figure for {period}", field="period")
    return float(hit["value"][0])


def yoy(table: pl.DataFrame, period: str) -> dict[str, object]:
    """Growth on the same period a year earlier (전년동기비).

    The period's own figure must exist (else NotFound). A missing base — the first year on
    file — or a base of 0 does not hide the figure that is known: ``base``/``growth`` are
    null and ``unavailable`` says why, as year to date does for a missing month.
    """
    parse_period(period)
    base_period = shift(period, years=-1)
    now = _value(table, period)
    out: dict[str, object] = {
        "period": period,
        "value": now,
        "base_period": base_period,
        "base": None,
        "growth": None,
    }
    hit = table.filter(pl.col("period") == base_period)
    if hit.is_empty():
        out["unavailable"] = f"no figure for the base period {base_period}"
        return out
    out["base"] = before = float(hit["value"][0])
    if before == 0:
        out["unavailable"] = f"the base {base_period} is 0: growth is undefined"
        return out
    out["growth"] = now / before - 1
    return out


def window(table: pl.DataFrame, start: str, end: str) -> dict[str, object]:
    """Sum over a month window and its growth on the same window a year earlier.

    Every month of both windows must be present; a missing month is named, never treated as
    zero.
    """
    months = month_range(start, end)
    base_months = [shift(m, years=-1) for m in months]
    have = set(table["period"].to_list())
    missing = [m for m in months + base_months if m not in have]
    if missing:
        raise NotFound(f"months missing from the series: {', '.join(missing)}", field="window")
    values = dict(zip(table["period"], table["value"], strict=True))
    total = sum(values[m] for m in months)
    base = sum(values[m] for m in base_months)
    return {
        "start": start,
        "end": end,
        "months": len(months),
        "value": total,
        "base": base,
        "growth": total / base - 1 if base else None,
        **({} if base else {"unavailable": "the base window sums to 0: growth is undefined"}),
    }


def ytd(table: pl.DataFrame, month: str) -> dict[str, object]:
    """Year to date (누적): January to ``month`` against the same months a year earlier."""
    year, m = parse_period(month)
    if m is None:
        raise InvalidInput("year to date needs a month (YYYY-MM)", field="period")
    return window(table, f"{year:04d}-01", month)


def balance_check(flows: pl.DataFrame, params: ParameterTree) -> pl.DataFrame:
    """Balance X − M per release, compared with the balance the source printed.

    ``consistent`` is false when a stated balance differs from X − M by more than the
    rounding tolerance (parameter ``trade.indicators.identity_tolerance``): the 2021 release
    states 24.99 against 644.54 − 615.05 = 29.49.
    """
    cols = [k for k in KEY if k != "flow"] + ["vintage", "release_date"]
    wide = (
        flows.filter(pl.col("flow").is_in(["X", "M", "B"]))
        .group_by(cols)
        .agg(
            pl.col("value").filter(pl.col("flow") == "X").first().alias("exports"),
            pl.col("value").filter(pl.col("flow") == "M").first().alias("imports"),
            pl.col("value").filter(pl.col("flow") == "B").first().alias("stated_balance"),
        )
        .filter(pl.col("exports").is_not_null() & pl.col("imports").is_not_null())
    )
    if wide.is_empty():
        return wide.with_columns(
            pl.lit(None, pl.Float64).alias("balance"),
            pl.lit(None, pl.Float64).alias("difference"),
            pl.lit(None, pl.Boolean).alias("consistent"),
            pl.lit(None, pl.Float64).alias("tolerance"),
        )
    tol = wide["period"].map_elements(
        lambda p: float(params.at(TOLERANCE, period_end(p))), return_dtype=pl.Float64
    )
    return (
        wide.with_columns(tol.alias("tolerance"))
        .with_columns((pl.col("exports") - pl.col("imports")).alias("balance"))
        .with_columns((pl.col("stated_balance") - pl.col("balance")).alias("difference"))
        .with_columns(
            pl.when(pl.col("stated_balance").is_null())
            .then(None)
            .otherwise(pl.col("difference").abs() <= pl.col("tolerance") + 1e-6)
            .alias("consistent")
        )
        .sort("period", "basis", "release_date")
    )


def daily_average(table: pl.DataFrame, working_days: pl.DataFrame) -> pl.DataFrame:
    """일평균 수출: value ÷ working days, and its YoY where the year-earlier month is known.

    ``working_days`` has ``period`` and ``working_days`` (from the Korean calendar or the
    days a release printed). A month without working days is left out, not guessed.
    """
    joined = table.join(working_days.select("period", "working_days"), on="period", how="inner")
    per_day = joined.with_columns((pl.col("value") / pl.col("working_days")).alias("per_day"))
    base = per_day.select(
        _next_year(pl.col("period")).alias("period"),
        pl.col("per_day").alias("per_day_base"),
    )
    return (
        per_day.join(base, on="period", how="left")
        .with_columns((pl.col("per_day") / pl.col("per_day_base") - 1).alias("per_day_growth"))
        .sort("period")
    )


def _next_year(period: pl.Expr) -> pl.Expr:
    """The same period a year later, as a column expression (no per-row Python)."""
    year = (period.str.slice(0, 4).cast(pl.Int32) + 1).cast(pl.String).str.zfill(4)
    return pl.concat_str(year, period.str.slice(4))
