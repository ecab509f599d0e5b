"""AD/CVD orders on Korean goods (tiro.tariff.broker.adcvd): hand-computed deposits with a company
rate and with all-others, the producer rule, dated rates, and the shipped records' lint."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tiro.core.errors import InvalidInput, ParameterFileError
from tiro.tariff.broker.adcvd import (
    adcvd_for_line,
    check_producer,
    load_orders,
    orders_for,
    producer_key,
)
from tiro.tariff.broker.adcvd_frame import adcvd_frame

CASES = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "policy" / "tariff_broker" / "adcvd.yaml").read_text(
        encoding="utf-8"
    )
)


@pytest.mark.parametrize("case", CASES, ids=[c["name"][:50] for c in CASES])
def test_adcvd_policy_case(case: dict) -> None:
    inp = case["input"]
    got = adcvd_for_line(
        hts=inp["hts"],
        origin=inp.get("origin", "KR"),
        on=case["date"],
        value=inp["value"],
        producer=inp.get("producer"),
    )
    out = case["output"]
    if "cases" in out:
        assert [o["case"] for o in got["orders"]] == out["cases"]
    if "deposit_total" in out:
        assert got["deposit_total"] == (
            None if out["deposit_total"] is None else pytest.approx(out["deposit_total"], abs=0.005)
        )
    if "rate_basis" in out:
        assert [o["rate_basis"] for o in got["orders"]] == out["rate_basis"]
    if "needs" in out:
        assert got["needs"] == out["needs"]


def test_a_deposit_cites_the_rate_and_the_order() -> None:
    got = adcvd_for_line(hts="7209.16.00.30", origin="KR", on=dt.date(2025, 11, 20),
                         value=1000, producer="POSCO International Corp.")  # fmt: skip
    (order,) = got["orders"]
    assert (order["company"], order["rate"], order["rate_from"]) == (
        "POSCO/POSCO International Corporation", 0.027, "2024-02-23",
    )  # fmt: skip
    assert "81 FR 64432" in order["order_citation"]["title"]
    assert order["rate_citation"]["href"].startswith("https://")
    assert "dispositive" in order["scope_note"]


def test_producer_names_match_without_legal_suffixes_or_case() -> None:
    assert producer_key("SeAH Steel Corp.") == producer_key("SEAH STEEL CORPORATION") == "seahsteel"
    assert producer_key("KG Dongbu Steel Co., Ltd.") == "kgdongbusteel"
    assert producer_key("(주)포스코") == producer_key("포스코 주식회사") == "포스코"


def test_a_korean_name_finds_the_company() -> None:
    got = adcvd_for_line(hts="7209.16.00.40", origin="KR", on=dt.date(2025, 11, 20),
                         value=200000, producer="(주)포스코")  # fmt: skip
    assert (got["orders"][0]["rate_basis"], got["deposit_total"]) == ("company", 5400.0)


def test_no_name_points_to_two_companies_of_one_order() -> None:
    for order in load_orders():
        keys = [k for c in order.companies for k in c.keys]
        assert len(keys) == len(set(keys)), order.case


def test_a_blank_producer_is_refused_naming_the_field() -> None:
    for bad in ("   ", "x" * 201, "..."):
        with pytest.raises(InvalidInput) as err:
            check_producer(bad)
        assert err.value.field == "producer"


def test_an_eight_digit_code_is_flagged_by_its_ten_digit_references() -> None:
    day = dt.date(2025, 11, 20)
    assert [o.case for o in orders_for("7306.19.10", "KR", day)] == ["A-580-876"]
    assert [o.case for o in orders_for("7306.19.90", "KR", day)] == []  # not a listed number
    # suffixes are not compared: the LPT order lists .80, a .40 line of the subheading is flagged
    assert [o.case for o in orders_for("8504.23.00.40", "KR", day)] == ["A-580-867"]
    assert [o.case for o in orders_for("7209.16.00.61", "KR", day)] == ["A-580-881"]


def test_an_order_applies_from_its_date() -> None:
    # C-580-913 (OCTG CVD) starts 2022-11-18: before it only the AD order is in force
    before = orders_for("7304.29.10.10", "KR", dt.date(2022, 11, 17))
    assert [o.case for o in before] == ["A-580-870"]


def test_shipped_orders_are_korean_cited_and_dated() -> None:
    orders = load_orders()
    assert len(orders) == 7
    for o in orders:
        assert o.case[2:5] == "580" and o.kind == {"A": "AD", "C": "CVD"}[o.case[0]]
        assert o.citation["title"] and o.citation["href"].startswith("http")
        assert all(len(h) == 10 and h.isdigit() for h in o.hts)
        assert o.all_others, o.case
        for c in o.companies:
            assert all(r.title and r.href for r in c.rates)
            assert all(r.rate is None or 0 <= r.rate < 1 for r in c.rates)


def test_a_broken_order_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "orders.yaml"
    bad.write_text(
        "orders:\n  - case: A-570-001\n    kind: AD\n    product: {en: x, ko: x}\n"
        "    order: {date: 2020-01-01, title: t, href: h}\n    hts: [7304291010]\n"
        "    all_others: []\n",
        encoding="utf-8",
    )
    with pytest.raises(ParameterFileError, match="not a Korean"):
        load_orders.__wrapped__(bad)
    bad.write_text(
        "orders:\n  - case: A-580-001\n    kind: AD\n    product: {en: x, ko: x}\n"
        "    order: {date: 2020-01-01, title: t, href: h}\n    hts: [730429]\n"
        "    all_others: []\n",
        encoding="utf-8",
    )
    with pytest.raises(ParameterFileError, match="10 digits"):
        load_orders.__wrapped__(bad)


def test_listing_gives_every_rate_in_force_with_its_source(cli, api_client) -> None:
    r = cli(["tariff", "adcvd", "--hts", "7304.29", "--date", "2025-11-20", "--json"])
    assert r.exit_code == 0, r.stderr
    orders = json.loads(r.stdout)
    assert [o["case"] for o in orders] == ["A-580-870", "C-580-913"]
    ad = orders[0]
    assert (ad["all_others"]["rate"], ad["all_others"]["from"]) == (0.0524, "2014-09-10")
    assert {c["name"]: c["rate"] for c in ad["companies"]}["SeAH Steel Corporation"] == 0.0
    assert "7304.29.10.10" in ad["hts"]
    # before SeAH's loaded AD rate, the listing says it is not loaded (rate null), not 0
    early = json.loads(cli(["tariff", "adcvd", "--hts", "7304.29", "--date", "2025-03-01",
                            "--json"]).stdout)  # fmt: skip
    assert {c["name"]: c["rate"] for c in early[0]["companies"]}["SeAH Steel Corporation"] is None
    api = api_client.get("/api/v1/tariff/adcvd", params={"hts": "7304.29", "date": "2025-11-20"})
    assert api.status_code == 200 and api.json() == orders
    assert len(api_client.get("/api/v1/tariff/adcvd", params={"date": "2025-11-20"}).json()) == 7
    for params, field in (({"hts": "x"}, "hts"), ({"date": "2025-13-01"}, "date")):
        bad = api_client.get("/api/v1/tariff/adcvd", params=params)
        assert bad.status_code == 422 and field in bad.text
    bad = cli(["tariff", "adcvd", "--hts", "x"])
    assert bad.exit_code != 0 and "hts" in bad.stderr


CODES = ["7304.29.10.10", "7304.29.10", "7209.16.00.40", "7210.49.00.91", "8504.23.00.80",
         "7306.19.10.10", "8703.23.01", "7305.11.10.30"]  # fmt: skip
PRODUCERS = [None, "SeAH Steel Corp.", "(주)포스코", "Husteel", "Hyundai Steel", "Hyosung",
             "KG Dongbu Steel Co., Ltd.", "Nobody Pipe Co.", "Dongkuk Coated Metal"]  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(CODES),
            st.sampled_from(["KR", "KR", "KR", "JP"]),
            st.dates(dt.date(2022, 1, 1), dt.date(2026, 12, 5)),
            st.floats(0, 1e7, allow_nan=False),
            st.sampled_from(PRODUCERS),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_the_frame_prices_every_line_as_the_one_line_rule(rows: list[tuple]) -> None:
    """``adcvd_frame`` (joins, for a batch) and ``adcvd_for_line`` (a quote) are one rule."""
    frame = pl.DataFrame(
        rows,
        schema={"hts": pl.Utf8, "origin": pl.Utf8, "entry_date": pl.Date,
                "customs_value": pl.Float64, "producer": pl.Utf8},
        orient="row",
    )  # fmt: skip
    out = adcvd_frame(frame)
    for (hts, origin, day, value, producer), got in zip(
        rows, out.iter_rows(named=True), strict=True
    ):
        one = adcvd_for_line(hts=hts, origin=origin, on=day, value=value, producer=producer)
        assert got["adcvd_cases"] == ";".join(sorted(o["case"] for o in one["orders"]))
        assert got["adcvd_needs"] == ";".join(one["needs"])
        if one["deposit_total"] is None:
            assert got["adcvd_deposit"] is None
        else:
            assert got["adcvd_deposit"] == pytest.approx(one["deposit_total"], abs=0.011)
