"""``tiro energy stations | good-stations | screens | cases``: the station network (주유소).

Thin shell over tiro.energy.stations.service (finder, registry, averages, 착한주유소 rounds)
and tiro.energy.screens.service (collusion, Edgeworth, hoarding). The data is the seeded
sample, labelled ``sample`` in every answer.
"""

from __future__ import annotations

import typer

from tiro.cli.energy.common import ACTOR, PARAMS_SCENARIO, fmt, parse_day
from tiro.cli.output import JSON_OPTION, cli_actor, console, emit, records, table
from tiro.core.db import session_scope
from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.energy.screens import register
from tiro.energy.screens.service import SCREENS, run_price_display, run_screen
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
    screen: str = typer.Argument(..., help=f"One of: {', '.join(SCREENS)}, price-display."),
    product: str | None = typer.Option(None, "--product", help="Only this product."),
    observed: str | None = typer.Option(
        None, "--observed", help="price-display: CSV of station_id,date,product,displayed_price."
    ),
    scenario: str | None = PARAMS_SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """시장 감시 Screens: collusion, leader-follower, Edgeworth, hoarding, fake-fuel, price display — each flag with its reason."""
    if screen in ("price-display", "price_display"):
        if observed is None:
            raise InvalidInput("price-display needs --observed FILE", field="--observed")
        data = run_price_display(observed, params=get_params(scenario))
        emit(data, as_json, lambda d: console.print(records(f"price_display ({d['data_label']})",
                                                            d["flags"])))  # fmt: skip
        return
    data = run_screen(screen, params=get_params(scenario), product=product)

    def render(d: dict) -> None:
        console.print(records(f"{d['screen']} ({d['data_label']})", d["flags"]))
        console.print(
            f"{d['stations_flagged']} stations flagged; planted {d['planted']}; "
            f"precision {d['precision']}, recall {d['recall']}"
        )

    emit(data, as_json, render)


cases_app = typer.Typer(help="점검 사건 Inspection register: open, advance, list, count cases.")


@cases_app.command("list")
def cases_list(
    state: str | None = typer.Option(None, "--state", help="Only cases in this state."),
    as_json: bool = JSON_OPTION,
) -> None:
    """사건 목록 Every case, oldest first."""
    with session_scope() as session:
        data = {"cases": register.list_cases(session=session, state=state)}
    emit(data, as_json, lambda d: console.print(records("점검 사건 cases", d["cases"])))


@cases_app.command("open")
def cases_open(
    station: str = typer.Option(..., "--station", help="Station id."),
    case_type: str = typer.Option(
        ..., "--type", help="fake_fuel, collusion, hoarding, price_display."
    ),
    on: str = typer.Option(..., "--on", help="Date opened YYYY-MM-DD."),
    reason: str = typer.Option(..., "--reason", help="Why the case is opened."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """사건 등록 Open a case by hand (audited)."""
    with session_scope() as session:
        data = register.open_case(session=session, actor=cli_actor(actor), station_id=station,
                                  case_type=case_type, on=parse_day(on, "--on"), reason=reason)  # fmt: skip
    emit(data, as_json, lambda d: console.print(records("사건 case", [d])))


@cases_app.command("from-screen")
def cases_from_screen(
    screen: str = typer.Argument(..., help="collusion, leader_follower, hoarding or fake_fuel."),
    on: str = typer.Option(..., "--on", help="Date opened YYYY-MM-DD."),
    station: str | None = typer.Option(
        None, "--station", help="Only this station (it must be flagged by the screen)."
    ),
    scenario: str | None = PARAMS_SCENARIO,
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """선별 사건 등록 Open a case for each station a screen flags, or for one (audited)."""
    with session_scope() as session:
        data = register.open_from_screen(session=session, actor=cli_actor(actor), screen=screen,
                                         on=parse_day(on, "--on"), params=get_params(scenario),
                                         station_id=station)  # fmt: skip
    emit(data, as_json, lambda d: console.print(records(f"opened from {d['screen']}", d["opened"])))


@cases_app.command("advance")
def cases_advance(
    case_id: int = typer.Argument(..., help="Case id."),
    to: str = typer.Argument(..., help="inspected, sanctioned or cleared."),
    on: str = typer.Option(..., "--on", help="Date of the step YYYY-MM-DD."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """사건 진행 Move a case one step (opened → inspected → sanctioned | cleared)."""
    with session_scope() as session:
        data = register.advance_case(session=session, actor=cli_actor(actor), case_id=case_id,
                                     to=to, on=parse_day(on, "--on"))  # fmt: skip
    emit(data, as_json, lambda d: console.print(records("사건 case", [d])))


@cases_app.command("counts")
def cases_counts(
    as_of: str = typer.Option(..., "--as-of", help="Count as of YYYY-MM-DD (report: 2026-05-25)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """적발 건수 Cases opened and violations found by type as of a date, beside the report's."""
    with session_scope() as session:
        data = register.counts(session=session, as_of=parse_day(as_of, "--as-of"))

    def render(d: dict) -> None:
        console.print(f"{d['as_of']}: opened {d['opened']}, found {d['found']} "
                      f"(report: {d['published']['found']} by {d['published']['as_of']})")  # fmt: skip
        console.print(records("by type", [d["found_by_type"]]))

    emit(data, as_json, render)
