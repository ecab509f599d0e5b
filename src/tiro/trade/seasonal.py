"""Working-day and seasonal adjustment of monthly exports, and the year-end projection.

Statistics Korea and the Bank of Korea adjust with X-13ARIMA-SEATS and Korean holiday
regressors (Seol, Chuseok) because the lunar holidays move between months (spec trade.md §4).
tiro runs X-13 through statsmodels when the Census ``x13as`` binary is on the machine (X13PATH
or PATH), with the month's working days and Seol/Chuseok days as regressors; otherwise it runs
STL on the log of daily-average exports, which already has the working days divided out.
Raw YoY, per-working-day YoY (일평균) and seasonally adjusted m/m are reported side by side.
"""

from __future__ import annotations

import math
import os
import shutil
from statistics import NormalDist

import numpy as np
import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree
from tiro.trade.calendar import month_bounds, monthly_calendar, parse_month
from tiro.trade.nowcast import CONFIDENCE, load_cumulative, load_monthly_exports

PERIOD = 12


def monthly_frame(params: ParameterTree, monthly: pl.DataFrame | None = None) -> pl.DataFrame:
    """Monthly exports with working days, daily average, raw and per-day YoY."""
    data = (monthly if monthly is not None else load_monthly_exports()).sort("month")
    cal = monthly_calendar(data["month"].min(), data["month"].max(), params=params)
    frame = data.join(cal.drop("holidays"), on="month", how="left").with_columns(
        daily_avg=pl.col("exports_usd_bn") / pl.col("working_days"),
        prior=pl.col("month").str.slice(0, 4).cast(pl.Int64) - 1,
    )
    prior = frame.select(
        key=pl.col("month"), prior_exports=pl.col("exports_usd_bn"), prior_daily=pl.col("daily_avg")
    )
    return (
        frame.with_columns(
            key=pl.concat_str(
                pl.col("prior").cast(pl.Utf8), pl.lit("-"), pl.col("month").str.slice(5, 2)
            )
        )
        .join(prior, on="key", how="left")
        .with_columns(
            yoy_raw=pl.col("exports_usd_bn") / pl.col("prior_exports") - 1,
            yoy_per_day=pl.col("daily_avg") / pl.col("prior_daily") - 1,
        )
        .drop("prior", "key")
    )


def x13_binary() -> str | None:
    """Path of the Census X-13 binary when installed (X13PATH directory or PATH)."""
    folder = os.environ.get("X13PATH")
    if folder and (found := shutil.which("x13as", path=folder)):
        return found
    return shutil.which("x13as")


def _stl(log_daily: np.ndarray) -> np.ndarray:
    from statsmodels.tsa.seasonal import STL

    seasonal = np.asarray(STL(log_daily, period=PERIOD, robust=True).fit().seasonal)
    # STL does not pin the seasonal's level on a short sample: centre it on its 2x12 moving
    # average (X-11's convention) so any 12 consecutive factors multiply to about 1.
    weights = np.r_[0.5, np.ones(PERIOD - 1), 0.5] / PERIOD
    level = np.convolve(seasonal, weights, mode="valid")
    half = PERIOD // 2
    level = np.r_[np.full(half, level[0]), level, np.full(half, level[-1])]
    return seasonal - level


def _x13(frame: pl.DataFrame, binary: str) -> np.ndarray:  # pragma: no cover - needs x13as
    import pandas as pd
    from statsmodels.tsa.x13 import x13_arima_analysis

    index = pd.period_range(frame["month"][0], periods=frame.height, freq="M")
    endog = pd.Series(frame["exports_usd_bn"].to_numpy(), index=index)
    exog = frame.select("working_days", "seol_days", "chuseok_days").to_pandas()
    exog.index = index
    result = x13_arima_analysis(endog, exog=exog, log=True, x12path=os.path.dirname(binary))
    return np.log(endog.to_numpy() / result.seasadj.to_numpy())


def seasonal_adjust(
    params: ParameterTree, *, method: str = "auto", monthly: pl.DataFrame | None = None
) -> tuple[pl.DataFrame, str]:
    """Seasonally adjusted exports (USD bn at an average month's working days) and the method.

    ``sa_usd_bn`` = daily average with the seasonal factor removed × mean working days per month
    of the sample, so its level reads like a month and its m/m change is free of both calendar
    and season.
    """
    if method not in {"auto", "stl", "x13"}:
        raise InvalidInput(f"unknown method {method!r} (auto, stl, x13)", field="method")
    frame = monthly_frame(params, monthly)
    if frame.height < 2 * PERIOD:
        raise InvalidInput(
            f"seasonal adjustment needs {2 * PERIOD} months, got {frame.height}", field="months"
        )
    binary = x13_binary()
    if method == "x13" and binary is None:
        raise InvalidInput("x13as is not installed (set X13PATH)", field="method")
    used = "x13" if (method != "stl" and binary) else "stl"
    log_daily = np.log(frame["daily_avg"].to_numpy())
    seasonal = _x13(frame, binary) if used == "x13" else _stl(log_daily)
    mean_days = float(frame["working_days"].mean())
    out = frame.with_columns(
        seasonal_factor=pl.Series(np.exp(seasonal)),
        sa_usd_bn=pl.Series(np.exp(log_daily - seasonal) * mean_days),
    ).with_columns(sa_mom=pl.col("sa_usd_bn") / pl.col("sa_usd_bn").shift(1) - 1)
    return out, used


def project_year(
    year: int, *, params: ParameterTree, through: str | None = None
) -> dict[str, object]:
    """Year-end exports from the latest year-to-date figure, with an interval.

    Months still to come = last year's daily average × (1 + YTD per-day growth) × this year's
    working days. The interval scales that remainder by exp(± z·σ), σ the standard deviation of
    monthly per-day YoY growth over the last 12 months with data (fully correlated months —
    the conservative choice). ``through`` (YYYY-MM) projects as of that month from the monthly
    figures alone — a backtest against a year already closed.
    """
    frame = monthly_frame(params)
    if through is not None:
        if parse_month(through, field="through")[0] != year:
            raise InvalidInput(f"{through} is not in {year}", field="through")
        frame = frame.filter(pl.col("month") <= through)
    months = frame.filter(pl.col("month").str.starts_with(f"{year}-"))
    cumul = load_cumulative().filter(pl.col("first_month") == f"{year}-01")
    if through is not None:
        cumul = cumul.clear()
    last_monthly = months["month"].max() if months.height else None
    latest_cum = cumul.sort("last_month").tail(1)
    use_cum = latest_cum.height and (
        last_monthly is None or latest_cum["last_month"][0] > last_monthly
    )
    if use_cum:
        through, ytd = latest_cum["last_month"][0], float(latest_cum["exports_usd_bn"][0])
        source = str(latest_cum["source"][0])
    elif months.height:
        through, ytd, source = last_monthly, float(months["exports_usd_bn"].sum()), "monthly"
    else:
        raise InvalidInput(f"no {year} exports to project from", field="year")
    last_m = parse_month(through)[1]
    if last_m == 12:
        raise InvalidInput(f"{year} is complete (through {through})", field="year")
    cal = monthly_calendar(f"{year - 1}-01", f"{year}-12", params=params)
    base = frame.filter(pl.col("month").str.starts_with(f"{year - 1}-"))
    if base.height < 12:
        raise InvalidInput(f"{year - 1} needs all 12 months as the base", field="year")
    wd = dict(zip(cal["month"], cal["working_days"], strict=True))
    prior_ytd = float(base.head(last_m)["exports_usd_bn"].sum())
    wd_ytd = sum(wd[f"{year}-{m:02d}"] for m in range(1, last_m + 1))
    wd_prior_ytd = sum(wd[f"{year - 1}-{m:02d}"] for m in range(1, last_m + 1))
    growth_per_day = (ytd / wd_ytd) / (prior_ytd / wd_prior_ytd) - 1
    rest = base.tail(12 - last_m).with_columns(
        days_now=pl.Series([wd[f"{year}-{m:02d}"] for m in range(last_m + 1, 13)])
    )
    remainder = float((rest["daily_avg"] * (1 + growth_per_day) * rest["days_now"]).sum())
    recent = frame.filter(pl.col("yoy_per_day").is_not_null()).tail(12)["yoy_per_day"]
    sigma = float(recent.std())
    level = params.at(CONFIDENCE, month_bounds(year, 12)[1])
    z = float(NormalDist().inv_cdf(0.5 + level / 2))
    return {
        "year": year,
        "through": through,
        "ytd_usd_bn": ytd,
        "ytd_source": source,
        "ytd_growth_per_day": growth_per_day,
        "remainder_usd_bn": remainder,
        "projection_usd_bn": ytd + remainder,
        "interval": {
            "level": level,
            "sigma_monthly_growth": sigma,
            "low": ytd + remainder * math.exp(-z * sigma),
            "high": ytd + remainder * math.exp(z * sigma),
        },
    }
