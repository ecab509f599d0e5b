"""Major items: the 15 -> 20 switch, prefix classification, and 2025 figures by basis."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.trade.items import classify, item_definitions, item_figures, load_korea_item_flows

PARAMS = get_params()
AFTER = dt.date(2026, 6, 1)


def test_fifteen_items_become_twenty_in_may_2026() -> None:
    before = item_definitions(dt.date(2026, 4, 30), params=PARAMS)
    after = item_definitions(AFTER, params=PARAMS)
    assert before["set_size"][0] == 15 and after["set_size"][0] == 20
    added = set(after.filter("major")["item"]) - set(before.filter("major")["item"])
    assert added == {
        "electrical_equipment",
        "non_ferrous_metals",
        "agri_food",
        "cosmetics",
        "household_goods",
    }


def test_longest_prefix_and_exclusions_classify_codes() -> None:
    codes = pl.DataFrame(
        {
            "product": ["854232", "847130", "841810", "840991", "842952", "831110", "999999"],
            "classification": ["HS", "HS", "HS", "HS", "HS", "MTI", "HS"],
        }
    )
    got = classify(codes, on=AFTER, params=PARAMS)["item"].to_list()
    # 8471 (computers) and 8418 (fridges) are carved out of HS 84 'general machinery';
    # 8409 engine parts go to auto parts; 8429 excavators stay machinery; MTI 831 = chips.
    assert got == [
        "semiconductors",
        "computers",
        "home_appliances",
        "auto_parts",
        "general_machinery",
        "semiconductors",
        None,
    ]


def test_2025_semiconductor_share_on_both_bases() -> None:
    table = item_figures(load_korea_item_flows(), period="2025", on=AFTER, params=PARAMS)
    semis = {r["basis"]: r for r in table.filter(pl.col("item") == "semiconductors").to_dicts()}
    # MOTIE: 173.4 / 709.7 = 24.43%; growth 173.4 / 141.9 - 1 = +22.2% (release: +22.2%).
    assert semis["MOTIE"]["share"] == pytest.approx(0.24433, abs=1e-5)
    assert semis["MOTIE"]["growth"] == pytest.approx(0.22199, abs=1e-5)
    assert semis["MOTIE"]["growth_source"] == "computed"
    # KCS: 175.3 / 709.33 = 24.71% (SBS: 24.7% of exports); labelled a published item figure.
    assert semis["KCS"]["share"] == pytest.approx(0.24713, abs=1e-5)
    assert semis["KCS"]["basis_label"] == "published item figure"
    assert not semis["KCS"]["approximate"]


def test_hs_rows_are_summed_and_flagged_approximate() -> None:
    flows = pl.DataFrame(
        {
            "period": ["2025"] * 4,
            "product": ["854232", "854129", "870323", "TOTAL"],
            "classification": ["HS", "HS", "HS", "HS"],
            "flow": ["X"] * 4,
            "value_usd_bn": [150.0, 25.3, 60.0, 709.33],
            "basis": ["KCS"] * 4,
        }
    )
    table = item_figures(flows, period="2025", on=AFTER, params=PARAMS)
    semis = table.filter(pl.col("item") == "semiconductors").row(0, named=True)
    assert semis["value_usd_bn"] == pytest.approx(175.3)  # 150.0 + 25.3
    assert semis["approximate"] is True and semis["basis_label"] == "HS approximation"
    assert semis["growth"] is None  # no prior period, no reported growth: never a silent 0


def test_period_without_exports_is_rejected() -> None:
    with pytest.raises(InvalidInput) as err:
        item_figures(load_korea_item_flows(), period="2019", on=AFTER, params=PARAMS)
    assert err.value.field == "period"
