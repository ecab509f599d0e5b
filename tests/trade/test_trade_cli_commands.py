"""The ``tiro trade`` commands not covered by the contract tests, each on numbers worked by hand:
world-table indicators on a small CSV, growth/balance/shares on the shipped MOTIE figures."""

from __future__ import annotations

import json

import pytest

from tiro.core.parameters import get_params
from tiro.trade.partner_groups import membership

# Exports to the world: KOR 8542 60 / 8703 40 (total 100), JPN 20 / 80 (total 120 with a
# TOTAL row saying so), CHN only a TOTAL of 300; JPN imports 8542 3 / 8703 7.
WORLD = """period,reporter,partner,product,flow,value
2025,KOR,WLD,8542,X,60
2025,KOR,WLD,8703,X,40
2025,JPN,WLD,8542,X,20
2025,JPN,WLD,8703,X,80
2025,KOR,WLD,TOTAL,X,100
2025,JPN,WLD,TOTAL,X,120
2025,CHN,WLD,TOTAL,X,300
2025,JPN,WLD,8542,M,3
2025,JPN,WLD,8703,M,7
"""


@pytest.fixture
def world(tmp_path):
    path = tmp_path / "world.csv"
    path.write_text(WORLD)
    return str(path)


def _json(cli, *args: str):
    result = cli(["trade", *args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_world_table_indicators_by_hand(cli, world):
    # World 8542 = 80 of 200 = 0.4; KOR's 8542 share 60/100 = 0.6 -> RCA 1.5; 8703: 0.4/0.6.
    rca = {
        r["product"]: r["rca"]
        for r in _json(cli, "rca", "--input", world, "--period", "2025", "--reporter", "KOR")
    }
    assert rca == pytest.approx({"8542": 1.5, "8703": 0.4 / 0.6})
    # Finger–Kreinin: 100 (min(0.6, 0.2) + min(0.4, 0.8)) = 60.
    xs = _json(cli, "similarity", "--input", world, "--period", "2025", "--a", "KOR", "--b", "JPN")
    assert xs["export_similarity"] == pytest.approx(60.0)
    # JPN imports 30/70 against KOR exports 60/40: 100 (1 - (0.3 + 0.3)/2) = 70.
    tc = _json(
        cli,
        "complementarity",
        "--input",
        world,
        "--period",
        "2025",
        "--exporter",
        "KOR",
        "--importer",
        "JPN",
    )
    assert tc["trade_complementarity"] == pytest.approx(70.0)
    # DX over product lines (TOTAL rows left out): world structure (0.4, 0.6); KOR (0.6, 0.4)
    # and JPN (0.2, 0.8) are both (0.2 + 0.2)/2 = 0.2 away from it.
    dx = {
        r["reporter"]: r["dx"]
        for r in _json(cli, "diversification", "--input", world, "--period", "2025")
    }
    assert dx == pytest.approx({"KOR": 0.2, "JPN": 0.2})
    # Totals to the world: CHN 300 > JPN 120 > KOR 100 -> KOR third of three.
    rank = _json(cli, "rank", "--input", world, "--period", "2025")
    assert (rank["rank"], rank["of"], rank["value"]) == (3, 3, 100.0)


def test_indicators_for_february_2026(cli):
    out = _json(cli, "indicators", "--period", "2026-02")
    # MOTIE Feb 2026 67.448 bn against Feb 2025 as revised (52.3): 67.448 / 52.3 - 1 = +29.0%.
    assert out["yoy"]["value"] == pytest.approx(67.448e9)
    assert out["yoy"]["growth"] == pytest.approx(67.448 / 52.3 - 1)
    # Jan-Feb: (65.85 + 67.448) / (49.2 + 52.3) - 1 = +31.3%.
    assert out["ytd"]["growth"] == pytest.approx((65.85 + 67.448) / (49.2 + 52.3) - 1)
    # 19 working days (Seol 16-18 Feb): 67.448 / 19 = 3.550 bn a day.
    assert out["daily_average"]["working_days"] == 19.0
    assert out["daily_average"]["per_day"] == pytest.approx(67.448e9 / 19)


def test_indicators_without_a_base_month_names_the_missing_period(cli):
    result = cli(["trade", "indicators", "--period", "2025-10", "--json"])
    # Oct 2024 was never published in the sources found (only back-solved for the chart):
    # October 2025 is still answered, with its YoY marked unavailable (issue 9 item 17).
    assert result.exit_code == 0, result.stderr
    yoy = json.loads(result.stdout)["yoy"]
    assert yoy["value"] == pytest.approx(59.57e9)
    assert yoy["growth"] is None and yoy["unavailable"] == "no figure for the base period 2024-10"


def test_balance_flags_the_2021_release(cli):
    rows = _json(cli, "balance")
    row = next(r for r in rows if r["period"] == "2021" and r["basis"] == "MOTIE")
    # 644.54 - 615.05 = 29.49 bn, the article printed 24.99: 4.5 bn apart, flagged.
    assert row["balance"] == pytest.approx(29.49e9)
    assert row["consistent"] is False


def test_share_change_and_contributions_2024_to_2025(cli):
    change = {
        r["key"]: r for r in _json(cli, "share-change", "--before", "2024", "--after", "2025")
    }
    # Latest vintages: 2024 total confirmed 683.61, regions provisional. US + China:
    # (127.8 + 133.0)/683.61 = 38.15% -> (122.9 + 130.8)/709.7 = 35.75%: -2.40 pp.
    assert change["us_china"]["share_before"] == pytest.approx(260.8 / 683.61)
    assert change["us_china"]["change_pp"] == pytest.approx((253.7 / 709.7 - 260.8 / 683.61) * 100)
    parts = {
        r["key"]: r
        for r in _json(
            cli, "contributions", "--before", "2024", "--after", "2025", "--vintage", "provisional"
        )
    }
    # China: (130.8 - 133.0) / 683.8 = -0.32 pp of growth.
    assert parts["china"]["contribution"] == pytest.approx((130.8 - 133.0) / 683.8)
    # The parts (other included) add up to total growth 709.7 / 683.8 - 1 = 3.79%.
    total = sum(p["contribution"] for p in parts.values())
    assert total == pytest.approx(709.7 / 683.8 - 1)


def test_facts_items_and_adjust(cli):
    facts = _json(cli, "facts", "--period", "2025", "--all-vintages")
    kcs = [r for r in facts if r["basis"] == "KCS" and r["flow"] == "X" and r["partner"] == "WLD"]
    assert kcs and kcs[0]["value"] == pytest.approx(709.33e9)
    items = _json(cli, "items", "--period", "2025", "--on", "2026-04-30")
    assert items["set_size"] == 15
    semis = [r for r in items["items"] if r["item"] == "semiconductors" and r["basis"] == "MOTIE"]
    assert semis[0]["value_usd_bn"] == 173.4
    adjusted = _json(cli, "adjust", "--method", "stl")
    feb = next(r for r in adjusted["rows"] if r["month"] == "2026-02")
    # Per working day: 67.448/19 = 3.550 against 52.6/22 = 2.391 -> +48.5%.
    assert feb["yoy_per_day"] == pytest.approx((67.448 / 19) / (52.6 / 22) - 1)


@pytest.mark.parametrize(
    ("group", "partner", "before", "after"),
    [
        ("eu", "GBR", "2019", "2020"),  # the UK left on 2020-01-31: out for all of 2020
        ("asean", "TLS", "2025-09", "2025-10"),  # Timor-Leste joined on 2025-10-26
    ],
)
def test_group_membership_is_read_at_each_period_end(group, partner, before, after):
    params = get_params()
    was = membership(params, before).filter(membership(params, before)["partner"] == partner)
    now = membership(params, after).filter(membership(params, after)["partner"] == partner)
    in_group_before = group in was["group"].to_list()
    in_group_after = group in now["group"].to_list()
    assert (in_group_before, in_group_after) == ((True, False) if group == "eu" else (False, True))
