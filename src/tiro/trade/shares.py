"""Shares, share changes and contributions to growth, by partner, partner group or product.

The report's diversification claim — 美中 의존 38.1% → 35.8%, 아세안·중남미·CIS 22.6% → 23.6%
('24 → '25) — is a share of total exports by partner group; ``shares`` computes it the same
way from country rows (grouped by the membership in force) or from published region rows.
The denominator is the world row (partner ``WLD``) when the table has one, otherwise the sum
of the parts; groups are never forced to add up, and whatever they leave is ``other``. A
region row (``ASEAN``) stands for its members: a member row beside it (``VNM``) is not added
to the region's share or the total a second time (``tiro.trade.partner_levels``).
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from tiro.core.errors import InvalidInput, NotFound
from tiro.core.parameters import ParameterTree
from tiro.trade.codes import TOTAL_PRODUCT, WORLD
from tiro.trade.partner_groups import OTHER, assign_groups, set_members, set_names
from tiro.trade.partner_levels import partner_lines, world_cells
from tiro.trade.schema import parse_period

By = Literal["partner", "partner_group", "partner_group_set", "product"]
BY_CHOICES = ("partner", "partner_group", "partner_group_set", "product")


def _cell(flows: pl.DataFrame, period: str, reporter: str, flow: str) -> pl.DataFrame:
    parse_period(period)
    cell = flows.filter(
        (pl.col("period") == period) & (pl.col("reporter") == reporter) & (pl.col("flow") == flow)
    )
    if cell.is_empty():
        raise NotFound(f"no {flow} flows for {reporter} in {period}", field="period")
    bases = cell["basis"].unique().sort().to_list()
    if len(bases) > 1:
        raise InvalidInput(
            f"{period} mixes figures from {', '.join(bases)}; choose one basis", field="basis"
        )
    return cell


def _total(rows: pl.DataFrame, parts: pl.DataFrame) -> float:
    return float(rows["value"].sum()) if not rows.is_empty() else float(parts["value"].sum())


def shares(
    flows: pl.DataFrame,
    *,
    period: str,
    by: By,
    params: ParameterTree,
    reporter: str = "KOR",
    flow: str = "X",
) -> dict[str, object]:
    """``{"period", "total", "groups": {name: share}}`` for the chosen breakdown."""
    if by not in BY_CHOICES:
        raise InvalidInput(f"unknown breakdown {by!r} ({', '.join(BY_CHOICES)})", field="by")
    cell = _cell(flows, period, reporter, flow)
    if by == "product":
        cells = world_cells(cell, params)
        parts = cells.filter(pl.col("product") != TOTAL_PRODUCT)
        total = _total(cells.filter(pl.col("product") == TOTAL_PRODUCT), parts)
        keyed = parts.group_by(pl.col("product").alias("key")).agg(pl.col("value").sum())
    else:
        totals = cell.filter(pl.col("product") == TOTAL_PRODUCT)
        source = totals if totals.height else cell
        world = source.filter(pl.col("partner") == WORLD)
        # a region row stands for its members: they are not added to it a second time
        lines = partner_lines(source, params)
        parts = lines.group_by("partner", "period").agg(pl.col("value").sum())
        total = _total(world, parts)
        if by == "partner":
            listed = source.filter(pl.col("partner") != WORLD)
            keyed = listed.group_by(pl.col("partner").alias("key")).agg(pl.col("value").sum())
        else:
            grouped = assign_groups(parts, params)
            keyed = grouped.group_by(pl.col("group").alias("key")).agg(pl.col("value").sum())
            if by == "partner_group_set":
                keyed = _sets(keyed, params, period)
            elif not world.is_empty():
                named = keyed.filter(pl.col("key") != OTHER)
                rest = total - float(named["value"].sum())
                keyed = pl.concat([named, pl.DataFrame({"key": [OTHER], "value": [rest]})])
    if total <= 0:
        raise InvalidInput(f"total {flow} for {reporter} in {period} is zero", field="value")
    if keyed.is_empty():
        raise NotFound(
            f"no {by.replace('_', ' ')} rows for {reporter} in {period} (only a world total)",
            field="by",
        )
    keyed = keyed.sort("value", descending=True)
    return {
        "period": period,
        "total": total,
        "groups": {k: v / total for k, v in keyed.iter_rows()},
    }


def _sets(by_group: pl.DataFrame, params: ParameterTree, period: str) -> pl.DataFrame:
    names, values = [], []
    for name in set_names(params):
        members = set_members(params, name, period)
        names.append(name)
        values.append(float(by_group.filter(pl.col("key").is_in(members))["value"].sum()))
    return pl.DataFrame({"key": names, "value": values})


def share_changes(
    flows: pl.DataFrame,
    *,
    before: str,
    after: str,
    by: By,
    params: ParameterTree,
    reporter: str = "KOR",
    flow: str = "X",
) -> pl.DataFrame:
    """Share in each period and the change in percentage points (after − before)."""
    a = shares(flows, period=before, by=by, params=params, reporter=reporter, flow=flow)
    b = shares(flows, period=after, by=by, params=params, reporter=reporter, flow=flow)
    keys = list(dict.fromkeys([*b["groups"], *a["groups"]]))
    return pl.DataFrame(
        {
            "key": keys,
            "share_before": [a["groups"].get(k) for k in keys],
            "share_after": [b["groups"].get(k) for k in keys],
        }
    ).with_columns(((pl.col("share_after") - pl.col("share_before")) * 100).alias("change_pp"))


def contributions(
    flows: pl.DataFrame,
    *,
    before: str,
    after: str,
    by: By,
    params: ParameterTree,
    reporter: str = "KOR",
    flow: str = "X",
) -> pl.DataFrame:
    """Contribution of each part to total growth (기여도): (x_after − x_before) / X_before.

    The contributions add up to total growth when the parts cover the total (``other``
    included); the value columns are in USD.
    """
    a = shares(flows, period=before, by=by, params=params, reporter=reporter, flow=flow)
    b = shares(flows, period=after, by=by, params=params, reporter=reporter, flow=flow)
    ta, tb = float(a["total"]), float(b["total"])
    keys = list(dict.fromkeys([*b["groups"], *a["groups"]]))
    before_v = [a["groups"].get(k, 0.0) * ta for k in keys]
    after_v = [b["groups"].get(k, 0.0) * tb for k in keys]
    return pl.DataFrame(
        {"key": keys, "value_before": before_v, "value_after": after_v}
    ).with_columns(
        ((pl.col("value_after") - pl.col("value_before")) / ta).alias("contribution"),
        (pl.col("value_after") / pl.col("value_before") - 1).alias("growth"),
    )
