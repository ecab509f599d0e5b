"""The petrochem CLI and API refuse the same values, naming the field (tiro.petrochem.limits).

Before: the API refused a date outside 1950..2100, a cut past 100,000 kt, a disbursement
past 10^15 won (the CLI's global numeric guard already did too), while the CLI took any date
(``--date 0001-01-01``) and any ``--target-kt`` (refused later, by the engine, against the
base capacity, under another field name).
"""

from __future__ import annotations

import datetime as dt

import pytest

API = "/api/v1/petrochem"


@pytest.mark.parametrize("day", ["1949-12-31", "2101-01-01", "0001-01-01", "9999-12-31"])
def test_a_date_outside_the_range_is_refused_by_both(cli, api_client, day):
    r = cli(["petrochem", "capacity", "--date", day])
    assert r.exit_code == 2, r.stdout
    assert r.stderr.strip() == f"error: --date: {day} is outside 1950-01-01..2100-12-31"
    a = api_client.get(f"{API}/capacity", params={"date": day})
    assert a.status_code == 422 and a.json()["field"] == "date", a.text


def test_the_range_ends_are_taken_by_both(cli, api_client):
    for day in ("1950-01-01", "2100-12-31"):
        assert cli(["petrochem", "capacity", "--date", day, "--json"]).exit_code == 0
        assert api_client.get(f"{API}/capacity", params={"date": day}).status_code == 200


def test_a_cut_past_the_bound_is_refused_by_both(cli, api_client):
    r = cli(["petrochem", "optimize", "--target-kt", "100001"])
    assert r.exit_code == 2
    assert r.stderr.strip() == "error: --target-kt: 100001 kt is outside 0..100000", r.stderr
    a = api_client.get(f"{API}/optimize", params={"target_kt": 100001})
    assert a.status_code == 422 and a.json()["field"] == "target_kt", a.text


def test_a_disbursement_past_the_bound_is_refused_by_both(cli, api_client, auth_headers):
    r = cli(["petrochem", "disburse", "1", "--amount-krw", str(10**15 + 1)])
    assert r.exit_code == 2, r.stdout
    # The CLI's global numeric guard caps every number at 1e15 (MAX_MAGNITUDE = MAX_KRW).
    assert r.stderr.strip().startswith("error: --amount-krw:") and "1e+15" in r.stderr
    a = api_client.post(f"{API}/packages/items/1/disburse", json={"amount_krw": 10**15 + 1},
                        headers=auth_headers("operator"))  # fmt: skip
    assert a.status_code == 422 and a.json()["field"] == "amount_krw", a.text


def test_the_service_refuses_past_the_bound_too(session):
    from tiro.core.errors import InvalidInput
    from tiro.petrochem import support

    with pytest.raises(InvalidInput) as err:
        support.disburse(session=session, item_id=1, amount_krw=10**15 + 1,
                         on=dt.date(2026, 6, 1), actor="t")  # fmt: skip
    assert err.value.field == "amount_krw"


def test_self_sufficiency_bounds_are_one_declaration(cli, api_client):
    r = cli(["petrochem", "indicators", "--china-pe-ss", "2.5"])
    assert r.exit_code == 2 and "between 0 and 2" in r.stderr, r.stderr
    a = api_client.get(f"{API}/balance", params={"china_pe_self_sufficiency": 2.5})
    assert a.status_code == 422, a.text
