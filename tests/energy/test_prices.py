"""Fuel tax, cap and subsidy: bad input refused naming the field; CLI and API contracts."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiro.core.errors import InvalidInput, ParameterDateError
from tiro.core.parameters import get_params
from tiro.energy.prices.fuel_tax import fuel_tax
from tiro.energy.prices.price_cap import check_supply_prices, international_comparison, next_cap
from tiro.energy.subsidies.rules import freight_refund, pro_rata

PARAMS = get_params()


def test_fuel_tax_refusals():
    with pytest.raises(InvalidInput) as exc:
        fuel_tax(params=PARAMS, product="petrol", on=dt.date(2025, 1, 1))
    assert exc.value.field == "product"
    with pytest.raises(ParameterDateError):
        fuel_tax(params=PARAMS, product="gasoline", on=dt.date(2020, 12, 31))
    with pytest.raises(InvalidInput, match="outside 0–1"):
        fuel_tax(params=PARAMS, product="gasoline", on=dt.date(2025, 1, 1), cut=1.2)
    # 0.5 is above the 37% maximum before 2022-08, allowed (<= 55%) after.
    with pytest.raises(InvalidInput, match=r"legal maximum 0\.37") as exc:
        fuel_tax(params=PARAMS, product="gasoline", on=dt.date(2022, 7, 1), cut=0.5)
    assert exc.value.field == "cut"
    # 529 x 0.5 = 264.5; x 1.551 = 410.2395 -> 410
    assert (
        fuel_tax(params=PARAMS, product="gasoline", on=dt.date(2022, 9, 1), cut=0.5)[
            "total_per_litre"
        ]
        == 410
    )


def test_cap_refusals_and_supply_check():
    with pytest.raises(InvalidInput) as exc:
        next_cap(params=PARAMS, product="lpg_butane", on=dt.date(2026, 4, 1))
    assert exc.value.field == "product"
    with pytest.raises(InvalidInput) as exc:
        next_cap(params=PARAMS, product="gasoline", on=dt.date(2026, 3, 12))
    assert exc.value.field == "date"
    with pytest.raises(InvalidInput) as exc:
        next_cap(params=PARAMS, product="gasoline", on=dt.date(2026, 4, 1), intl_change=-1)
    assert exc.value.field == "intl_change"
    no_change = next_cap(params=PARAMS, product="gasoline", on=dt.date(2026, 4, 1))
    # reset 04-10: the cut is 15% from 03-27 (Bloomberg Tax), taxes 529 x 0.85 x 1.551 = 697.4
    # -> 697; (1,724 - 763) x 1.0 + 697 = 1,658: the wider cut passes straight into the cap
    assert no_change["next_cap"] == 1658 and "assumed 0" in no_change["intl_change_source"]
    prices = pl.DataFrame(
        {
            "date": [dt.date(2026, 3, 14), dt.date(2026, 3, 20), dt.date(2026, 7, 30)],
            "refiner": ["A", "B", "A"],
            "product": ["gasoline", "kerosene", "diesel"],
            "supply_price": [1750.0, 1320.0, 1900.0],
        }
    )
    result = check_supply_prices(PARAMS, prices)
    # 07-30 falls in the 8th round (from 07-24), whose cap was not found: no stale cap is used
    assert [r["status"] for r in result["rows"]] == ["breach", "ok", "no cap shipped"]
    assert result["breaches"][0]["over"] == 26.0  # 1,750 - 1,724
    with pytest.raises(InvalidInput) as exc:
        check_supply_prices(PARAMS, prices.with_columns(supply_price=pl.lit(-1.0)))
    assert exc.value.field == "supply_price"
    # an unreadable price (null after the CSV cast) is refused, never passed as "ok"
    unreadable = prices.with_columns(supply_price=pl.lit(None, dtype=pl.Float64))
    with pytest.raises(InvalidInput, match="missing or unreadable") as exc:
        check_supply_prices(PARAMS, unreadable)
    assert exc.value.field == "supply_price"


def test_international_comparison_is_the_reports():
    rows = {
        (r["country"], r["product"]): r["rise_since_prewar"] for r in international_comparison()
    }
    assert rows == {("KR", "gasoline"): 0.19, ("US", "gasoline"): 0.55, ("UK", "gasoline"): 0.23,
                    ("KR", "diesel"): 0.26, ("US", "diesel"): 0.52, ("UK", "diesel"): 0.38}  # fmt: skip


def test_naphtha_refuses_unreadable_rows():
    from tiro.energy.subsidies.rules import naphtha_allocation

    claims = pl.DataFrame(
        {"claimant": ["A"], "tonnes": [None], "import_price_usd_t": [1100.0], "krw_per_usd": [1450.0]},
        schema={"claimant": pl.Utf8, "tonnes": pl.Float64, "import_price_usd_t": pl.Float64,
                "krw_per_usd": pl.Float64},
    )  # fmt: skip
    with pytest.raises(InvalidInput) as exc:
        naphtha_allocation(params=PARAMS, claims=claims, on=dt.date(2026, 4, 1))
    assert exc.value.field == "tonnes"


def test_freight_refusals():
    with pytest.raises(InvalidInput) as exc:
        freight_refund(params=PARAMS, excess_krw_per_litre=-0.1, on=dt.date(2026, 4, 1))
    assert exc.value.field == "excess_krw_per_litre"
    with pytest.raises(InvalidInput) as exc:
        freight_refund(params=PARAMS, excess_krw_per_litre=float("nan"), on=dt.date(2026, 4, 1))
    assert exc.value.field == "excess_krw_per_litre"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=10**13), min_size=1, max_size=20),
    st.integers(min_value=0, max_value=10**13),
)
def test_pro_rata_never_exceeds_budget(amounts, left):
    paid = pro_rata(amounts, left)
    assert sum(paid) <= max(left, sum(amounts) if sum(amounts) <= left else left)
    assert all(0 <= p <= a for p, a in zip(paid, amounts, strict=True))
    if sum(amounts) <= left:
        assert paid == amounts
    else:
        # floor of each share loses less than one won per claim
        assert left - len(amounts) < sum(paid) <= left


def test_cli_contracts(cli):
    out = cli(["energy", "fuel-tax", "--product", "gasoline", "--date", "2025-11-01", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert {"product", "date", "cut_rate", "transport_tax", "education_tax", "driving_tax",
            "vat_on_tax", "total_per_litre"} <= set(data)  # fmt: skip
    assert data["total_per_litre"] == 763
    out = cli(
        [
            "energy",
            "fuel-tax",
            "--product",
            "diesel",
            "--date",
            "2025-11-01",
            "--cut",
            "0",
            "--json",
        ]
    )
    assert json.loads(out.stdout)["total_per_litre"] == 581
    out = cli(
        [
            "energy",
            "subsidy",
            "freight",
            "--excess-krw-per-litre",
            "20",
            "--date",
            "2026-04-01",
            "--json",
        ]
    )
    data = json.loads(out.stdout)
    assert (data["refund_krw_per_litre"], data["cap"], data["eligible"]) == (16.0, 16.0, True)
    out = cli(["energy", "price-cap", "next", "--product", "gasoline", "--date", "2026-03-20",
               "--intl-change", "0.1", "--json"])  # fmt: skip
    # reset 03-27 with the 15% cut: (1,724 - 763) x 1.1 + 697 = 1,754.1 -> 1,754
    assert json.loads(out.stdout)["next_cap"] == 1754
    bad = cli(["energy", "fuel-tax", "--product", "petrol", "--date", "2025-11-01", "--json"])
    assert (
        bad.exit_code != 0 and "product" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    )


def test_api_contracts(api_client):
    r = api_client.get(
        "/api/v1/energy/fuel-tax", params={"product": "diesel", "date": "2025-05-01"}
    )
    assert r.status_code == 200 and r.json()["total_per_litre"] == 494
    r = api_client.get(
        "/api/v1/energy/fuel-tax", params={"product": "diesel", "date": "2020-05-01"}
    )
    assert r.status_code == 422 and r.json()["field"] == "date"
    r = api_client.get(
        "/api/v1/energy/fuel-tax", params={"product": "diesel", "date": "2025-05-01", "cut": "nan"}
    )
    assert r.status_code == 422
    r = api_client.get(
        "/api/v1/energy/subsidy/freight", params={"excess_krw_per_litre": -1, "date": "2026-04-01"}
    )
    assert r.status_code == 422 and r.json()["field"] == "excess_krw_per_litre"
    r = api_client.get(
        "/api/v1/energy/price-cap/next",
        params={"product": "kerosene", "date": "2026-03-13", "intl_change": 0.25},
    )
    assert r.json()["next_cap"] == 1630
    body = {
        "prices": [
            {"date": "2026-03-14", "refiner": "A", "product": "gasoline", "supply_price": 1750}
        ]
    }
    r = api_client.post("/api/v1/energy/price-cap/check", json=body)
    assert r.status_code == 200 and r.json()["breaches"][0]["over"] == 26
    body = {
        "date": "2026-04-01",
        "budget_used_krw": 400000000000,
        "claims": [
            {"claimant": "A", "tonnes": 500000, "import_price_usd_t": 1100, "krw_per_usd": 1450},
            {"claimant": "B", "tonnes": 300000, "import_price_usd_t": 1000, "krw_per_usd": 1450},
        ],
    }
    r = api_client.post("/api/v1/energy/subsidy/naphtha", json=body)
    assert r.status_code == 200 and r.json()["payable_total_krw"] == 274399999999


def test_cpi_effect_refusals_and_routes(api_client):
    from tiro.energy.prices.cpi_effect import cpi_effect

    with pytest.raises(InvalidInput) as exc:
        cpi_effect(params=PARAMS, month="2026-02")
    assert exc.value.field == "month"
    with pytest.raises(InvalidInput) as exc:
        cpi_effect(params=PARAMS, month="2026-08")  # the 8th cap (07-24..08-20) was not found
    assert exc.value.field == "capped"
    r = api_client.get("/api/v1/energy/price-cap/cpi", params={"month": "2026-03"})
    assert r.status_code == 200 and r.json()["estimate_pp"] == pytest.approx(-0.2006)
    r = api_client.get("/api/v1/energy/price-cap/cpi", params={"month": "2026-13"})
    assert r.status_code == 422 and r.json()["field"] == "month"


def test_reference_price_by_hand(cli):
    from tiro.energy.prices.reference_price import reference_price

    r = reference_price(params=PARAMS, product="gasoline", on=dt.date(2026, 3, 13), mops_usd_bbl=100,
                        krw_per_usd=1450, freight_krw_per_litre=10, margin_krw_per_litre=50)  # fmt: skip
    # product 100 / 158.987 x 1,450 = 912.02; CIF 922.02; tariff 3% 27.66; levy 16; margin 50;
    # excise 491.97 x 1.41 = 693.68; before VAT 1,709.36; x 1.1 = 1,880.30; cap 1,724 -> -156.30
    assert r["product_cost"] == pytest.approx(912.02)
    assert r["reference_price"] == pytest.approx(1880.30, abs=0.01)
    assert r["cap_minus_reference"] == pytest.approx(-156.30, abs=0.01)
    with pytest.raises(InvalidInput) as exc:
        reference_price(params=PARAMS, product="gasoline", on=dt.date(2026, 3, 13), mops_usd_bbl=-1,
                        krw_per_usd=1450, freight_krw_per_litre=10, margin_krw_per_litre=50)  # fmt: skip
    assert exc.value.field == "mops_usd_bbl"
    out = cli(["energy", "price-cap", "reference", "--product", "diesel", "--date", "2025-01-01",
               "--mops-usd-bbl", "90", "--krw-per-usd", "1400", "--freight-krw-per-litre", "0",
               "--margin-krw-per-litre", "0", "--json"])  # fmt: skip
    data = json.loads(out.stdout)
    # 90 / 158.987 x 1,400 = 792.52; x 1.03 = 816.29; + 16 = 832.29; excise 288.75 x 1.41 = 407.14
    # (1,239.43) x 1.1 = 1,363.37; no cap before 2026-03-13
    assert data["reference_price"] == pytest.approx(1363.37, abs=0.01)
    assert data["published_cap"] is None
