"""Concentration and diversification of a trade structure (WITS definitions).

Three concentration measures are named apart because they are easy to confuse:

* ``hhi`` — Herfindahl–Hirschman index, Σ s² over the shares of N lines (0 < HHI ≤ 1);
* ``hhi_normalized`` — (H − 1/N) / (1 − 1/N), 0 for equal shares, 1 for one line;
* ``unctad_concentration`` — UNCTAD's index on the square root,
  (√H − √(1/N)) / (1 − √(1/N)).

N counts the lines with a positive value. With N = 1 both normalised forms are 1 (a single
line is full concentration). ``diversification_dx`` is WITS's DX = Σ|h_ij − h_i| / 2, the
distance of a country's export structure from the world's.
"""

from __future__ import annotations

import math

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree


def concentration(values: pl.Series) -> dict[str, float | int]:
    """The three indices for one set of line values (negative values are refused)."""
    if (values < 0).any():
        raise InvalidInput("values must not be negative", field="value")
    positive = values.filter(values > 0)
    n = positive.len()
    if n == 0:
        raise InvalidInput("no positive values to measure", field="value")
    shares = positive / positive.sum()
    hhi = float((shares**2).sum())
    if n == 1:
        return {"hhi": 1.0, "hhi_normalized": 1.0, "unctad_concentration": 1.0, "n": 1}
    return {
        "hhi": hhi,
        "hhi_normalized": (hhi - 1 / n) / (1 - 1 / n),
        "unctad_concentration": (math.sqrt(hhi) - math.sqrt(1 / n)) / (1 - math.sqrt(1 / n)),
        "n": n,
    }


def concentration_over(
    flows: pl.DataFrame, *, over: str, params: ParameterTree | None = None
) -> dict[str, float | int]:
    """The indices over the products or the partners of one reporter's flows, each line once.

    Which rows are read follows ``tiro.trade.partner_levels``: over products, each product's
    trade with the world (its ``WLD`` row, else its partner rows summed once); over partners,
    the partner rows with a region row standing for its members, non-country areas (``XNS``
    Areas, nes) left out as they are not partners one can be concentrated on, and the
    ``TOTAL`` rows when there are any (else the product lines summed per partner).
    """
    from tiro.trade.partner_levels import partner_lines, world_cells

    if over not in ("product", "partner"):
        raise InvalidInput("concentration runs over product or partner", field="over")
    if over == "product":
        lines = world_cells(flows.filter(pl.col("product") != "TOTAL"), params)
    else:
        lines = partner_lines(flows, params).filter(pl.col("level") != "area")
        totals = lines.filter(pl.col("product") == "TOTAL")
        lines = totals if totals.height else lines
    return concentration(lines.group_by(over).agg(pl.col("value").sum())["value"])


def concentration_table(flows: pl.DataFrame, *, over: str, by: list[str]) -> pl.DataFrame:
    """The indices for every group in ``by`` (e.g. reporter, period), vectorised.

    ``over`` is the line dimension (``product`` or ``partner``).
    """
    if over not in ("product", "partner"):
        raise InvalidInput("concentration runs over product or partner", field="over")
    lines = (
        flows.filter(pl.col("value") > 0)
        .group_by([*by, over])
        .agg(pl.col("value").sum())
        .with_columns((pl.col("value") / pl.col("value").sum().over(by)).alias("s"))
    )
    return (
        lines.group_by(by)
        .agg((pl.col("s") ** 2).sum().alias("hhi"), pl.len().alias("n"))
        .with_columns(
            pl.when(pl.col("n") == 1)
            .then(1.0)
            .otherwise((pl.col("hhi") - 1 / pl.col("n")) / (1 - 1 / pl.col("n")))
            .alias("hhi_normalized"),
            pl.when(pl.col("n") == 1)
            .then(1.0)
            .otherwise(
                (pl.col("hhi").sqrt() - (1 / pl.col("n")).sqrt()) / (1 - (1 / pl.col("n")).sqrt())
            )
            .alias("unctad_concentration"),
        )
        .sort(by)
    )


def diversification_dx(
    exports: pl.DataFrame, *, loc: str = "reporter", prod: str = "product"
) -> pl.DataFrame:
    """DX per location: half the absolute gap between its product shares and the world's."""
    cell = exports.group_by(loc, prod).agg(pl.col("value").sum())
    world = cell.group_by(prod).agg(pl.col("value").sum().alias("w"))
    world = world.with_columns((pl.col("w") / pl.col("w").sum()).alias("h_world"))
    locs = cell.select(loc).unique()
    full = locs.join(world.select(prod, "h_world"), how="cross").join(
        cell, on=[loc, prod], how="left"
    )
    full = full.with_columns(pl.col("value").fill_null(0.0))
    full = full.with_columns((pl.col("value") / pl.col("value").sum().over(loc)).alias("h"))
    return (
        full.group_by(loc)
        .agg(((pl.col("h") - pl.col("h_world")).abs().sum() / 2).alias("dx"))
        .sort(loc)
    )
