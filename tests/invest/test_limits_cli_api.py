"""The invest CLI and API refuse the same values, naming the field (tiro.invest.limits).

T-BREAK found ``tiro invest reasonableness --discount-rate 11`` and
``tiro invest schedule --defer P=2199`` accepted while the API capped the rate at 10 and the
year at 2100. The bounds now live once; each case below is refused by both interfaces.
"""

from __future__ import annotations

import json

import pytest

from tiro.core.parameters import get_params
from tiro.invest import limits

API = "/api/v1/invest"
PIPELINE = "project,priority,requested_year,amount_usd\nP,1,2027,1000\n"


def test_the_rate_bounds_are_the_parameters_declared_range():
    leaf = get_params().leaf("invest.reasonableness.discount_rate")
    assert tuple(leaf.range) == limits.DISCOUNT_RATE == (-0.99, 10.0)


@pytest.mark.parametrize("rate", ["11", "10.000001", "-0.995", "-1"])
def test_a_discount_rate_out_of_bounds_is_refused_by_both(cli, api_client, rate):
    r = cli(["invest", "reasonableness", "--principal", "100", "--cash-flows", "110",
             f"--discount-rate={rate}"])  # fmt: skip
    assert r.exit_code == 2, r.stdout
    assert r.stderr.strip().startswith("error: --discount-rate:"), r.stderr
    assert "-0.99..10" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    a = api_client.post(f"{API}/reasonableness",
                        json={"principal": 100, "cash_flows": [110], "discount_rate": float(rate)})  # fmt: skip
    assert a.status_code == 422 and a.json()["field"] == "discount_rate", a.text


@pytest.mark.parametrize("rate", ["10", "-0.99", "0.1"])
def test_a_rate_at_the_bounds_is_taken_by_both(cli, api_client, rate):
    r = cli(["invest", "reasonableness", "--principal", "100", "--cash-flows", "110",
             f"--discount-rate={rate}", "--json"])  # fmt: skip
    assert r.exit_code == 0, r.stderr
    a = api_client.post(f"{API}/reasonableness",
                        json={"principal": 100, "cash_flows": [110], "discount_rate": float(rate)})  # fmt: skip
    assert a.status_code == 200, a.text
    # Korea's half of 110 at year 1, discounted: 55 / (1 + r) - 100
    expected = 55 / (1 + float(rate)) - 100
    assert json.loads(r.stdout)["npv"] == pytest.approx(expected, abs=1e-6)
    assert a.json()["npv"] == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("year", [2199, 2024, 2101])
def test_a_deferral_year_out_of_bounds_is_refused_by_both(cli, api_client, tmp_path, year):
    path = tmp_path / "p.csv"
    path.write_text(PIPELINE)
    r = cli(["invest", "schedule", "--pipeline", str(path), "--defer", f"P={year}"])
    assert r.exit_code == 2, r.stdout
    assert r.stderr.strip() == f"error: --defer: {year} is outside 2025-2100", r.stderr
    body = {"pipeline": [{"project": "P", "priority": 1, "requested_year": 2027,
                          "amount_usd": 1000}], "defer": {"P": year}}  # fmt: skip
    a = api_client.post(f"{API}/schedule", json=body)
    assert a.status_code == 422 and a.json()["field"].startswith("defer"), a.text


def test_a_deferral_to_2100_is_taken_by_both(cli, api_client, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(PIPELINE)
    r = cli(["invest", "schedule", "--pipeline", str(path), "--defer", "P=2100", "--json"])
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["calls"] == [{"project": "P", "year": 2100, "amount": 1000.0}]
    body = {"pipeline": [{"project": "P", "priority": 1, "requested_year": 2027,
                          "amount_usd": 1000}], "defer": {"P": 2100}}  # fmt: skip
    a = api_client.post(f"{API}/schedule", json=body)
    assert a.status_code == 200, a.text
    assert [(c["year"], c["amount"]) for c in a.json()["calls"]] == [(2100, 1000.0)]


@pytest.mark.parametrize(("value", "field"), [("2e15", "--principal"), ("0", "principal")])
def test_a_principal_out_of_bounds_is_refused_by_both(cli, api_client, value, field):
    # 2e15: the CLI's global numeric guard (1e15); 0: the engine, as before.
    r = cli(["invest", "reasonableness", "--principal", value, "--cash-flows", "110"])
    assert r.exit_code == 2 and r.stderr.startswith(f"error: {field}:"), r.stderr
    a = api_client.post(f"{API}/reasonableness",
                        json={"principal": float(value), "cash_flows": [110]})  # fmt: skip
    assert a.status_code == 422 and a.json()["field"] == "principal", a.text


def test_a_cap_past_the_largest_amount_is_refused_by_both(cli, api_client, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(PIPELINE)
    r = cli(["invest", "schedule", "--pipeline", str(path), "--cap", "2e15"])
    assert r.exit_code == 2 and r.stderr.startswith("error: --cap:"), r.stderr
    body = {"pipeline": [{"project": "P", "priority": 1, "requested_year": 2027,
                          "amount_usd": 1000}], "cap": 2e15}  # fmt: skip
    a = api_client.post(f"{API}/schedule", json=body)
    assert a.status_code == 422 and a.json()["field"] == "cap", a.text
