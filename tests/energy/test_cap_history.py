"""Cap rounds (published vs computed), the indexed CPI estimate, market series, stockpile sites,
conversion support: hand-computed values, refusals, CLI and API."""

from __future__ import annotations

import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.energy.prices.cap_history import cap_history
from tiro.energy.prices.cpi_path import cpi_effect_indexed
from tiro.energy.prices.service import market
from tiro.energy.stockpile.records import plans, storage_sites
from tiro.energy.subsidies.conversion import conversion_support

PARAMS = get_params()
DAY = dt.date(2026, 12, 5)


def _rounds(product: str, **kw) -> dict[int, dict]:
    return {
        r["round"]: r
        for r in cap_history(params=PARAMS, product=product, until=DAY, **kw)["rounds"]
    }


def test_published_rounds_and_the_rule_inverted():
    g = _rounds("gasoline")
    assert [g[k]["cap"] for k in (1, 2, 6, 7, 9)] == [1724, 1934, 1934, 1784, 1784]
    assert {g[k]["kind"] for k in (1, 2, 3, 4, 5, 6, 7, 9)} == {"published"}
    # taxes: 763 on 03-13 (7% cut); 697 from 03-27 (15% cut: 529 x 0.85 x 1.551 = 697.4)
    assert (g[1]["taxes_at_start"], g[2]["taxes_at_start"]) == (763, 697)
    # implied change of the 2nd cap: (1,934 - 697) / (1,724 - 763) - 1 = 1,237 / 961 - 1 = 0.2872
    assert g[2]["implied_intl_change"] == pytest.approx(0.2872)
    d = _rounds("diesel")
    # diesel 7th: (1,773 - 436) / (1,713 - 523) - 1 = 1,337 / 1,190 - 1 = 0.1235
    assert d[7]["implied_intl_change"] == pytest.approx(0.1235)
    # the +210 on every product is not the rule with one change: kerosene implies 0.1692
    # ((1,530 - 79) / 1,241 - 1), gasoline 0.2872, diesel 0.2496 ((1,923 - 436) / 1,190 - 1)
    assert _rounds("kerosene")[2]["implied_intl_change"] == pytest.approx(0.1692)
    assert d[2]["implied_intl_change"] == pytest.approx(0.2496)
    assert g[6]["end"] == "2026-06-26" and g[7]["start"] == "2026-06-27"


def test_computed_rounds_are_labelled_and_follow_the_rule():
    g = _rounds("gasoline")
    assert g[8]["kind"] == "computed" and g[8]["decision"] == "not_found"
    # carried change of the 7th (1,087 / 961 - 1): 961 x 1.13111 + 697 = 1,784
    assert g[8]["cap"] == 1784
    # after the 9th (08-21) rounds every 28 days: 09-18, 10-16, 11-13 (holds 12-05)
    assert [g[k]["start"] for k in (10, 11, 12)] == ["2026-09-18", "2026-10-16", "2026-11-13"]
    assert all(g[k]["kind"] == "computed" and g[k]["source"] is None for k in (10, 11, 12))
    given_change = _rounds("gasoline", intl_change=0.2)
    # 961 x 1.2 + 697 = 1,153.2 + 697 = 1,850.2 -> 1,850; published rounds unchanged
    assert (given_change[8]["cap"], given_change[12]["cap"], given_change[2]["cap"]) == (
        1850, 1850, 1934,
    )  # fmt: skip
    status = cap_history(params=PARAMS, product="diesel", until=DAY)["status"]
    assert status[-1]["date"] == "2026-09-12" and status[-1]["in_force"] is True


@settings(max_examples=40, deadline=None)
@given(st.floats(min_value=-0.9, max_value=3.0, allow_nan=False))
def test_computed_cap_is_the_rule_half_up(change):
    cap = _rounds("diesel", intl_change=change)[11]["cap"]
    want = Decimal(repr(1190 * (1 + change) + 436)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert cap == int(want)


def test_history_refusals():
    with pytest.raises(InvalidInput) as exc:
        cap_history(params=PARAMS, product="lpg_butane", until=DAY)
    assert exc.value.field == "product"
    with pytest.raises(InvalidInput) as exc:
        cap_history(params=PARAMS, product="gasoline", until=dt.date(2026, 3, 12))
    assert exc.value.field == "until"
    with pytest.raises(InvalidInput) as exc:
        cap_history(params=PARAMS, product="gasoline", until=DAY, intl_change=-1)
    assert exc.value.field == "intl_change"


def test_indexed_cpi_by_hand():
    april = cpi_effect_indexed(params=PARAMS, month="2026-04")
    by = {p["product"]: p for p in april["products"]}
    # gasoline uncapped = (1,833 - 763) x 1.287201 + 697 = 2,074.305; gap -140.305 / 2,074.305
    # = -0.067640; x 2.41 = -0.16301 pp. diesel: (1,931 - 523) x 1.249580 + 436 = 2,195.408;
    # gap -272.408 / 2,195.408 = -0.124081; x 1.63 = -0.20225 pp. total -0.36526
    assert by["gasoline"]["mean_uncapped"] == pytest.approx(2074.3, abs=0.01)
    assert by["gasoline"]["contribution_pp"] == pytest.approx(-0.1630, abs=1e-4)
    assert by["diesel"]["contribution_pp"] == pytest.approx(-0.2023, abs=1e-4)
    assert april["estimate_pp"] == pytest.approx(-0.3653, abs=1e-4)
    assert (april["official_pp"], april["difference_pp"]) == (-1.2, pytest.approx(0.8347, abs=1e-4))
    march = cpi_effect_indexed(params=PARAMS, month="2026-03")
    # 14 days of round 1 (gap -5.946% / -11.289%) and 5 of round 2 (-6.764% / -12.408%) over 31:
    # gasoline (14 x -0.05946 + 5 x -0.06764) / 31 x 2.41 = -0.0910; diesel ... x 1.63 = -0.1157
    assert march["estimate_pp"] == pytest.approx(-0.2067, abs=1e-4)
    assert cpi_effect_indexed(params=PARAMS, month="2026-06")["official_pp"] == -0.4
    with pytest.raises(InvalidInput) as exc:
        cpi_effect_indexed(params=PARAMS, month="2026-02")
    assert exc.value.field == "month"


def test_market_series_are_labelled():
    m = market("diesel")
    assert m["published"]["data_label"] == "published" and m["sample"]["data_label"] == "sample"
    week = next(r for r in m["published"]["rows"] if r["start"] == "2026-03-15")
    assert (week["end"], week["price"]) == ("2026-03-19", 1828.0)
    rows = m["sample"]["rows"]
    assert (rows[0]["date"], rows[-1]["date"], len(rows)) == ("2026-03-01", "2026-05-25", 86)
    with pytest.raises(InvalidInput) as exc:
        market("kerosene")
    assert exc.value.field == "product"


def test_sites_and_plans():
    sites = storage_sites()
    yeosu = [r for r in sites if r["site"] == "yeosu"]
    # 2008 total 49.75; 2017 +2.5 on it = 52.25 next to the source's own total 52.0 (both shown)
    assert [(r["kind"], r["known_capacity_mbbl"]) for r in yeosu][-2:] == [
        ("addition", 52.25), ("site_total", 52.0),
    ]  # fmt: skip
    ulsan = next(r for r in sites if r["site"] == "ulsan")
    assert (ulsan["capacity_mbbl"], ulsan["known_capacity_mbbl"]) == (10.3, None)
    assert all(r["source"].startswith("http") for r in sites)
    report = [p for p in plans() if p["source"] == "report 3 ③"]
    assert {p["kind"] for p in report} == {"storage", "joint"}
    assert all(p["volume_mbbl"] is None for p in report)  # the report gives no figure


def test_conversion_refusals():
    on = dt.date(2026, 6, 1)
    for kw, field in (
        ({"capex_krw": -1, "added_capacity_bbl_day": 1.0}, "capex_krw"),
        ({"capex_krw": 1.5, "added_capacity_bbl_day": 1.0}, "capex_krw"),
        ({"capex_krw": 1, "added_capacity_bbl_day": float("nan")}, "added_capacity_bbl_day"),
        ({"capex_krw": 1, "added_capacity_bbl_day": -2.0}, "added_capacity_bbl_day"),
    ):
        with pytest.raises(InvalidInput) as exc:
            conversion_support(params=PARAMS, on=on, **kw)
        assert exc.value.field == field
    with pytest.raises(InvalidInput) as exc:
        conversion_support(params=PARAMS, on=dt.date(2026, 5, 1), capex_krw=1,
                           added_capacity_bbl_day=1.0)  # fmt: skip
    assert exc.value.field == "date"


def test_cli(cli):
    out = cli(["energy", "price-cap", "history", "--product", "kerosene", "--until", "2026-07-01",
               "--json"])  # fmt: skip
    assert out.exit_code == 0, out.stderr
    assert [r["cap"] for r in json.loads(out.stdout)["rounds"]] == [1320, *[1530] * 5, 1380]
    out = cli(["energy", "price-cap", "cpi", "--month", "2026-04", "--method", "indexed", "--json"])
    assert json.loads(out.stdout)["estimate_pp"] == pytest.approx(-0.3653, abs=1e-4)
    bad = cli(["energy", "price-cap", "cpi", "--month", "2026-04", "--method", "magic"])
    assert bad.exit_code != 0 and len(bad.stderr.strip().splitlines()) == 1
    mixed = cli(["energy", "price-cap", "cpi", "--month", "2026-04", "--method", "indexed",
                 "--capped", "gasoline=1800"])  # fmt: skip
    assert mixed.exit_code != 0 and "--method" in mixed.stderr
    out = cli(["energy", "stockpile", "sites", "--json"])
    assert out.exit_code == 0 and len(json.loads(out.stdout)) == 10
    out = cli(["energy", "subsidy", "conversion", "--capex-krw", "200000000000",
               "--added-capacity-bbl-day", "60000", "--date", "2026-07-01", "--json"])  # fmt: skip
    assert json.loads(out.stdout)["support_krw"] == 30_000_000_000


def test_api(api_client):
    r = api_client.get("/api/v1/energy/price-cap/history",
                       params={"product": "diesel", "until": "2026-08-30"})  # fmt: skip
    assert r.status_code == 200
    kinds = [(x["round"], x["kind"]) for x in r.json()["rounds"]]
    assert kinds[-2:] == [(8, "computed"), (9, "published")]
    r = api_client.get("/api/v1/energy/price-cap/history",
                       params={"product": "diesel", "intl_change": "nan"})  # fmt: skip
    assert r.status_code == 422
    r = api_client.get("/api/v1/energy/price-cap/market", params={"product": "gasoline"})
    assert r.status_code == 200 and r.json()["sample"]["data_label"] == "sample"
    r = api_client.get(
        "/api/v1/energy/price-cap/cpi", params={"month": "2026-06", "method": "indexed"}
    )
    assert r.status_code == 200 and r.json()["official_pp"] == -0.4
    r = api_client.get("/api/v1/energy/stockpile/sites")
    assert r.status_code == 200 and r.json()[0]["site"] == "donghae"
    assert api_client.get("/api/v1/energy/stockpile/plans").status_code == 200
    r = api_client.get("/api/v1/energy/subsidy/conversion",
                       params={"capex_krw": 45000000001, "added_capacity_bbl_day": 20000,
                               "rd_krw": 3000000001, "date": "2026-06-01"})  # fmt: skip
    assert r.status_code == 200 and r.json()["support_krw"] == 15_000_000_000
    r = api_client.get("/api/v1/energy/subsidy/conversion",
                       params={"capex_krw": -1, "added_capacity_bbl_day": 1, "date": "2026-06-01"})  # fmt: skip
    assert r.status_code == 422
    r = api_client.get("/api/v1/energy/subsidy/conversion",
                       params={"capex_krw": 1, "added_capacity_bbl_day": 1, "date": "2026-01-01"})  # fmt: skip
    assert r.status_code == 422 and r.json()["field"] == "date"


def test_projection_is_bounded():
    # the last round found starts 2026-08-21; + 3 x 366 = 1,098 days is 2029-08-23
    # (2026-08-21 -> 2029-08-21 is 365 + 366 + 365 = 1,096 days, 2028 being a leap year)
    last = cap_history(params=PARAMS, product="diesel", until=dt.date(2029, 8, 23))["rounds"][-1]
    assert last["kind"] == "computed" and last["start"] <= "2029-08-23"
    with pytest.raises(InvalidInput) as exc:
        cap_history(params=PARAMS, product="diesel", until=dt.date(2029, 8, 24))
    assert exc.value.field == "until"


def test_indexed_cpi_far_month_names_month():
    with pytest.raises(InvalidInput) as exc:
        cpi_effect_indexed(params=PARAMS, month="2031-01")
    assert exc.value.field == "month"
