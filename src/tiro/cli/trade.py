"""``tiro trade``: trade statistics — vintaged flows, growth, shares, concentration, complexity.

This module is only the ``tiro trade`` app; the commands live in modules named by what they
do, and are mounted here flat (``tiro trade shares``, not ``tiro trade indicators shares``):

- ``trade_store_cli``: facts, import, flows (the vintaged store)
- ``trade_indicators_cli``: indicators, balance, shares, share-change, contributions
- ``trade_world_cli``: concentration, complexity, rca, similarity, complementarity,
  diversification, rank (world tables)
- ``trade_items_cli``: items (주력 수출 품목)
- ``trade_nowcast_cli``: working-days, nowcast, adjust, project
- ``trade_fdi_cli``: fdi, programmes
"""

from __future__ import annotations

import typer

from tiro.cli import (
    trade_fdi_cli,
    trade_indicators_cli,
    trade_items_cli,
    trade_nowcast_cli,
    trade_store_cli,
    trade_world_cli,
)

app = typer.Typer(
    help="무역 통계 Trade statistics: vintaged flows, growth, shares, concentration, complexity.",
    no_args_is_help=True,
)

for _part in (
    trade_store_cli,
    trade_indicators_cli,
    trade_world_cli,
    trade_items_cli,
    trade_nowcast_cli,
    trade_fdi_cli,
):
    app.registered_commands.extend(_part.app.registered_commands)
