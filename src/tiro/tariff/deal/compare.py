"""Deal impact (관세협상 효과): one basket priced under several scenarios, side by side.

The shipped basket is Korea's 2024 exports to the US by major product (``hts_basket``), each
group priced at a representative HTS line; a user basket is any CSV/Parquet with ``hts`` and
``value_usd`` (or ``customs_value``) and optional ``product_group``, ``metal_share``, ``korus``.
The deal's saving is the duty under ``no_deal`` minus the duty under ``actual``. Rows without an
HTS line (the published residual) are carried as unpriced value, never given a made-up rate.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.tariff.batch.stream import read_lines
from tiro.tariff.deal.basket import load_kr_us_basket
from tiro.tariff.measures.data import MeasureSet, load_measure_set
from tiro.tariff.pricing.engine import price

DEFAULT_SCENARIOS = ("actual", "no_deal", "threat_2026_01")


def load_basket(path: Path | None) -> pl.DataFrame:
    """A basket with ``product_group``, ``hts``, ``hs_chapter``, ``customs_value`` (+ optional facts)."""
    if path is None:
        raw = load_kr_us_basket().with_columns(
            (pl.col("product_group_ko") + " " + pl.col("product_group_en")).alias("product_group")
        )
    else:
        try:
            raw = read_lines(path)
        except InvalidInput as exc:
            raise InvalidInput(exc.message, field="basket") from None
    value_col = "value_usd" if "value_usd" in raw.columns else "customs_value"
    if "hts" not in raw.columns or value_col not in raw.columns:
        raise InvalidInput(
            "a basket needs columns hts and value_usd (or customs_value)", field="basket"
        )
    nested = [c for c in ("hts", value_col) if raw.schema[c].is_nested()]
    if nested:
        raise InvalidInput(f"column {nested[0]} holds {raw.schema[nested[0]]}", field="basket")
    first_line = 2 if path is not None and path.suffix.lower() == ".csv" else 1
    out = raw.with_row_index("_line", offset=first_line).with_columns(
        pl.col(value_col).cast(pl.Float64, strict=False).alias("customs_value"),
        pl.col("hts").cast(pl.Utf8),
    )
    if "product_group" not in out.columns:
        out = out.with_columns(pl.col("hts").alias("product_group"))
    digits = pl.col("hts").str.replace_all(r"[.\s]", "")
    return out.with_columns(
        pl.col("product_group").fill_null(pl.col("hts")).fill_null("(unnamed)"),
        pl.when(digits.str.len_chars() >= 2)
        .then(digits.str.slice(0, 2))
        .otherwise(pl.lit("--"))
        .alias("hs_chapter"),
    )


def price_basket(basket: pl.DataFrame, ms: MeasureSet, on: dt.date) -> pl.DataFrame:
    """Price the basket rows that have an HTS line (origin KR, entry date ``on``) under ``ms``."""
    facts = [
        c for c in ("korus", "metal_share", "quantity", "quantity_unit") if c in basket.columns
    ]
    lines = basket.filter(pl.col("hts").is_not_null()).select(
        "hts", pl.lit("KR").alias("origin"), pl.lit(on).alias("entry_date"), "customs_value", *facts
    )
    p = price(lines, ms)
    if p.errors.height:
        first = p.errors.row(0, named=True)
        priced = basket.filter(pl.col("hts").is_not_null())
        where = (
            f"basket line {priced['_line'][first['line_id']]}"  # CSV: header = line 1
            if "_line" in basket.columns
            else f"basket row {first['line_id'] + 1}"
        )
        raise InvalidInput(f"{where}: {first['error']}", field=first["error_field"])
    return p.lines.select(pl.col("line_id").cast(pl.Int64), "total_duty", "headings", "needs")


def _difference(priced: pl.DataFrame, high: str, low: str) -> float:
    """Duty under ``high`` minus under ``low``, over the lines both scenarios could price."""
    both = priced.filter(pl.col(f"duty_{high}").is_not_null() & pl.col(f"duty_{low}").is_not_null())
    return round(float((both[f"duty_{high}"] - both[f"duty_{low}"]).sum() or 0.0), 2)


def compare_basket(
    basket: pl.DataFrame, *, scenarios: tuple[str, ...] = DEFAULT_SCENARIOS, on: dt.date
) -> dict[str, Any]:
    """Duty by product group and HS chapter under each scenario, totals and the deal's saving."""
    if not scenarios:
        raise InvalidInput("name at least one scenario", field="scenarios")
    repeated = sorted({s for s in scenarios if scenarios.count(s) > 1})
    if repeated:
        raise InvalidInput(f"each scenario once: {', '.join(repeated)} repeated", field="scenarios")
    priced = (
        basket.filter(pl.col("hts").is_not_null())
        .with_row_index("line_id")
        .with_columns(pl.col("line_id").cast(pl.Int64))
    )
    for name in scenarios:
        result = price_basket(basket, load_measure_set(name), on).rename(
            {"total_duty": f"duty_{name}", "headings": f"headings_{name}", "needs": f"needs_{name}"}
        )
        priced = priced.join(result, on="line_id", how="left")
    duty_cols = [f"duty_{s}" for s in scenarios]
    groups = priced.select(
        "product_group",
        "hts",
        "hs_chapter",
        "customs_value",
        *duty_cols,
        *[f"headings_{s}" for s in scenarios],
        *[f"needs_{s}" for s in scenarios],
    )
    # a chapter's duty is unknown while one of its lines waits for a fact (``needs``)
    by_chapter = (
        priced.group_by("hs_chapter")
        .agg(
            pl.col("customs_value").sum(),
            *[
                pl.when(pl.col(c).null_count() == 0).then(pl.col(c).sum()).alias(c)
                for c in duty_cols
            ],
        )
        .sort("hs_chapter")
    )
    unpriced = basket.filter(pl.col("hts").is_null())
    known = {s: priced.filter(pl.col(f"duty_{s}").is_not_null()) for s in scenarios}
    totals = {s: float(known[s][f"duty_{s}"].sum() or 0.0) for s in scenarios}
    known_value = {s: float(known[s]["customs_value"].sum() or 0.0) for s in scenarios}
    priced_value = float(priced["customs_value"].sum() or 0.0)
    out: dict[str, Any] = {
        "entry_date": on.isoformat(),
        "scenarios": list(scenarios),
        "by_product_group": groups.to_dicts(),
        "by_hs_chapter": by_chapter.to_dicts(),
        "totals": {
            s: {
                "duty": round(totals[s], 2),
                "rate": round(totals[s] / known_value[s], 6) if known_value[s] else None,
                "value_priced": known_value[s],
                "value_waiting_for_facts": priced_value - known_value[s],
            }
            for s in scenarios
        },
        "priced_value": priced_value,
        "unpriced_value": float(unpriced["customs_value"].sum() or 0.0),
        "unpriced_groups": unpriced["product_group"].to_list(),
        "lines_needing_facts": {
            s: priced.filter(pl.col(f"needs_{s}") != "").height for s in scenarios
        },
    }
    for key, (high, low) in {
        "deal_saving": ("no_deal", "actual"),
        "threat_extra_cost": ("threat_2026_01", "actual"),
    }.items():
        if high in scenarios and low in scenarios:
            out[key] = _difference(priced, high, low)
    return out
