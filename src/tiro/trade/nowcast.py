"""Month-end export nowcast from the KCS 10- and 20-day flashes (수출입 현황 잠정치).

Plain pro-rating multiplies the flash's daily average by the month's working days. Korean
exports bunch at month-end (shipments cleared before the books close), so the last third of a
month runs above the first two: tiro calibrates an end-of-month factor on history — the ratio of
the month's daily average to the flash window's daily average — and reports the leave-one-out
errors of both methods side by side (spec trade.md §4). Working days come from
:mod:`tiro.trade.calendar`, so Seol and Chuseok fall out of the denominators, not the factor.
"""

from __future__ import annotations

import math
from importlib import resources
from statistics import NormalDist

import polars as pl

from tiro.core.errors import InvalidInput, NotFound
from tiro.core.parameters import ParameterTree
from tiro.trade.calendar import (
    day_table,
    month_bounds,
    month_working_days,
    monthly_calendar,
    parse_month,
    window_working_days,
)

CONFIDENCE = "trade.nowcast.confidence"
WINDOWS = (10, 20)
_DATA = "tiro.data.trade.monthly_flash"


def _read(name: str) -> pl.DataFrame:
    with resources.as_file(resources.files(_DATA) / name) as path:
        return pl.read_csv(path, comment_prefix="#", infer_schema_length=0)


def load_monthly_exports() -> pl.DataFrame:
    """Shipped monthly exports (USD bn, MOTIE provisional) with provenance per row."""
    return _read("monthly_exports.csv").with_columns(
        pl.col("exports_usd_bn").cast(pl.Float64),
        pl.col("growth_reported").cast(pl.Float64),
        pl.col("working_days_published").cast(pl.Float64),
        pl.col("derived") == "true",
    )


def load_flashes() -> pl.DataFrame:
    """Shipped KCS flashes for days 1–10 and 1–20 (USD bn) with provenance per row."""
    return _read("flashes.csv").with_columns(
        pl.col("window_end_day").cast(pl.Int64),
        pl.col("exports_usd_bn").cast(pl.Float64),
        pl.col("working_days_published").cast(pl.Float64),
    )


def load_cumulative() -> pl.DataFrame:
    """Shipped year-to-date totals (first_month..last_month, USD bn)."""
    return _read("cumulative.csv").with_columns(
        pl.col("exports_usd_bn").cast(pl.Float64), pl.col("growth_reported").cast(pl.Float64)
    )


def _with_window_days(flashes: pl.DataFrame, params: ParameterTree) -> pl.DataFrame:
    """Working days and Seol/Chuseok days inside each flash window (one calendar pass)."""
    first = month_bounds(*parse_month(flashes["month"].min()))[0]
    last = month_bounds(*parse_month(flashes["month"].max()))[1]
    days = day_table(first, last, params=params).with_columns(
        month=pl.col("date").dt.strftime("%Y-%m"), day=pl.col("date").dt.day()
    )
    windows = flashes.select("month", "window_end_day").unique()
    per_window = (
        windows.join(days, on="month")
        .filter(pl.col("day") <= pl.col("window_end_day"))
        .group_by("month", "window_end_day")
        .agg(
            wd_flash=pl.col("weight").sum(),
            lunar_holiday_in_window=(pl.col("seol") | pl.col("chuseok")).any(),
        )
    )
    return flashes.join(per_window, on=["month", "window_end_day"], how="left")


def flash_history(params: ParameterTree) -> pl.DataFrame:
    """Flashes joined to their month's total, with working days and the month-end ratio.

    ``ratio`` = (month total / month working days) / (flash / flash working days): 1.0 means
    the month ran at the flash's daily pace; above 1 is the month-end surge.
    """
    flashes = _with_window_days(load_flashes(), params)
    monthly = load_monthly_exports().select("month", month_total="exports_usd_bn")
    hist = flashes.join(monthly, on="month", how="inner")
    first, last = hist["month"].min(), hist["month"].max()
    cal = monthly_calendar(first, last, params=params).select(
        "month", wd_month="working_days", holiday_days=pl.col("seol_days") + pl.col("chuseok_days")
    )
    return (
        hist.join(cal, on="month", how="left")
        .with_columns(
            ratio=(pl.col("month_total") / pl.col("wd_month"))
            / (pl.col("exports_usd_bn") / pl.col("wd_flash")),
            lunar_holiday_month=pl.col("holiday_days") > 0,
        )
        .sort("month", "window_end_day")
    )


def _loo_errors(hist: pl.DataFrame) -> pl.DataFrame:
    """Leave-one-out: each month nowcast with the factor calibrated on the other months."""
    log_ratio = pl.col("ratio").log()
    n = pl.len().over("window_end_day")
    total = log_ratio.sum().over("window_end_day")
    pro_rata = pl.col("exports_usd_bn") / pl.col("wd_flash") * pl.col("wd_month")
    return (
        hist.with_columns(
            factor_loo=((total - log_ratio) / (n - 1)).exp(),
            pro_rata=pro_rata,
        )
        .with_columns(
            calibrated=pl.col("pro_rata") * pl.col("factor_loo"),
        )
        .with_columns(
            err_pro_rata=pl.col("pro_rata") / pl.col("month_total") - 1,
            err_calibrated=pl.col("calibrated") / pl.col("month_total") - 1,
        )
    )


def evaluate(params: ParameterTree) -> dict[str, object]:
    """Calibrated factor per window and the errors of both methods (leave-one-out)."""
    hist = flash_history(params)
    loo = _loo_errors(hist)
    out: dict[str, object] = {"windows": {}, "months": loo.to_dicts()}
    for window in WINDOWS:
        part = loo.filter(pl.col("window_end_day") == window)
        if part.height < 2:
            continue
        plain = part.filter(~pl.col("lunar_holiday_in_window"))
        out["windows"][str(window)] = {
            "n": part.height,
            "factor": math.exp(part["ratio"].log().mean()),
            "pro_rata": _error_stats(part["err_pro_rata"]),
            "calibrated": _error_stats(part["err_calibrated"]),
            "n_without_lunar_holiday_in_window": plain.height,
            "pro_rata_without_lunar_holiday": _error_stats(plain["err_pro_rata"]),
            "calibrated_without_lunar_holiday": _error_stats(plain["err_calibrated"]),
        }
    return out


def _error_stats(errors: pl.Series) -> dict[str, float | None]:
    if errors.is_empty():
        return {"mape": None, "rmse": None, "bias": None}
    return {
        "mape": float(errors.abs().mean()),
        "rmse": float((errors**2).mean() ** 0.5),
        "bias": float(errors.mean()),
    }


def nowcast(
    month: str, flash_usd_bn: float, window_end_day: int, *, params: ParameterTree
) -> dict[str, object]:
    """Month-end exports from a flash: pro-rated and calibrated, with an interval.

    The interval is the calibrated value times exp(± z·s), s the leave-one-out log-error
    standard deviation of that window on history, z the normal quantile of
    ``trade.nowcast.confidence``.
    """
    parse_month(month)
    if window_end_day not in WINDOWS:
        raise InvalidInput("KCS flashes cover days 1–10 or 1–20", field="window_end_day")
    if not flash_usd_bn > 0:
        raise InvalidInput(f"{flash_usd_bn} is not a positive export value", field="flash")
    loo = _loo_errors(flash_history(params)).filter(
        (pl.col("window_end_day") == window_end_day) & (pl.col("month") != month)
    )
    if loo.height < 2:
        raise NotFound(f"fewer than 2 calibration months for day {window_end_day}", field="window")
    factor = math.exp(loo["ratio"].log().mean())
    wd_flash = window_working_days(month, window_end_day, params=params)
    wd_month = month_working_days(month, params=params)
    if wd_flash <= 0:
        raise InvalidInput(f"days 1–{window_end_day} of {month} have no working day", field="month")
    pro_rata = flash_usd_bn / wd_flash * wd_month
    calibrated = pro_rata * factor
    spread = float((1 + loo["err_calibrated"]).log().std())
    level = params.at(CONFIDENCE, month_bounds(*parse_month(month))[1])
    z = NormalDist().inv_cdf(0.5 + level / 2)
    return {
        "month": month,
        "window_end_day": window_end_day,
        "flash_usd_bn": flash_usd_bn,
        "working_days_flash": wd_flash,
        "working_days_month": wd_month,
        "pro_rata_usd_bn": pro_rata,
        "factor": factor,
        "calibration_months": loo.height,
        "nowcast_usd_bn": calibrated,
        "interval": {
            "level": level,
            "low": calibrated * math.exp(-z * spread),
            "high": calibrated * math.exp(z * spread),
        },
    }
