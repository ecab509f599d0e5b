"""``tiro trade items``: 주력 수출 품목 — the major export items with their basis labelled.

The item set is a dated parameter (15 items, 20 from May 2026); each figure says whether it is
MOTIE's MTI basis or an HS approximation (flagged ``approximate``).
"""

from __future__ import annotations

import typer

from tiro.cli.output import JSON_OPTION, console, emit, table
from tiro.cli.trade_options import SCENARIO, day_option, pct
from tiro.core.parameters import get_params
from tiro.trade import items as items_engine

app = typer.Typer(help="Major export items.")

ITEM_COLUMNS = [
    "item",
    "basis",
    "basis_label",
    "approximate",
    "value_usd_bn",
    "growth",
    "growth_source",
    "share",
    "major",
]


@app.command("items")
def items(
    period: str = typer.Option("2025", "--period", help="Period YYYY or YYYY-MM."),
    on: str = typer.Option(None, "--on", help="Date the item set is read at (default today)."),
    as_json: bool = JSON_OPTION,
    scenario: str = SCENARIO,
) -> None:
    """주력 수출 품목 — major export items: value, growth, share, basis (15 → 20 from 2026-05)."""
    params = get_params(scenario)
    day = day_option(on, "on")
    frame = items_engine.item_figures(
        items_engine.load_korea_item_flows(), period=period, on=day, params=params
    )
    defs = items_engine.item_definitions(day, params=params)
    data = {
        "period": period,
        "set_size": int(defs["set_size"][0]),
        "items": frame.select(ITEM_COLUMNS).to_dicts(),
    }
    emit(
        data,
        as_json,
        lambda d: console.print(
            table(
                f"주력 품목 Major items {d['period']} ({d['set_size']}대)",
                ["품목 item", "기준 basis", "USD bn", "증감 growth", "비중 share"],
                [
                    (
                        r["item"],
                        r["basis_label"] + f" ({r['basis']})",
                        f"{r['value_usd_bn']:.1f}",
                        pct(r["growth"]),
                        pct(r["share"]).lstrip("+"),
                    )
                    for r in d["items"]
                ],
            )
        ),
    )
