"""유류세 Fuel tax per litre on any date, from the dated parameters in params/energy/fuel_tax/.

tax = base excise x (1 - cut); 교육세 = 15% of it; 주행세 = 26% of it (gasoline, diesel);
VAT 10% on the three; the published total is truncated to whole won (rounding.yaml says why).
Vectorised: :func:`tax_table` prices a whole column of (date, product, cut) rows with
parameter lookups; :func:`fuel_tax` is the one-row contract of ``tiro energy fuel-tax``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree

PRODUCTS = ("gasoline", "diesel", "kerosene", "lpg_butane")
#: Which excise the base rate is, so a reader of lpg_butane's "transport_tax" is not misled.
TAX_KIND = {
    "gasoline": "교통·에너지·환경세",
    "diesel": "교통·에너지·환경세",
    "kerosene": "개별소비세",
    "lpg_butane": "개별소비세",
}
P = "energy.fuel_tax."
#: Float noise guard for the floor (491.97 x 1.551 must not become 763.0499999).
EPS = 1e-9


def check_product(product: str, field: str = "product") -> str:
    """The product, or a clear error listing the known ones."""
    if product not in PRODUCTS:
        raise InvalidInput(
            f"unknown product {product!r}; one of {', '.join(PRODUCTS)}", field=field
        )
    return product


def tax_table(params: ParameterTree, rows: pl.DataFrame) -> pl.DataFrame:
    """Taxes per litre for each row of ``rows`` (``date``, ``product``, optional ``cut``).

    A null ``cut`` means the cut in force on the date. A cut outside 0–1 or above the legal
    maximum in force is refused naming ``cut``; a date before the table starts raises the
    parameter-date error naming ``date``.
    """
    for product in rows["product"].unique().to_list():
        check_product(product)
    if "cut" not in rows.columns:
        rows = rows.with_columns(cut=pl.lit(None, dtype=pl.Float64))
    dates, products = rows["date"], rows["product"]
    frame = rows.with_columns(
        base=params.lookup(P + "base_rate", dates, products).cast(pl.Float64),
        cut_in_force=params.lookup(P + "cut_rate", dates, products).cast(pl.Float64),
        max_cut=params.lookup(P + "max_cut", dates).cast(pl.Float64),
        education_rate=params.lookup(P + "education_rate", dates).cast(pl.Float64),
        driving_rate=params.lookup(P + "driving_rate", dates, products).cast(pl.Float64),
        vat_rate=params.lookup(P + "vat_rate", dates).cast(pl.Float64),
    ).with_columns(cut_rate=pl.coalesce("cut", "cut_in_force"))
    _check_cuts(frame)
    frame = frame.with_columns(transport_tax=pl.col("base") * (1 - pl.col("cut_rate")))
    frame = frame.with_columns(
        education_tax=pl.col("transport_tax") * pl.col("education_rate"),
        driving_tax=pl.col("transport_tax") * pl.col("driving_rate"),
    ).with_columns(
        vat_on_tax=(pl.col("transport_tax") + pl.col("education_tax") + pl.col("driving_tax"))
        * pl.col("vat_rate")
    )
    unrounded = pl.sum_horizontal("transport_tax", "education_tax", "driving_tax", "vat_on_tax")
    return frame.with_columns(
        total_unrounded=unrounded, total_per_litre=(unrounded + EPS).floor().cast(pl.Int64)
    )


def _check_cuts(frame: pl.DataFrame) -> None:
    given = frame.filter(pl.col("cut").is_not_null())
    if given.is_empty():
        return
    outside = given.filter((pl.col("cut") < 0) | (pl.col("cut") > 1))
    if not outside.is_empty():
        raise InvalidInput(f"cut {outside['cut'][0]} is outside 0–1", field="cut")
    above = given.filter(pl.col("cut") > pl.col("max_cut") + EPS)
    if not above.is_empty():
        row = above.row(0, named=True)
        raise InvalidInput(
            f"cut {row['cut']} is above the legal maximum {row['max_cut']} in force on "
            f"{row['date']} (energy.fuel_tax.max_cut)",
            field="cut",
        )


def fuel_tax(
    *, params: ParameterTree, product: str, on: dt.date, cut: float | None = None
) -> dict[str, Any]:
    """The contract of ``tiro energy fuel-tax``: taxes per litre (KRW) on one date."""
    rows = pl.DataFrame(
        {"date": [on], "product": [check_product(product)], "cut": [cut]},
        schema={"date": pl.Date, "product": pl.Utf8, "cut": pl.Float64},
    )
    row = tax_table(params, rows).row(0, named=True)
    out: dict[str, Any] = {
        "product": product,
        "date": on.isoformat(),
        "cut_rate": row["cut_rate"],
        "transport_tax": round(row["transport_tax"], 4),
        "education_tax": round(row["education_tax"], 4),
        "driving_tax": round(row["driving_tax"], 4),
        "vat_on_tax": round(row["vat_on_tax"], 4),
        "total_per_litre": row["total_per_litre"],
        "unit": "KRW/L",
        "tax_kind": TAX_KIND[product],
        "base_rate": row["base"],
        "cut_source": "given" if cut is not None else "in force (energy.fuel_tax.cut_rate)",
        "max_cut": row["max_cut"],
        "total_unrounded": round(row["total_unrounded"], 4),
    }
    out["import_levy"] = params.at(P + "import_levy", on)
    return out


def cut_history(params: ParameterTree, product: str) -> list[dict[str, Any]]:
    """Every dated cut for ``product`` with the total per litre it gave: the page's tax chart."""
    check_product(product)
    dates = [v.effective_from for v in params.series(P + "cut_rate")]
    rows = pl.DataFrame({"date": dates, "product": [product] * len(dates)})
    table = tax_table(params, rows)
    return [
        {
            "date": r["date"].isoformat(),
            "cut_rate": r["cut_rate"],
            "transport_tax": round(r["transport_tax"], 4),
            "total_per_litre": r["total_per_litre"],
        }
        for r in table.iter_rows(named=True)
    ]
