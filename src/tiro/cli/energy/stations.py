"""``tiro energy stations | good-stations | screens``: the station network (주유소).

Thin shell over tiro.energy.stations.service (finder, registry, averages, 착한주유소 rounds)
and tiro.energy.screens.service (collusion, Edgeworth, hoarding). The data is the seeded
sample, labelled ``sample`` in every answer.
"""

from __future__ import annotations

import typer

from tiro.cli.energy.common import PARAMS_SCENARIO, fmt, parse_day
from tiro.cli.output import JSON_OPTION, console, emit, records, table
from tiro.core.parameters import get_params
from tiro.energy.screens.service import SCREENS, run_screen
from tiro.energy.stations import service

stations_app = typer.Typer(help="주유소 Stations: finder, registry, daily averages (sample).")
PRODUCT = typer.Option("gasoline", "--product", help="gasoline, premium, diesel or kerosene.")
ON = typer.Option(None, "--on", help="Price day YYYY-MM-DD (default: the sample's last day).")


@stations_app.command("near")
def near_cmd(
    lat: float = typer.Option(..., "--lat", help="Latitude (WGS84 degrees, in Korea)."),
    lon: float = typer.Option(..., "--lon", help="Longitude (WGS84 degrees, in Korea)."),
    radius_km: float = typer.Option(..., "--radius-km", help="Search radius in km (0 < r <= 100)."),
    product: str = PRODUCT,
    limit: int | None = typer.Option(None, "--limit", help="At most this many stations."),
    below_average: bool = typer.Option(
        False, "--below-average", help="Only stations below their 시도 average."
    ),
    on: str | None = ON,
    as_json: bool = JSON_OPTION,
) -> None:
    """주변 주유소 Stations near a point, cheapest first (then nearest)."""
    day = parse_day(on, "--on") if on else None
    data = service.near(
        lat=lat, lon=lon, radius_km=radius_km, product=product, limit=limit, on=day,
        below_average=below_average,
    )  # fmt: skip

    def render(d: dict) -> None:
        rows = [
            [s["id"], s["name"], fmt(s["distance_km"], 2), fmt(s["price"], 0), s["sido"],
             fmt(s["regional_average"], 1)]
            for s in d["stations"]
        ]  # fmt: skip
        cols = ["id", "상호 name", "km", "가격 price", "시도", "시도 평균 avg"]
        console.print(table(f"{d['product']} {d['date']} ({d['data_label']})", cols, rows))

    emit(data, as_json, render)


@stations_app.command("show")
def show_cmd(
    station_id: str = typer.Argument(..., help="Station id"), as_json: bool = JSON_OPTION
) -> None:
    """주유소 정보 One station's record and latest prices."""
    data = service.station(station_id)
    emit(data, as_json, lambda d: console.print(records("주유소 station", [d["station"]])))


@stations_app.command("list")
def list_cmd(
    sido: str | None = typer.Option(None, "--sido", help="Only this 시도 (e.g. 서울)."),
    limit: int = typer.Option(20, "--limit", min=1, max=1000, help="Page size."),
    offset: int = typer.Option(0, "--offset", min=0, help="Rows to skip."),
    as_json: bool = JSON_OPTION,
) -> None:
    """주유소 목록 A page of the registry."""
    data = service.list_stations(sido=sido, limit=limit, offset=offset)
    emit(
        data,
        as_json,
        lambda d: console.print(records(f"{d['total']} stations (sample)", d["stations"])),
    )


@stations_app.command("averages")
def averages_cmd(product: str = PRODUCT, on: str | None = ON, as_json: bool = JSON_OPTION) -> None:
    """평균 가격 National and 시도 average prices on a day."""
    day = parse_day(on, "--on") if on else None
    data = service.averages(product=product, on=day)

    def render(d: dict) -> None:
        console.print(f"전국 national {d['national']['price']:,.1f} KRW/L ({d['data_label']})")
        rows = [[r["sido"], fmt(r["price"], 1), r["stations"]] for r in d["regions"]]
        console.print(
            table(f"{d['product']} {d['date']}", ["시도", "가격 price", "stations"], rows)
        )

    emit(data, as_json, render)


def good_stations_cmd(
    start: str = typer.Option(..., "--start", help="Round start YYYY-MM-DD."),
    end: str = typer.Option(..., "--end", help="Round end YYYY-MM-DD."),
    product: str = PRODUCT,
    scenario: str | None = PARAMS_SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """착한주유소 The good stations of a round (cheapest eligible per 시군구)."""
    data = service.good_stations(
        start=parse_day(start, "--start"), end=parse_day(end, "--end"), product=product,
        params=get_params(scenario),
    )  # fmt: skip

    def render(d: dict) -> None:
        rows = [[s["sigungu"], s["station_id"], s["name"], fmt(s["average_price"], 1)]
                for s in d["stations"]]  # fmt: skip
        console.print(table(f"착한주유소 {d['count']} ({d['data_label']})",
                            ["시군구", "id", "상호", "평균 avg"], rows))  # fmt: skip
        p = d["published"]
        console.print(
            f"보고서 report: {p['total']} stations in {p['rounds']} rounds ({p['as_of']})"
        )

    emit(data, as_json, render)


def screens_cmd(
    screen: str = typer.Argument(..., help=f"One of: {', '.join(SCREENS)}."),
    product: str | None = typer.Option(None, "--product", help="Only this product."),
    scenario: str | None = PARAMS_SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """시장 감시 Screens: collusion, Edgeworth cycles, hoarding, fake-fuel risk — each flag with its reason."""
    data = run_screen(screen, params=get_params(scenario), product=product)

    def render(d: dict) -> None:
        console.print(records(f"{d['screen']} ({d['data_label']})", d["flags"]))
        console.print(
            f"{d['stations_flagged']} stations flagged; planted {d['planted']}; "
            f"precision {d['precision']}, recall {d['recall']}"
        )

    emit(data, as_json, render)
