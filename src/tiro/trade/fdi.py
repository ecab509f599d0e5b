"""Foreign direct investment (외국인직접투자): growth, shares and records from release figures.

MOTIE publishes FDI on two bases — notifications (신고, intent) and arrivals (도착, money in) —
by year, half and quarter, and breaks notifications down by type (greenfield vs M&A), sector,
investor country and region. tiro keeps each published figure with its source, recomputes the
growth the release states (and flags where the two disagree, e.g. a revised prior year), the
share of the period's total and whether the figure is a record among the periods on file.
"""

from __future__ import annotations

import io
import math
import re
from importlib import resources
from pathlib import Path

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.validation import MAX_MAGNITUDE
from tiro.trade.io_files import read_source

PERIOD_TYPES = {"year": r"^\d{4}$", "half": r"^\d{4}-H[12]$", "quarter": r"^\d{4}-Q[1-4]$"}
BASES = ("notified", "arrived")
DIMENSIONS = ("total", "type", "sector", "source", "region")
COLUMNS = ("period", "period_type", "basis", "dimension", "category", "value_usd_bn")
GROWTH_TOLERANCE_PP = 0.15


def load_fdi(path: Path | None = None) -> pl.DataFrame:
    """The shipped FDI figures (or a user's CSV in the same shape), validated.

    Errors name the file line as a user counts it (header = line 1; ``#`` comment lines
    count too) and quote the cell as written.
    """
    if path is None:
        data = (resources.files("tiro.data.trade.fdi") / "fdi.csv").read_bytes()
    else:
        data = read_source(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"not UTF-8 text (byte {exc.start})", field="input") from None
    try:
        frame = pl.read_csv(io.BytesIO(data), comment_prefix="#", infer_schema_length=0)
    except pl.exceptions.NoDataError:
        raise InvalidInput("the file is empty", field="input") from None
    except pl.exceptions.PolarsError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InvalidInput(f"not a readable CSV: {reason}", field="input") from None
    kept = [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    lines = kept[1:] if len(kept) - 1 == frame.height else None
    return validate(frame, lines=lines)


def validate(frame: pl.DataFrame, *, lines: list[int] | None = None) -> pl.DataFrame:
    """Check columns, codes and numbers; the first bad row is named by its file line.

    ``lines`` maps each row to its line in the file (default: header on line 1, then one
    line per row). Values must read as finite numbers of plausible size: ``nan``, ``inf``
    and 1e400 are refused with the text as written.
    """
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise InvalidInput(f"missing column(s): {', '.join(missing)}", field=missing[0])
    if "growth_reported" not in frame.columns:
        frame = frame.with_columns(growth_reported=pl.lit(None, pl.Utf8))
    raw = frame.select(pl.col("value_usd_bn", "growth_reported").cast(pl.Utf8))
    frame = frame.with_columns(
        pl.col("value_usd_bn").cast(pl.Float64, strict=False),
        pl.col("growth_reported").cast(pl.Float64, strict=False),
    )
    places = lines or list(range(2, frame.height + 2))
    for i, (row, text) in enumerate(
        zip(frame.iter_rows(named=True), raw.iter_rows(named=True), strict=True)
    ):
        where = f"line {places[i]}"
        pattern = PERIOD_TYPES.get(row["period_type"])
        if pattern is None:
            raise InvalidInput(
                f"{where}: unknown period_type {row['period_type']!r}", field="period_type"
            )
        if not re.match(pattern, str(row["period"])):
            raise InvalidInput(
                f"{where}: {row['period']!r} is not a {row['period_type']}", field="period"
            )
        if row["basis"] not in BASES:
            raise InvalidInput(f"{where}: basis must be notified or arrived", field="basis")
        if row["dimension"] not in DIMENSIONS:
            raise InvalidInput(
                f"{where}: unknown dimension {row['dimension']!r}", field="dimension"
            )
        for name in ("value_usd_bn", "growth_reported"):
            written = (text[name] or "").strip()
            if written and row[name] is None:
                raise InvalidInput(f"{where}: {written!r} cannot be read as a number", field=name)
            if row[name] is not None and not math.isfinite(row[name]):
                raise InvalidInput(f"{where}: {written!r} is not a finite number", field=name)
            if row[name] is not None and abs(row[name]) > MAX_MAGNITUDE:
                raise InvalidInput(f"{where}: {written!r} is out of range", field=name)
        if row["value_usd_bn"] is None or row["value_usd_bn"] < 0:
            raise InvalidInput(f"{where}: value must be a number >= 0", field="value_usd_bn")
    key = ["period", "basis", "dimension", "category"]
    dup = frame.filter(pl.struct(key).is_duplicated())
    if dup.height:
        raise InvalidInput(f"duplicated figure {dup.row(0, named=True)['period']}", field="period")
    return frame


def _prior_period() -> pl.Expr:
    year = pl.col("period").str.slice(0, 4).cast(pl.Int64) - 1
    return pl.concat_str(year.cast(pl.Utf8), pl.col("period").str.slice(4))


def indicators(frame: pl.DataFrame) -> pl.DataFrame:
    """Growth (computed and reported), share of the period total and record flags."""
    key = ["basis", "dimension", "category"]
    prior = frame.select(*key, period=pl.col("period"), prior_value=pl.col("value_usd_bn"))
    totals = frame.filter(pl.col("dimension") == "total").select(
        "period", "basis", period_total=pl.col("value_usd_bn")
    )
    out = (
        frame.with_columns(prior_period=_prior_period())
        .join(prior.rename({"period": "prior_period"}), on=["prior_period", *key], how="left")
        .join(totals, on=["period", "basis"], how="left")
        .with_columns(
            growth=pl.col("value_usd_bn") / pl.col("prior_value") - 1,
            share=pl.col("value_usd_bn") / pl.col("period_total"),
            implied_prior=pl.col("value_usd_bn") / (1 + pl.col("growth_reported") / 100),
        )
        .with_columns(
            growth_mismatch=(pl.col("growth") * 100 - pl.col("growth_reported")).abs()
            > GROWTH_TOLERANCE_PP,
        )
    )
    group = ["period_type", *key]
    ranked = out.sort("period").with_columns(
        earlier_max=pl.col("value_usd_bn").cum_max().shift(1).over(group),
        periods_on_file=pl.int_range(pl.len()).over(group),
    )
    return ranked.with_columns(
        record=pl.when(pl.col("earlier_max").is_null())
        .then(None)
        .otherwise(pl.col("value_usd_bn") > pl.col("earlier_max")),
    ).sort("period_type", "basis", "dimension", "category", "period")


def breakdown(
    frame: pl.DataFrame, *, period: str, basis: str = "notified", dimension: str = "total"
) -> dict[str, object]:
    """One period's figures along one dimension, with growth, shares and record flags."""
    if basis not in BASES:
        raise InvalidInput(f"basis must be one of {', '.join(BASES)}", field="basis")
    if dimension not in DIMENSIONS:
        raise InvalidInput(f"dimension must be one of {', '.join(DIMENSIONS)}", field="dimension")
    rows = indicators(frame).filter(
        (pl.col("period") == period)
        & (pl.col("basis") == basis)
        & (pl.col("dimension") == dimension)
    )
    if rows.is_empty():
        raise InvalidInput(f"no {basis} {dimension} figures for {period}", field="period")
    keep = [
        "category",
        "value_usd_bn",
        "growth",
        "growth_reported",
        "growth_mismatch",
        "implied_prior",
        "share",
        "record",
        "periods_on_file",
        "source",
    ]
    return {
        "period": period,
        "basis": basis,
        "dimension": dimension,
        "rows": rows.select([c for c in keep if c in rows.columns]).to_dicts(),
    }


def series(
    frame: pl.DataFrame,
    *,
    basis: str = "notified",
    period_type: str = "year",
    dimension: str = "total",
    category: str = "total",
) -> list[dict[str, object]]:
    """One category over time (e.g. notified totals 2020–2025) with growth and record flags."""
    if basis not in BASES:
        raise InvalidInput(f"basis must be one of {', '.join(BASES)}", field="basis")
    if dimension not in DIMENSIONS:
        raise InvalidInput(f"dimension must be one of {', '.join(DIMENSIONS)}", field="dimension")
    rows = indicators(frame).filter(
        (pl.col("basis") == basis)
        & (pl.col("period_type") == period_type)
        & (pl.col("dimension") == dimension)
        & (pl.col("category") == category)
    )
    if rows.is_empty():
        raise InvalidInput(
            f"no {basis} {period_type} figures for {dimension}/{category}", field="period_type"
        )
    keep = ["period", "value_usd_bn", "growth", "growth_reported", "record", "source"]
    return rows.sort("period").select(keep).to_dicts()
