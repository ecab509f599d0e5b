"""Issue 9 item 13: one rule for which partner level a world-table computation reads.

The issue's example: KOR→WLD 8542 = 100 beside KOR→USA 60 and KOR→CHN 40 is KOR 8542 = 100,
not 200. A breakdown below a world row must not change any world-table result, a region row
stands for its members, and inconsistent levels are refused.
"""

from __future__ import annotations

import json

import polars as pl
import pytest

from tiro.core.errors import InvalidInput
from tiro.trade import concentration as conc
from tiro.trade import shares, similarity
from tiro.trade.complexity import complexity
from tiro.trade.io_csv import read_plain_csv
from tiro.trade.partner_levels import partner_lines, world_cells
from tiro.trade.service import world_exports

HEADER = "period,reporter,partner,product,flow,value\n"
# A world table: KOR and USA exports to the world by product.
WORLD_ONLY = """2024,KOR,WLD,8542,X,100
2024,KOR,WLD,8703,X,50
2024,USA,WLD,8542,X,300
2024,USA,WLD,8703,X,200
2024,JPN,WLD,8542,X,100
2024,JPN,WLD,2710,X,100
"""
# The same table with KOR's 8542 also broken down by partner (60 + 40 = the world row).
WITH_BREAKDOWN = WORLD_ONLY + "2024,KOR,USA,8542,X,60\n2024,KOR,CHN,8542,X,40\n"


def _flows(body: str) -> pl.DataFrame:
    return read_plain_csv((HEADER + body).encode())


def test_the_issue_example_reads_the_world_row_once():
    cells = world_cells(_flows(WITH_BREAKDOWN))
    kor = cells.filter((pl.col("reporter") == "KOR") & (pl.col("product") == "8542"))
    assert kor["value"].to_list() == [100.0]  # not 100 + 60 + 40 = 200
    assert kor["level_read"].to_list() == ["world"]


def test_a_breakdown_below_the_world_row_changes_no_world_table_result():
    plain, detailed = world_exports(_flows(WORLD_ONLY)), world_exports(_flows(WITH_BREAKDOWN))
    # RCA KOR 8542 = (100/150) / (500/850) = 1.1333 (the old code read 200: (200/250)/(600/950))
    rca = similarity.rca(detailed).filter(pl.col("reporter") == "KOR").sort("product")
    assert rca["rca"].to_list() == pytest.approx(
        [(100 / 150) / (500 / 850), (50 / 150) / (250 / 850)]
    )
    assert similarity.rca(plain).equals(similarity.rca(detailed))
    assert similarity.export_similarity(detailed, "KOR", "USA") == pytest.approx(
        # KOR (2/3, 1/3), USA (0.6, 0.4): 100 * (0.6 + 1/3)
        100 * (0.6 + 1 / 3)
    )
    assert conc.diversification_dx(plain).equals(conc.diversification_dx(detailed))
    kor = _flows(WITH_BREAKDOWN).filter(pl.col("reporter") == "KOR")
    # over products: 100 and 50 -> (2/3)² + (1/3)² = 5/9
    assert conc.concentration_over(kor, over="product")["hhi"] == pytest.approx(5 / 9)
    a = complexity(plain, threshold=1.0, with_density=False)
    b = complexity(detailed, threshold=1.0, with_density=False)
    assert a.locations.equals(b.locations) and a.products.equals(b.products)


def test_without_a_world_row_partners_are_summed_once_and_a_region_stands_for_members():
    body = """2024,KOR,ASEAN,8703,X,30
2024,KOR,VNM,8703,X,10
2024,KOR,USA,8703,X,20
2024,KOR,XNS,8703,X,5
"""
    cells = world_cells(_flows(body))
    # ASEAN 30 already holds VNM 10; Areas, nes (XNS) counts in the world total: 30 + 20 + 5
    assert cells["value"].to_list() == [55.0] and cells["level_read"].to_list() == ["partners"]
    lines = partner_lines(_flows(body)).sort("partner")
    assert lines["partner"].to_list() == ["ASEAN", "USA", "XNS"]
    assert lines["level"].to_list() == ["region", "country", "area"]
    # over partners: ASEAN 30 and USA 20 (XNS is not a partner country) -> 0.36 + 0.16
    got = conc.concentration_over(_flows(body), over="partner")
    assert got["hhi"] == pytest.approx(0.52) and got["n"] == 2


def test_partner_group_shares_count_a_region_and_its_member_once(monkeypatch):
    from tiro.core.parameters import get_params

    body = """2025,KOR,WLD,TOTAL,X,100
2025,KOR,ASEAN,TOTAL,X,20
2025,KOR,VNM,TOTAL,X,10
2025,KOR,USA,TOTAL,X,30
"""
    got = shares.shares(_flows(body), period="2025", by="partner_group", params=get_params())
    # the old code put ASEAN 20 + VNM 10 = 30 into asean
    assert got["groups"]["asean"] == pytest.approx(0.20)
    assert got["groups"]["usa"] == pytest.approx(0.30)
    assert got["groups"]["other"] == pytest.approx(0.50)


def test_partner_rows_above_the_world_row_are_refused():
    body = "2024,KOR,WLD,8542,X,100\n2024,KOR,USA,8542,X,90\n2024,KOR,CHN,8542,X,40\n"
    with pytest.raises(InvalidInput) as err:
        world_cells(_flows(body))
    assert err.value.field == "partner"
    assert "130" in err.value.message and "100" in err.value.message


def test_members_above_their_region_row_are_refused():
    body = "2024,KOR,ASEAN,8542,X,10\n2024,KOR,VNM,8542,X,8\n2024,KOR,THA,8542,X,7\n"
    with pytest.raises(InvalidInput) as err:
        world_cells(_flows(body))
    assert err.value.field == "partner" and "asean" in err.value.message


def test_two_bases_in_one_cell_are_refused():
    body = (
        "period,reporter,partner,product,flow,value,basis\n"
        "2024,KOR,WLD,8542,X,100,MOTIE\n2024,KOR,WLD,8542,X,101,KCS\n"
    )
    with pytest.raises(InvalidInput) as err:
        world_cells(read_plain_csv(body.encode()))
    assert err.value.field == "basis"


def test_cli_rca_on_the_issue_table(cli, tmp_path):
    path = tmp_path / "world.csv"
    path.write_text(HEADER + WITH_BREAKDOWN)
    result = cli(["trade", "rca", "--input", str(path), "--period", "2024", "--json"])
    assert result.exit_code == 0, result.stderr
    kor = [r for r in json.loads(result.stdout) if r["reporter"] == "KOR"]
    assert [r["value"] for r in kor] == [100.0, 50.0]
