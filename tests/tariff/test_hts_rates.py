"""Base rates over declaration lines: longest-prefix match, KORUS column, AVE and needs."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiro.core.errors import InvalidInput
from tiro.tariff.deal.basket import basket_provenance, load_kr_us_basket
from tiro.tariff.schedule.base_rates import base_rates, load_hts_subset, rate_lookup
from tiro.tariff.schedule.rate_text import parse_rate, parse_special


def _one(**line: object) -> dict[str, object]:
    line.setdefault("origin", "KR")
    line.setdefault("customs_value", 1000.0)
    return base_rates(pl.DataFrame([line])).row(0, named=True)


def test_shipped_subset_covers_the_spec_chapters() -> None:
    subset = load_hts_subset()
    assert subset.height == 716
    chapters = set(subset["chapter"].to_list())
    assert {"27", "30", "33", "39", "40", "44", "72", "73", "74", "76"} <= chapters
    assert {"84", "85", "87", "88", "89", "94"} <= chapters
    headings = set(subset["hts"].str.slice(0, 4).to_list())
    for heading in ("8703", "8704", "8708", "8507", "8541", "8542", "3004", "3304", "9403"):
        assert heading in headings
    assert subset["hts"].is_unique().all()


def test_every_shipped_rate_parses() -> None:
    subset = load_hts_subset()
    for text in subset["general_rate_text"].unique().to_list():
        assert parse_rate(text).computable, text
    korus = [parse_special(t).get("KR") for t in subset["special_rate_text"].unique()]
    assert all(rate is None or rate.computable for rate in korus)


def test_korean_car_with_korus_is_free_and_without_is_2_5_percent() -> None:
    # 8703.23.01: General 2.5%, Special Free (...KR...). A 10-digit statistical code
    # 8703.23.0190 falls back to its 8-digit rate line.
    claimed = _one(hts="8703.23.0190", customs_value=30_000.0, korus=True)
    assert claimed["hts_matched"] == "87032301"
    assert claimed["column1_source"] == "special:KR"
    assert claimed["base_rate"] == 0.0
    unclaimed = _one(hts="8703.23.0190", customs_value=30_000.0, korus=False)
    assert unclaimed["column1_source"] == "general"
    assert unclaimed["base_rate"] == pytest.approx(0.025)
    german = _one(hts="87032301", origin="DE", customs_value=30_000.0)
    assert german["base_rate"] == pytest.approx(0.025)


def test_korean_light_truck_keeps_25_percent_under_korus() -> None:
    row = _one(hts="8704.21.01.00", korus=True)
    assert row["column1_source"] == "special:KR"
    assert row["base_rate"] == pytest.approx(0.25)


def test_compound_petroleum_rate_with_quantity() -> None:
    # 2710.19.40.00 General "1.3¢/kg + 5.7%" (no KR for a Japanese origin):
    # 1,000 kg worth 2,000 USD -> 0.057 + 0.013 * 1000 / 2000 = 0.0635.
    row = _one(hts="2710194000", origin="JP", customs_value=2000.0, quantity=1000.0)
    assert row["column1_rate_text"] == "1.3¢/kg + 5.7%"
    assert row["base_specific_usd"] == pytest.approx(0.013)
    assert row["base_rate"] == pytest.approx(0.0635)
    assert row["base_needs"] is None


def test_missing_quantity_is_a_need_not_a_guess() -> None:
    row = _one(hts="2710194000", origin="JP", customs_value=2000.0)
    assert row["base_rate"] is None
    assert row["base_needs"] == "quantity:kg"


def test_quantity_unit_is_converted() -> None:
    # 2710.19.30 "84¢/bbl": 10 m3 = 10,000 liter = 62.898... bbl; worth 5,000 USD:
    # 0.84 * 62.898107 / 5000 = 0.010566882.
    line = {"hts": "27101930", "origin": "JP", "customs_value": 5000.0}
    line |= {"quantity": 10.0, "quantity_unit": "m3"}
    out = base_rates(pl.DataFrame([line]))
    assert out["base_needs"][0] == "quantity:bbl"  # no m3 -> bbl factor shipped
    line["quantity"], line["quantity_unit"] = 10_000.0, "liter"
    out = base_rates(pl.DataFrame([line]))
    assert out["base_rate"][0] == pytest.approx(0.84 * 10_000 / 158.987294928 / 5000)


def test_unknown_code_needs_a_rate_line() -> None:
    row = _one(hts="9999.99.99")
    assert row["hts_matched"] is None
    assert row["base_needs"] == "hts_rate"


def test_six_digit_code_resolves_only_when_unambiguous() -> None:
    # 8542.31: one rate line (Free) -> resolves; 8708.99 has lines at Free and 2.5% -> no match.
    assert _one(hts="854231")["hts_matched"] == "854231"
    assert _one(hts="870899")["base_needs"] == "hts_rate"


def test_bad_input_raises_with_field() -> None:
    with pytest.raises(InvalidInput) as err:
        base_rates(pl.DataFrame({"hts": ["87032301"], "origin": ["KR"]}))
    assert err.value.field == "customs_value"
    with pytest.raises(InvalidInput) as err:
        base_rates(pl.DataFrame({"hts": ["87032301"], "origin": ["KR"], "customs_value": [-1.0]}))
    assert err.value.field == "customs_value"


def test_korus_defaults_to_claimed_when_column_absent() -> None:
    out = base_rates(pl.DataFrame({"hts": ["85076000"], "origin": ["KR"], "customs_value": [1.0]}))
    assert out["column1_rate_text"][0] == "Free"
    out = base_rates(
        pl.DataFrame(
            {"hts": ["85076000"], "origin": ["KR"], "customs_value": [1.0], "flag": [False]}
        ),
        korus_claimed_col="flag",
    )
    assert out["base_rate"][0] == pytest.approx(0.034)  # 8507.60.00 General 3.4%


_codes = load_hts_subset()["hts"].to_list()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_codes),
            st.sampled_from(["KR", "JP", "DE"]),
            st.floats(min_value=1.0, max_value=1e7),
            st.floats(min_value=0.0, max_value=1e5),
            st.booleans(),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_batch_equals_line_by_line_and_korus_never_costs_more(rows: list[tuple]) -> None:
    frame = pl.DataFrame(
        rows, schema=["hts", "origin", "customs_value", "quantity", "korus"], orient="row"
    )
    batch = base_rates(frame)
    assert batch.height == frame.height
    assert batch["hts"].to_list() == frame["hts"].to_list()
    for i in range(frame.height):
        single = base_rates(frame.slice(i, 1))
        assert single["base_rate"][0] == batch["base_rate"][i]
    unclaimed = base_rates(frame.with_columns(pl.lit(False).alias("korus")))
    both = batch["base_rate"].fill_null(0) <= unclaimed["base_rate"].fill_null(0) + 1e-12
    assert both.all()
    assert (batch["base_rate"].drop_nulls() >= 0).all()


def test_rate_lookup_keys_are_unique() -> None:
    lookup = rate_lookup(load_hts_subset())
    assert lookup["key"].is_unique().all()
    assert set(lookup["key_len"].unique().to_list()) <= {6, 8, 10}


def test_basket_adds_up_to_the_published_total() -> None:
    basket = load_kr_us_basket()
    total = basket_provenance()["published_total"]["value_usd"]
    assert total == 127_791_000_000  # KITA 2024 exports to the US
    assert basket["value_usd"].sum() == total
    assert basket["source_url"].null_count() == 0
    assert (basket["value_usd"] > 0).all()
    priced = base_rates(
        basket.filter(pl.col("hts").is_not_null()).select(
            "hts", pl.lit("KR").alias("origin"), pl.col("value_usd").alias("customs_value")
        )
    )
    assert priced["base_needs"].null_count() == priced.height  # every representative line resolves
    car = priced.filter(pl.col("hts") == "8703.23.01")
    assert car["base_rate"][0] == 0.0  # KORUS Free


def test_caller_columns_pass_through_untouched() -> None:
    frame = pl.DataFrame(
        {
            "line_id": [7],
            "key": ["caller's own"],
            "hts": ["8708.99.81"],
            "origin": ["KR"],
            "customs_value": [100.0],
        }
    )
    out = base_rates(frame)
    assert out.select("line_id", "key", "hts").row(0) == (7, "caller's own", "8708.99.81")
    assert out["column1_rate_text"][0] == "Free"  # 8708.99.81 Special: Free (...KR...)
    assert not [c for c in out.columns if c.startswith("_")]
