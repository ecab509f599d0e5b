"""The /energy page's stations section in headless Chromium: the leader-follower and
price-display screens, and inspection cases opened from a flag or by hand and moved through
opened -> inspected -> sanctioned | cleared with an operator's token (refusals shown).

The page runs on a server of its own (a fresh register, and users whose tokens the tests
hold); expected values come from the sample, not from the API's own answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import polars as pl
import pytest
from tests.servers import serve

from tiro.energy.stations.sample import StationSample

pytestmark = pytest.mark.browser

ON = dt.date(2026, 5, 25)
ROWS = "document.querySelectorAll('{} tbody tr{}').length"


@pytest.fixture(scope="module")
def cases_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict]]:
    """A live server on its own migrated, seeded database, with an operator and a viewer."""

    from tiro.api.app import create_app
    from tiro.core import auth, migrate
    from tiro.core.db import get_engine, session_scope
    from tiro.core.parameters import get_params
    from tiro.core.reference import seed_reference_data
    from tiro.energy.screens.service import SCREENS, run_screen

    url = f"sqlite:///{tmp_path_factory.mktemp('cases-live') / 'tiro.db'}"
    migrate.upgrade(url)
    seed_reference_data(actor="test", engine=get_engine(url))
    tokens = {}
    with session_scope(get_engine(url)) as s:
        for role in ("operator", "viewer"):
            auth.add_user(session=s, name=f"page-{role}", role=role, actor="test")
            tokens[role] = auth.issue_token(session=s, name=f"page-{role}", actor="test")
    for screen in SCREENS:  # warm the per-process screen cache the server answers from
        run_screen(screen, params=get_params())
    with serve(create_app(url)) as base:
        yield base, tokens


@pytest.fixture
def cpage(browser, cases_server):
    base, _ = cases_server
    context = browser.new_context(base_url=base, locale="ko-KR")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.js_errors = errors
    pg.base_url = base
    yield pg
    context.close()


def _loaded(page) -> None:
    page.goto("/energy")
    page.wait_for_function(ROWS.format("#station-screens", "") + " === 5", timeout=120_000)
    page.wait_for_function(ROWS.format("#station-flags", "[data-station]") + " > 0")
    page.wait_for_function(ROWS.format("#case-list", "") + " > 0")


def _roles(s: StationSample, prefix: str) -> list[str]:
    return sorted(s.planted.filter(pl.col("role").str.starts_with(prefix))["station_id"])


def test_leader_follower_and_flag_table(cpage, station_sample: StationSample) -> None:
    _loaded(cpage)
    got = cpage.evaluate(
        """() => {
          const row = (s) => [...document.querySelectorAll(`#station-screens tr[data-screen="${s}"] td`)]
            .map((td) => td.textContent.trim());
          const flags = [...document.querySelectorAll('#station-flags tbody tr[data-station]')]
            .map((tr) => [tr.dataset.screen, tr.dataset.station, tr.cells[2].textContent,
                          tr.cells[3].textContent, !!tr.querySelector('button.open-from-flag')]);
          return { leader: row('leader_follower'), collusion: row('collusion'), flags };
        }"""
    )
    # leader-follower: 4 flags (2 leaders x 2 products), 2 stations, 2 planted, 1.0 / 1.0
    assert got["leader"][1:6] == ["4", "2", "2", "1", "1"]
    assert "regular followers" in got["leader"][6] and "sample" in got["leader"][7]
    assert got["collusion"][1:6] == ["30", "15", "15", "1", "1"]
    by_screen: dict[str, list] = {}
    for screen, station, products, reason, button in got["flags"]:
        by_screen.setdefault(screen, []).append(station)
        assert button
        if screen == "leader_follower":
            assert products == "diesel, gasoline" and "regular followers: S" in reason
    # one row per flagged station and screen; Edgeworth cycles open no case
    assert {k: len(v) for k, v in by_screen.items()} == {
        "collusion": 15, "leader_follower": 2, "hoarding": 6, "fake_fuel": 5
    }  # fmt: skip
    assert sorted(by_screen["leader_follower"]) == _roles(station_sample, "leader_")
    assert sorted(by_screen["collusion"]) == _roles(station_sample, "collusive_")
    assert cpage.js_errors == []


def test_price_display_upload(cpage, station_sample: StationSample) -> None:
    # Station a posts 40 won over its Opinet report on 05-25, b posts its report: one flag.
    day = station_sample.prices.filter(pl.col("date") == ON, pl.col("product") == "diesel")
    a, b = day.head(2).rows(named=True)
    body = (
        "station_id,date,product,displayed_price\n"
        f"{a['station_id']},2026-05-25,diesel,{a['price'] + 40}\n"
        f"{b['station_id']},2026-05-25,diesel,{b['price']}\n"
    )
    _loaded(cpage)
    field = "#price-display-form input[name=file]"
    cpage.set_input_files(field, files=[{"name": "observed.csv", "mimeType": "text/csv",
                                         "buffer": body.encode()}])  # fmt: skip
    cpage.click("#price-display-form button")
    cpage.wait_for_selector("#price-display-flags tbody tr[data-station]")
    got = cpage.evaluate(
        """() => ({
          rows: [...document.querySelectorAll('#price-display-flags tbody tr[data-station]')]
            .map((tr) => [tr.dataset.station, tr.dataset.product, tr.cells[3].textContent, tr.cells[5].textContent]),
          observed: document.getElementById('price-display-rows').textContent,
          note: document.getElementById('price-display-note').textContent,
          error: document.getElementById('price-display-error').textContent })"""
    )
    assert got["rows"] == [[a["station_id"], "diesel", "1", "40"]]
    assert got["observed"] == "2" and "sample" in got["note"] and got["error"] == ""
    # a bad file: refused naming the field and the line, the table emptied
    bad = "station_id,date,product,displayed_price\nNOPE,2026-05-25,diesel,1800\n"
    cpage.set_input_files(field, files=[{"name": "bad.csv", "mimeType": "text/csv",
                                         "buffer": bad.encode()}])  # fmt: skip
    cpage.click("#price-display-form button")
    cpage.wait_for_function("document.getElementById('price-display-error').textContent !== ''")
    error, rows = cpage.evaluate(
        "[document.getElementById('price-display-error').textContent,"
        " document.querySelectorAll('#price-display-flags tbody tr').length]"
    )
    assert error.startswith("station_id: line 2: station 'NOPE'") and rows == 0
    nan = "station_id,date,product,displayed_price\nS000001,2026-05-25,diesel,nan\n"
    cpage.set_input_files(field, files=[{"name": "nan.csv", "mimeType": "text/csv",
                                         "buffer": nan.encode()}])  # fmt: skip
    cpage.click("#price-display-form button")
    cpage.wait_for_function(
        "document.getElementById('price-display-error').textContent.startsWith('displayed_price')"
    )
    assert cpage.js_errors == []


def _step(page, click: str, wait: str) -> tuple[str, str]:
    """Click, wait for the register's answer, and read status and error in one go."""
    page.click(click)
    page.wait_for_function(wait)
    return page.evaluate(
        "[document.getElementById('case-status').textContent,"
        " document.getElementById('case-error').textContent]"
    )


def _state(page, case_id: int) -> str:
    return page.evaluate(
        f"(document.querySelector('#case-list tr[data-case=\"{case_id}\"]') || {{dataset: {{}}}})"
        ".dataset.state || ''"
    )


def test_cases_open_and_move_with_refusals_shown(
    cpage, cases_server, station_sample: StationSample
) -> None:
    _, tokens = cases_server
    leader = _roles(station_sample, "leader_")[0]
    _loaded(cpage)
    assert cpage.evaluate(ROWS.format("#case-list", "[data-case]")) == 0
    flag_button = (
        f'#station-flags tr[data-screen="leader_follower"][data-station="{leader}"] button'
    )
    err = "document.getElementById('case-error').textContent.startsWith('{}')"
    # no token: 401, shown; a viewer: 403 naming the role; nothing opened either time
    status, error = _step(cpage, flag_button, err.format("401"))
    assert "token" in error and status == ""
    cpage.fill("#case-token", tokens["viewer"])
    status, error = _step(cpage, flag_button, err.format("403"))
    assert "role: role 'viewer' may not do this; needs 'operator'" in error
    assert cpage.evaluate(ROWS.format("#case-list", "[data-case]")) == 0
    # an operator opens the leader's case from its flag: collusion, origin the screen
    cpage.fill("#case-token", tokens["operator"])
    done = 'document.querySelector(\'#case-list tr[data-case="{}"][data-state="{}"]\') !== null'
    status, error = _step(cpage, flag_button, done.format(1, "opened"))
    assert status.startswith(f"사건 #1 접수 opened: {leader} (collusion, screen:leader_follower)")
    assert error == ""
    row = cpage.evaluate(
        "[...document.querySelector('#case-list tr[data-case=\"1\"]').cells].map((c) => c.textContent)"
    )
    assert row[1] == leader and row[4] == "screen:leader_follower" and row[5] == "2026-05-25"
    # the same flag again: skipped, already open (the page says so)
    status, _ = _step(cpage, flag_button, "document.getElementById('case-status')"
                      ".textContent.includes('already has an open')")  # fmt: skip
    # a step dated before the case was opened is refused, nothing moves
    cpage.fill("#case-date", "2026-05-01")
    _, error = _step(cpage, '#case-list tr[data-case="1"] button[data-to="inspected"]',
                     err.format("422"))  # fmt: skip
    assert "on: 2026-05-01 is before" in error and _state(cpage, 1) == "opened"
    # inspected, then sanctioned: counted as found
    cpage.fill("#case-date", "2026-05-25")
    _step(cpage, '#case-list tr[data-case="1"] button[data-to="inspected"]',
          done.format(1, "inspected"))  # fmt: skip
    status, _ = _step(cpage, '#case-list tr[data-case="1"] button[data-to="sanctioned"]',
                      done.format(1, "sanctioned"))  # fmt: skip
    assert status.startswith("사건 #1: 제재 sanctioned")
    cpage.wait_for_function(
        "document.getElementById('station-cases-note').textContent.includes('found 1')"
    )
    found = cpage.evaluate(
        "document.querySelector('#station-cases tr[data-type=\"collusion\"]').cells[1].textContent"
    )
    assert found == "1"
    assert (
        cpage.evaluate("document.querySelectorAll('#case-list tr[data-case=\"1\"] button').length")
        == 0
    )
    # by hand: a fake-fuel case, inspected then cleared; a second one for the station is 409
    cpage.fill("#case-open-form input[name=station_id]", "S000001")
    cpage.select_option("#case-open-form select[name=case_type]", "fake_fuel")
    cpage.fill("#case-open-form input[name=reason]", "제보 tip-off")
    status, _ = _step(cpage, "#case-open-form button", done.format(2, "opened"))
    assert status.startswith("사건 #2 접수 opened: S000001 (fake_fuel, manual)")
    _, error = _step(cpage, "#case-open-form button", err.format("409"))
    assert "already has an open fake_fuel case" in error
    _step(
        cpage,
        '#case-list tr[data-case="2"] button[data-to="inspected"]',
        done.format(2, "inspected"),
    )
    _step(
        cpage, '#case-list tr[data-case="2"] button[data-to="cleared"]', done.format(2, "cleared")
    )
    # an unknown station is refused naming the field
    cpage.fill("#case-open-form input[name=station_id]", "NOPE")
    _, error = _step(cpage, "#case-open-form button", err.format("404"))
    assert "station_id: no station 'NOPE'" in error
    # a price-display flag from an uploaded file opens a price_display case with its reason
    day = station_sample.prices.filter(pl.col("date") == ON, pl.col("product") == "gasoline")
    a = day.row(0, named=True)
    body = f"station_id,date,product,displayed_price\n{a['station_id']},2026-05-25,gasoline,{a['price'] - 30}\n"
    cpage.set_input_files("#price-display-form input[name=file]", files=[
        {"name": "observed.csv", "mimeType": "text/csv", "buffer": body.encode()}])  # fmt: skip
    cpage.click("#price-display-form button")
    cpage.wait_for_selector("#price-display-flags tbody tr[data-station] button")
    status, _ = _step(cpage, "#price-display-flags tbody tr[data-station] button",
                      done.format(3, "opened"))  # fmt: skip
    assert status.startswith(f"사건 #3 접수 opened: {a['station_id']} (price_display)")
    final = cpage.evaluate(
        "[...document.querySelectorAll('#case-list tr[data-case]')].map((r) =>"
        " [r.dataset.case, r.dataset.state, r.cells[2].textContent])"
    )
    assert final == [["1", "sanctioned", "담합 collusion"], ["2", "cleared", "가짜석유 fake fuel"],
                     ["3", "opened", "가격표시 price display"]]  # fmt: skip
    assert cpage.js_errors == []
