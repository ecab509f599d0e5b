"""``tiro energy``: the crisis room, one module per mechanism.

The sub-app is assembled here from ``supply`` (stock cover and 수급 현황), ``disruption``
(scenarios), ``allocation`` (필수품목 우선 공급), ``swap`` (비축유 SWAP ledger), ``alert``
(자원안보 위기경보), ``prices`` (유류세, 최고가격제), ``subsidy`` (수입 보조금) and ``stockpile``
(비축 확충); each module is a thin shell over its ``tiro.energy.<mechanism>`` package.
"""

from __future__ import annotations

import typer

from tiro.cli.energy.alert import alert_app
from tiro.cli.energy.allocation import allocate_cmd
from tiro.cli.energy.disruption import scenario_app
from tiro.cli.energy.prices import fuel_tax_cmd, price_cap_app
from tiro.cli.energy.stations import cases_app, good_stations_cmd, screens_cmd, stations_app
from tiro.cli.energy.stockpile import stockpile_app
from tiro.cli.energy.subsidy import subsidy_app
from tiro.cli.energy.supply import stock_days_cmd, supply_app
from tiro.cli.energy.swap import swap_app

app = typer.Typer(
    help="에너지 위기 대응 Energy crisis room: stock cover, disruption scenarios, allocation.",
    no_args_is_help=True,
)
app.add_typer(scenario_app, name="scenario")
app.add_typer(supply_app, name="supply")
app.add_typer(swap_app, name="swap")
app.add_typer(alert_app, name="alert")
app.add_typer(stations_app, name="stations")
app.add_typer(cases_app, name="cases")
app.add_typer(price_cap_app, name="price-cap")
app.add_typer(subsidy_app, name="subsidy")
app.add_typer(stockpile_app, name="stockpile")
app.command("stock-days")(stock_days_cmd)
app.command("allocate")(allocate_cmd)
app.command("good-stations")(good_stations_cmd)
app.command("screens")(screens_cmd)
app.command("fuel-tax")(fuel_tax_cmd)
