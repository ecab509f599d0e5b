"""Concentration, RCA, similarity, complementarity, DX and ranking: hand-worked examples."""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiro.core.errors import InvalidInput
from tiro.trade import concentration as conc
from tiro.trade import ranking, similarity


def test_concentration_worked_example():
    # shares 0.5, 0.3, 0.2: HHI = 0.25 + 0.09 + 0.04 = 0.38; N = 3
    # normalised (0.38 − 1/3)/(1 − 1/3) = 0.046667/0.666667 = 0.07
    # UNCTAD (√0.38 − √(1/3))/(1 − √(1/3)) = (0.616441 − 0.577350)/0.422650 = 0.092491
    out = conc.concentration(pl.Series([50.0, 30.0, 20.0]))
    assert out["hhi"] == pytest.approx(0.38)
    assert out["hhi_normalized"] == pytest.approx(0.07)
    assert out["unctad_concentration"] == pytest.approx(0.092491, abs=1e-6)
    assert out["n"] == 3


@given(st.lists(st.floats(0.01, 1e6), min_size=2, max_size=40))
def test_concentration_bounds(values):
    out = conc.concentration(pl.Series(values))
    assert 1 / len(values) - 1e-9 <= out["hhi"] <= 1 + 1e-9
    assert -1e-9 <= out["hhi_normalized"] <= 1 + 1e-9
    assert -1e-9 <= out["unctad_concentration"] <= 1 + 1e-9


def test_concentration_table_matches_scalar():
    flows = pl.DataFrame(
        {
            "reporter": ["A"] * 3 + ["B"] * 2,
            "product": ["1", "2", "3", "1", "2"],
            "value": [50.0, 30.0, 20.0, 1.0, 1.0],
        }
    )
    table = conc.concentration_table(flows, over="product", by=["reporter"])
    assert table["hhi"].to_list() == pytest.approx([0.38, 0.5])
    assert table["hhi_normalized"].to_list() == pytest.approx([0.07, 0.0])
    with pytest.raises(InvalidInput):
        conc.concentration(pl.Series([1.0, -1.0]))


WORLD = pl.DataFrame(
    {
        "reporter": ["KOR", "KOR", "JPN", "JPN"],
        "product": ["8542", "8703", "8542", "8703"],
        "value": [60.0, 40.0, 20.0, 80.0],
    }
)


def test_rca_by_hand():
    # world 8542 = 80 of 200 = 0.4; KOR share 60/100 = 0.6 → RCA 1.5; JPN 8703: 0.8/0.6 = 1.333
    table = similarity.rca(WORLD)
    got = {(r["reporter"], r["product"]): r["rca"] for r in table.to_dicts()}
    assert got[("KOR", "8542")] == pytest.approx(1.5)
    assert got[("JPN", "8703")] == pytest.approx(0.8 / 0.6)


def test_similarity_and_complementarity_by_hand():
    # XS = 100 · (min(0.6,0.2) + min(0.4,0.8)) = 100 · 0.6 = 60
    assert similarity.export_similarity(WORLD, "KOR", "JPN") == pytest.approx(60.0)
    # JPN imports: 8542 30%, 8703 70%; KOR exports 60/40 → TC = 100(1 − (0.3+0.3)/2) = 70
    imports = pl.DataFrame(
        {"reporter": ["JPN", "JPN"], "product": ["8542", "8703"], "value": [3.0, 7.0]}
    )
    assert similarity.trade_complementarity(WORLD, imports, "KOR", "JPN") == pytest.approx(70.0)


def test_dx_by_hand():
    # world shares 8542 0.4, 8703 0.6; KOR (0.6, 0.4) → DX = (0.2 + 0.2)/2 = 0.2; JPN 0.2 too
    assert conc.diversification_dx(WORLD)["dx"].to_list() == pytest.approx([0.2, 0.2])


def test_ranking():
    flows = pl.DataFrame(
        {
            "period": ["2025"] * 3,
            "reporter": ["CHN", "KOR", "JPN"],
            "partner": ["WLD"] * 3,
            "product": ["TOTAL"] * 3,
            "flow": ["X"] * 3,
            "value": [3.0, 0.7, 0.72],
        }
    )
    place = ranking.rank_of(ranking.rank_exporters(flows, periods=["2025"]), "KOR")
    assert place["rank"] == 3 and place["of"] == 3
    assert math.isclose(place["value"], 0.7)


def test_concentration_over_counts_each_line_once():
    # KOR to USA: 8542 6 + 8703 4 = TOTAL 10; to CHN: a TOTAL of 10 only; WLD rows 6/4/20.
    flows = pl.DataFrame(
        {
            "period": ["2025"] * 7,
            "reporter": ["KOR"] * 7,
            "flow": ["X"] * 7,
            "partner": ["USA", "USA", "USA", "CHN", "WLD", "WLD", "WLD"],
            "product": ["8542", "8703", "TOTAL", "TOTAL", "8542", "8703", "TOTAL"],
            "value": [6.0, 4.0, 10.0, 10.0, 6.0, 4.0, 20.0],
        }
    )
    # Over partners: USA 10, CHN 10 from the TOTAL rows -> HHI 0.5. Summing every non-WLD
    # row would give USA 20, CHN 10 -> (400 + 100)/900 = 0.556.
    assert conc.concentration_over(flows, over="partner")["hhi"] == pytest.approx(0.5)
    # Over products: partner detail 8542 6, 8703 4 -> 0.6² + 0.4² = 0.52, n = 2.
    by_product = conc.concentration_over(flows, over="product")
    assert by_product["hhi"] == pytest.approx(0.52) and by_product["n"] == 2
