"""Partner groups (지역 분류) as dated parameters, and their use on flow tables.

Groups are leaves ``trade.partner_groups.<name>`` holding ISO alpha-3 member lists (the EU
loses the United Kingdom on 2020-02-01, ASEAN gains Timor-Leste on 2025-10-26); sets of groups
the report measures together (美中 의존, 아세안·중남미·CIS 다변화) are leaves
``trade.partner_group_sets.<name>``. Membership is read at the last day of each period, so a
2019 figure and a 2021 figure are grouped by the membership of their own time.
"""

from __future__ import annotations

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree, get_params
from tiro.trade.schema import period_end

GROUP_PREFIX = "trade.partner_groups."
SET_PREFIX = "trade.partner_group_sets."
OTHER = "other"


def group_names(params: ParameterTree) -> list[str]:
    """Names of the base partner groups, in parameter-tree order."""
    return [p.removeprefix(GROUP_PREFIX) for p in params.paths(GROUP_PREFIX)]


def set_names(params: ParameterTree) -> list[str]:
    """Names of the group sets (composites of base groups)."""
    return [p.removeprefix(SET_PREFIX) for p in params.paths(SET_PREFIX)]


def group_codes(params: ParameterTree | None = None) -> frozenset[str]:
    """Upper-case group names: the partner code of a published regional figure (``ASEAN``)."""
    return frozenset(n.upper() for n in group_names(params or get_params()))


def membership(params: ParameterTree, period: str) -> pl.DataFrame:
    """(partner, group) for every member in force at the period's end, plus region codes.

    A partner may belong to one base group only; overlapping definitions would count one
    country's exports twice, so they are an error.
    """
    on = period_end(period)
    partners: list[str] = []
    groups: list[str] = []
    for name in group_names(params):
        members = list(params.at(GROUP_PREFIX + name, on) or [])
        if name.upper() not in members:
            members.append(name.upper())
        partners.extend(members)
        groups.extend([name] * len(members))
    table = pl.DataFrame({"partner": partners, "group": groups})
    dup = table.filter(pl.col("partner").is_duplicated())
    if dup.height:
        raise InvalidInput(
            f"{dup['partner'][0]} is in more than one partner group on {on}", field="partner"
        )
    return table


def assign_groups(flows: pl.DataFrame, params: ParameterTree) -> pl.DataFrame:
    """Add a ``group`` column (``other`` for partners outside every group).

    Works per distinct period (a handful), joining each period's membership table.
    """
    parts = []
    for (period,) in flows.select("period").unique().iter_rows():
        table = membership(params, period)
        part = flows.filter(pl.col("period") == period).join(table, on="partner", how="left")
        parts.append(part.with_columns(pl.col("group").fill_null(OTHER)))
    if not parts:
        return flows.with_columns(pl.lit(OTHER).alias("group"))
    return pl.concat(parts, how="vertical_relaxed")


def set_members(params: ParameterTree, name: str, period: str) -> list[str]:
    """Base groups in a group set at the period's end."""
    if name not in set_names(params):
        raise InvalidInput(f"unknown partner-group set {name!r}", field="set")
    return list(params.at(SET_PREFIX + name, period_end(period)) or [])


def labels(params: ParameterTree, path_prefix: str, name: str) -> dict[str, str]:
    """Korean and English label of a group or set (Korean first on every screen)."""
    leaf = params.leaf(path_prefix + name)
    return {"ko": leaf.label.get("ko", name), "en": leaf.label.get("en", name)}
