"""Revealed comparative advantage, export similarity and trade complementarity (WITS).

* Balassa RCA_cp = (x_cp / X_c) / (x_wp / X_w); below 1 is a revealed disadvantage.
* Finger–Kreinin export similarity XS_jk = 100 · Σ_p min(s_jp, s_kp), 0 (disjoint) to 100
  (identical structures); it falls as products are split finer.
* Trade complementarity TC_kj = 100 · (1 − Σ_p |m_kp − x_jp| / 2), where m are importer k's
  import shares and x exporter j's export shares; 100 is a perfect match.
"""

from __future__ import annotations

import polars as pl

from tiro.core.errors import NotFound


def rca(exports: pl.DataFrame, *, loc: str = "reporter", prod: str = "product") -> pl.DataFrame:
    """RCA for every (location, product) present, from a world table of exports."""
    cell = exports.group_by(loc, prod).agg(pl.col("value").sum())
    return cell.with_columns(
        (
            (pl.col("value") / pl.col("value").sum().over(loc))
            / (pl.col("value").sum().over(prod) / pl.col("value").sum())
        ).alias("rca")
    ).sort(loc, prod)


def _structure(frame: pl.DataFrame, key: str, code: str, prod: str) -> pl.DataFrame:
    part = frame.filter(pl.col(key) == code).group_by(prod).agg(pl.col("value").sum())
    if part.is_empty() or float(part["value"].sum()) <= 0:
        raise NotFound(f"no positive trade for {code}", field=key)
    return part.select(prod, (pl.col("value") / pl.col("value").sum()).alias("s"))


def export_similarity(
    exports: pl.DataFrame, a: str, b: str, *, loc: str = "reporter", prod: str = "product"
) -> float:
    """Finger–Kreinin index of two exporters' product structures (0–100)."""
    sa, sb = _structure(exports, loc, a, prod), _structure(exports, loc, b, prod)
    both = sa.join(sb, on=prod, how="inner", suffix="_b")
    return float(both.select(pl.min_horizontal("s", "s_b").sum()).item()) * 100


def trade_complementarity(
    exports: pl.DataFrame,
    imports: pl.DataFrame,
    exporter: str,
    importer: str,
    *,
    loc: str = "reporter",
    prod: str = "product",
) -> float:
    """How well ``exporter``'s export mix matches ``importer``'s import mix (0–100)."""
    x = _structure(exports, loc, exporter, prod).rename({"s": "x"})
    m = _structure(imports, loc, importer, prod).rename({"s": "m"})
    both = x.join(m, on=prod, how="full", coalesce=True).fill_null(0.0)
    gap = float(both.select((pl.col("m") - pl.col("x")).abs().sum()).item())
    return 100 * (1 - gap / 2)
