"""The inspection register in SQL: open (by hand, from a screen), advance, count; audited."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
import sqlalchemy as sa

from tiro.core.errors import Conflict, InvalidInput, NotFound
from tiro.core.models import AuditEntry
from tiro.core.parameters import get_params
from tiro.energy.screens.models import InspectionCase
from tiro.energy.screens.register import advance_case, counts, open_case, open_from_screen
from tiro.energy.stations.sample import StationSample

# The register is state that must not be lost: every test here runs on SQLite and PostgreSQL.
pytestmark = pytest.mark.postgres

D = dt.date


def test_open_from_screen_then_counts(session, station_sample: StationSample) -> None:
    got = open_from_screen(session=session, actor="t", screen="hoarding", on=D(2026, 5, 2),
                           params=get_params())  # fmt: skip
    assert len(got["opened"]) == 6  # the 6 planted hoarders, one case each (two months merged)
    again = open_from_screen(session=session, actor="t", screen="hoarding", on=D(2026, 5, 3),
                             params=get_params())  # fmt: skip
    assert again["opened"] == [] and len(again["skipped_already_open"]) == 6
    ids = [c["id"] for c in got["opened"]]
    advance_case(session=session, actor="t", case_id=ids[0], to="inspected", on=D(2026, 5, 10))
    advance_case(session=session, actor="t", case_id=ids[0], to="sanctioned", on=D(2026, 5, 20))
    advance_case(session=session, actor="t", case_id=ids[1], to="inspected", on=D(2026, 5, 10))
    advance_case(session=session, actor="t", case_id=ids[1], to="cleared", on=D(2026, 5, 12))
    session.commit()
    c = counts(session=session, as_of=D(2026, 5, 25))
    assert (c["opened"], c["found"]) == (6, 1)
    assert c["found_by_type"]["hoarding"] == 1
    assert c["published"]["found"] == 137
    actions = session.execute(sa.select(AuditEntry.action)).scalars().all()
    assert actions.count("inspection.open") == 6
    assert {"inspection.sanctioned", "inspection.cleared"} <= set(actions)


def test_a_screen_that_flags_nobody_opens_nothing(session, station_sample: StationSample) -> None:
    """A screen with no flags opens no cases (was a 500 in the fuzz): the leader screen made
    impossible by a what-if (1,000 rises needed) flags nobody."""
    strict = get_params().with_overlay(
        {
            "overrides": {
                "energy.screens.leader_follower.min_rises": {
                    "2026-03-01": {"value": 1000, "reference": {"title": "t", "section": "3 ③"}}
                }
            }
        }
    )
    got = open_from_screen(session=session, actor="t", screen="leader_follower",
                           on=D(2026, 5, 2), params=strict)  # fmt: skip
    assert got == {"screen": "leader_follower", "opened": [], "skipped_already_open": []}
    assert session.execute(sa.select(sa.func.count()).select_from(InspectionCase)).scalar() == 0


def test_leader_screen_opens_collusion_cases_for_the_planted_leaders(
    session, station_sample: StationSample
) -> None:
    leaders = station_sample.planted.filter(pl.col("role").str.starts_with("leader_"))
    got = open_from_screen(session=session, actor="t", screen="leader_follower",
                           on=D(2026, 5, 25), params=get_params())  # fmt: skip
    assert sorted(c["station_id"] for c in got["opened"]) == sorted(leaders["station_id"])
    assert {c["case_type"] for c in got["opened"]} == {"collusion"}
    assert all(c["origin"] == "screen:leader_follower" for c in got["opened"])
    assert all("regular followers: S" in c["reason"] for c in got["opened"])


def test_wrong_steps_write_nothing(session) -> None:
    case = open_case(session=session, actor="t", station_id="S000001", case_type="fake_fuel",
                     on=D(2026, 5, 1), reason="tip-off")  # fmt: skip
    session.commit()
    with pytest.raises(Conflict):
        advance_case(session=session, actor="t", case_id=case["id"], to="sanctioned",
                     on=D(2026, 5, 2))  # fmt: skip
    session.rollback()
    with pytest.raises(InvalidInput) as err:
        advance_case(session=session, actor="t", case_id=case["id"], to="inspected",
                     on=D(2026, 4, 1))  # fmt: skip
    assert err.value.field == "on"
    session.rollback()
    with pytest.raises(Conflict):  # a second open case of the same type
        open_case(session=session, actor="t", station_id="S000001", case_type="fake_fuel",
                  on=D(2026, 5, 1), reason="again")  # fmt: skip
    with pytest.raises(NotFound):
        open_case(session=session, actor="t", station_id="NOPE", case_type="fake_fuel",
                  on=D(2026, 5, 1), reason="x")  # fmt: skip
    with pytest.raises(InvalidInput):
        open_case(session=session, actor="t", station_id="S000001", case_type="arson",
                  on=D(2026, 5, 1), reason="x")  # fmt: skip
    session.rollback()
    assert session.get(InspectionCase, case["id"]).state == "opened"


def test_the_database_refuses_dates_out_of_order(session) -> None:
    session.add(InspectionCase(station_id="S1", case_type="collusion", state="inspected",
                               origin="manual", reason="x", opened_on=D(2026, 5, 2),
                               inspected_on=D(2026, 5, 1)))  # fmt: skip
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()
    session.rollback()


def test_cli_and_api(cli, api_client, auth_headers) -> None:
    r = cli(["energy", "cases", "open", "--station", "S000001", "--type", "price_display",
             "--on", "2026-05-01", "--reason", "sign differs from Opinet", "--json"])  # fmt: skip
    assert r.exit_code == 0, r.stderr
    r = cli(["energy", "cases", "advance", "1", "sanctioned", "--on", "2026-05-02"])
    assert r.exit_code != 0 and r.stderr.startswith("error: state:")
    listed = api_client.get("/api/v1/energy/cases").json()
    assert [c["case_type"] for c in listed["cases"]] == ["price_display"]
    h = auth_headers("operator")
    r = api_client.post("/api/v1/energy/cases/1/advance", json={"to": "inspected", "on": "2026-05-02"},
                        headers=h)  # fmt: skip
    assert r.status_code == 200, r.text
    r = api_client.post(
        "/api/v1/energy/cases/1/advance", json={"to": "sanctioned", "on": "2026-05-03"}
    )
    assert r.status_code == 401
    r = api_client.post("/api/v1/energy/cases/1/advance", json={"to": "sanctioned", "on": "2026-05-03"},
                        headers=h)  # fmt: skip
    assert r.json()["state"] == "sanctioned"
    c = api_client.get("/api/v1/energy/cases/counts", params={"as_of": "2026-05-25"}).json()
    assert c["found_by_type"]["price_display"] == 1 and c["published"]["found"] == 137


def test_api_opens_one_flagged_station_from_a_screen(
    api_client, auth_headers, station_sample: StationSample
) -> None:
    leader = sorted(
        station_sample.planted.filter(pl.col("role").str.starts_with("leader_"))["station_id"]
    )[0]
    url = "/api/v1/energy/cases/from-screen/leader_follower"
    body = {"on": "2026-05-25", "station_id": leader}
    assert api_client.post(url, json=body).status_code == 401
    viewer = api_client.post(url, json=body, headers=auth_headers("viewer"))
    assert viewer.status_code == 403 and viewer.json()["field"] == "role"
    h = auth_headers("operator")
    r = api_client.post(url, json=body, headers=h)
    assert r.status_code == 200, r.text
    (case,) = r.json()["opened"]
    assert (case["station_id"], case["case_type"], case["origin"]) == (
        leader,
        "collusion",
        "screen:leader_follower",
    )
    assert case["reason"].startswith("8 of 8 rises")  # the screen's own reason, not the page's
    again = api_client.post(url, json=body, headers=h).json()
    assert again["opened"] == [] and again["skipped_already_open"] == [leader]
    # a station the screen does not flag (a follower), and one that does not exist
    follower = station_sample.planted.filter(pl.col("role").str.starts_with("follower_"))[0, 0]
    r = api_client.post(url, json={"on": "2026-05-25", "station_id": follower}, headers=h)
    assert r.status_code == 422 and r.json()["field"] == "station_id"
    r = api_client.post(url, json={"on": "2026-05-25", "station_id": "NOPE"}, headers=h)
    assert r.status_code == 404 and r.json()["field"] == "station_id"
    listed = api_client.get("/api/v1/energy/cases").json()["cases"]
    assert [c["station_id"] for c in listed] == [leader]


def test_cli_from_screen_for_one_station(cli, station_sample: StationSample) -> None:
    leader = sorted(
        station_sample.planted.filter(pl.col("role").str.starts_with("leader_"))["station_id"]
    )[1]
    args = ["energy", "cases", "from-screen", "leader_follower", "--on", "2026-05-25"]
    r = cli([*args, "--station", leader, "--json"])
    assert r.exit_code == 0, r.stderr
    (case,) = json.loads(r.stdout)["opened"]
    assert (case["station_id"], case["case_type"]) == (leader, "collusion")
    r = cli([*args, "--station", "S000001", "--json"])
    lines = r.stderr.strip().splitlines()
    assert r.exit_code != 0 and len(lines) == 1
    assert (
        lines[0]
        == "error: station_id: station S000001 is not flagged by the leader_follower screen"
    )


def test_a_step_dated_in_the_future_is_refused(session) -> None:
    # 9999-12-31 was taken as an opening date before (found trying to break the routes).
    future = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as err:
        open_case(session=session, actor="t", station_id="S000001", case_type="fake_fuel",
                  on=future, reason="tip-off")  # fmt: skip
    assert err.value.field == "on" and "in the future" in err.value.message
    with pytest.raises(InvalidInput) as err:
        open_from_screen(session=session, actor="t", screen="hoarding", on=future,
                         params=get_params())  # fmt: skip
    assert err.value.field == "on"
    case = open_case(session=session, actor="t", station_id="S000001", case_type="fake_fuel",
                     on=D(2026, 5, 1), reason="tip-off")  # fmt: skip
    with pytest.raises(InvalidInput) as err:
        advance_case(session=session, actor="t", case_id=case["id"], to="inspected", on=future)
    assert err.value.field == "on"
    assert session.get(InspectionCase, case["id"]).state == "opened"
