"""Which partner level a computation reads — one rule for every world-table indicator.

A flow table may hold the same exports at several partner levels: a reporter's ``WLD`` row
for a product beside its rows by partner country, or a region row (``ASEAN``) beside rows for
its members (``VNM``). Summing every row counts the same goods twice (KOR→WLD 8542 = 100 plus
KOR→USA 60 and KOR→CHN 40 would make KOR 8542 = 200). The rule, per period, reporter,
product, classification and flow (a *cell*):

1. **The world row wins.** When the cell has a ``WLD`` row, that is the reporter's trade with
   the world in the product. Partner rows beside it are a breakdown of it, so they may add up
   to less (only the main partners are listed) but not to more: a partner sum above the world
   row by more than ``trade.world_table.partner_sum_tolerance`` is refused.
2. **Otherwise the partners are summed once.** Country rows and non-country areas (Comtrade's
   899 Areas, nes -> ``XNS``, bunkers, free zones: ``tiro.trade.codes.non_country_codes``)
   each count once. A region row stands for all its members (membership in force at the
   period's end, ``trade.partner_groups``): member rows beside it are inside it and are left
   out, after checking they fit inside it (same tolerance). A region row is never added
   beside its own members.
3. **One basis per cell.** Two sources' figures for one cell (MOTIE and KCS) are two numbers
   for one thing: refused, choose a basis.

RCA, export similarity, complementarity, diversification, complexity and concentration over
products all read :func:`world_cells`; concentration over partners and partner-group shares
read :func:`partner_lines` (rule 2 without the world row).
"""

from __future__ import annotations

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree, get_params
from tiro.trade.codes import WORLD, iso3_codes, non_country_codes
from tiro.trade.partner_groups import assign_groups, group_codes
from tiro.trade.schema import period_end

CELL = ("period", "reporter", "product", "classification", "flow")
TOLERANCE = "trade.world_table.partner_sum_tolerance"


def _tolerance(params: ParameterTree, periods: pl.Series) -> pl.DataFrame:
    """The tolerance in force at each period's end, one row per distinct period."""
    distinct = periods.unique().sort()
    values = [float(params.at(TOLERANCE, period_end(p))) for p in distinct]
    return pl.DataFrame({"period": distinct, "tolerance": values})


def _describe(row: dict, keys: tuple[str, ...]) -> str:
    return " ".join(str(row[k]) for k in keys if k in row)


def _with_keys(flows: pl.DataFrame) -> pl.DataFrame:
    """A table without ``classification``/``basis`` (a hand-made world table) is one of each."""
    missing = {"classification": "HS", "basis": "USER"}
    return flows.with_columns(
        pl.lit(value).alias(name) for name, value in missing.items() if name not in flows.columns
    )


def _one_basis(flows: pl.DataFrame) -> None:
    if flows["basis"].n_unique() <= 1:
        return  # the usual case, checked without a group-by
    mixed = (
        flows.group_by(list(CELL))
        .agg(pl.col("basis").n_unique().alias("n"))
        .filter(pl.col("n") > 1)
    )
    if mixed.height:
        row = mixed.row(0, named=True)
        bases = flows.join(mixed.head(1), on=list(CELL))["basis"].unique().sort().to_list()
        raise InvalidInput(
            f"{_describe(row, CELL)} has figures from {', '.join(bases)}; choose one basis",
            field="basis",
        )


def partner_lines(flows: pl.DataFrame, params: ParameterTree | None = None) -> pl.DataFrame:
    """Partner rows (no ``WLD``) with member rows inside a region row of the same cell removed.

    Adds ``level`` (country, area or region). Refuses members that add up to more than their
    region row.
    """
    params = params or get_params()
    parts = _with_keys(flows).filter(pl.col("partner") != WORLD)
    if parts.is_empty():
        return parts.with_columns(pl.lit(None, pl.String).alias("level"))
    # A code that is a country stays a country even when a one-country group shares it
    # (the ``usa`` group's code is USA).
    regions = list(group_codes(params) - iso3_codes())
    parts = assign_groups(parts, params).with_columns(
        pl.when(pl.col("partner").is_in(regions))
        .then(pl.lit("region"))
        .when(pl.col("partner").is_in(list(non_country_codes())))
        .then(pl.lit("area"))
        .otherwise(pl.lit("country"))
        .alias("level")
    )
    by_group = [*CELL, "group"]
    region_rows = parts.filter(pl.col("level") == "region").select(
        *by_group, pl.col("value").alias("region_value")
    )
    members = parts.filter(pl.col("level") == "country").join(region_rows, on=by_group, how="inner")
    if members.height:
        check = (
            members.group_by(by_group)
            .agg(pl.col("value").sum().alias("members"), pl.col("region_value").first())
            .join(_tolerance(params, members["period"]), on="period")
            .filter(pl.col("members") > pl.col("region_value") * (1 + pl.col("tolerance")))
        )
        if check.height:
            row = check.row(0, named=True)
            raise InvalidInput(
                f"{_describe(row, CELL)}: member countries of {row['group']} add up to "
                f"{row['members']:g}, more than its region row {row['region_value']:g}",
                field="partner",
            )
        parts = parts.join(
            region_rows.select(by_group).with_columns(pl.lit(True).alias("_covered")),
            on=by_group,
            how="left",
        )
        parts = parts.filter(
            ~(pl.col("_covered").fill_null(False) & (pl.col("level") == "country"))
        ).drop("_covered")
    return parts.drop("group")


def world_cells(flows: pl.DataFrame, params: ParameterTree | None = None) -> pl.DataFrame:
    """One row per cell: the reporter's trade with the world in the product (module rule).

    Columns: the cell keys, ``basis``, ``value`` and ``level_read`` (``world`` when the
    ``WLD`` row was read, ``partners`` when the partner rows were summed).
    """
    params = params or get_params()
    flows = _with_keys(flows)
    if flows.is_empty():
        return flows.select(*CELL, "basis", "value").with_columns(
            pl.lit(None, pl.String).alias("level_read")
        )
    _one_basis(flows)
    world = flows.filter(pl.col("partner") == WORLD).select(
        *CELL, "basis", pl.col("value").alias("world")
    )
    summed = (
        partner_lines(flows, params)
        .group_by([*CELL, "basis"])
        .agg(pl.col("value").sum().alias("partners"))
    )
    cells = world.join(summed, on=[*CELL, "basis"], how="full", coalesce=True)
    both = cells.filter(pl.col("world").is_not_null() & pl.col("partners").is_not_null())
    if both.height:
        over = both.join(_tolerance(params, both["period"]), on="period").filter(
            pl.col("partners") > pl.col("world") * (1 + pl.col("tolerance"))
        )
        if over.height:
            row = over.row(0, named=True)
            raise InvalidInput(
                f"{_describe(row, CELL)}: partner rows add up to {row['partners']:g}, more "
                f"than the world row {row['world']:g}; one of the two levels is wrong",
                field="partner",
            )
    return cells.select(
        *CELL,
        "basis",
        pl.coalesce("world", "partners").alias("value"),
        pl.when(pl.col("world").is_not_null())
        .then(pl.lit("world"))
        .otherwise(pl.lit("partners"))
        .alias("level_read"),
    ).sort(list(CELL))
