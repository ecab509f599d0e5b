"""``tiro tariff`` commands on the shipped data."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest


def test_quote_json(cli) -> None:
    r = cli(
        [
            "tariff",
            "quote",
            "--hts",
            "3304.10.00.00",
            "--date",
            "2026-03-02",
            "--value",
            "2000",
            "--json",
        ]
    )
    assert r.exit_code == 0, r.stderr
    q = json.loads(r.stdout)
    assert q["lines"][0]["heading"] == "9903.03.01"
    assert q["total_duty"] == 200.0  # Section 122 10% of 2,000


def test_quote_table_shows_legal_basis(cli) -> None:
    r = cli(["tariff", "quote", "--hts", "8802.40.01", "--date", "2025-11-14", "--value", "1000"])
    assert r.exit_code == 0
    assert "9903.02.81" in r.stdout


def test_quote_bad_metal_share(cli) -> None:
    r = cli(
        [
            "tariff",
            "quote",
            "--hts",
            "7308.90.60.00",
            "--date",
            "2025-07-01",
            "--value",
            "1",
            "--metal-share",
            "2",
        ]
    )
    assert r.exit_code != 0
    assert "metal_share" in r.stderr


def test_batch_writes_parquet_and_error_file(cli, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "hts,origin,entry_date,customs_value\n8703.23.01,KR,2025-12-01,30000\n8703.23.01,KR,2024-01-01,1\n"
    )
    out = tmp_path / "out.parquet"
    r = cli(["tariff", "batch", str(source), "--out", str(out), "--json"])
    assert r.exit_code == 0, r.stderr
    summary = json.loads(r.stdout)
    assert (summary["priced"], summary["errors"]) == (1, 1)
    assert pl.read_parquet(out)["total_duty"].to_list() == pytest.approx([4500.0])
    assert "before the data" in (tmp_path / "out.errors.csv").read_text()


def test_compare_json(cli) -> None:
    r = cli(["tariff", "compare", "--date", "2026-11-25", "--json"])
    body = json.loads(r.stdout)
    # on 2026-11-25 only 232 programmes differ, all at 25% (no deal) vs 15% all-in (deal): cars
    # 34,740, parts 8,220 and excavators 14,879 mn (Procl. 11032 list (xi), metal share 0.203)
    cars, parts, excavators = 34_740_000_000, 8_220_000_000, 14_879_000_000
    assert body["deal_saving"] == pytest.approx((cars + parts + excavators) * 0.10, abs=1)


def test_measures_watch(cli) -> None:
    watch = (
        Path(__file__).resolve().parents[2]
        / "src/tiro/data/tariff/watch/s301_excess_capacity_candidate.yaml"
    )
    r = cli(["tariff", "measures", "--hts", "3304.10.00.00", "--watch", str(watch), "--json"])
    body = json.loads(r.stdout)
    assert any(m["heading"] == "9903.02.80" for m in body["measures"])
    assert body["watch"]["measure_ids"] == ["watch-s301-excess-capacity-kr"]
    # +25% on the basket lines outside Section 232 (cosmetics 1,910 mn among them) at 2027-01-01
    groups = {g["product_group"]: g for g in body["watch"]["by_product_group"]}
    cosmetics = groups["화장품 Cosmetics"]
    assert cosmetics["duty_after"] - cosmetics["duty_before"] == pytest.approx(1_910e6 * 0.25)
    cars = groups["승용차 Passenger vehicles"]
    assert cars["duty_after"] == cars["duty_before"]


def test_batch_table_output_with_progress_bar(cli, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("hts,origin,entry_date,customs_value\n3304.10.00.00,KR,2025-12-01,1000\n")
    r = cli(["tariff", "batch", str(source), "--out", str(tmp_path / "out.parquet")])
    assert r.exit_code == 0, r.stderr
    assert "Batch result" in r.stdout
    assert "150.0" in r.stdout  # total_duty: 15% all-in on 1,000


def test_import_hts_and_price_with_the_imported_rates(
    cli, tmp_path: Path, footwear_export: Path
) -> None:
    """A code the shipped subset lacks is unknown until its revision is imported."""
    export = footwear_export
    quote = [
        "tariff",
        "quote",
        "--hts",
        "6402.99.90.00",
        "--date",
        "2025-12-01",
        "--value",
        "10000",
    ]
    assert cli([*quote, "--json"]).exit_code != 0  # unknown HTS code in the shipped table
    table_file = tmp_path / "rates.csv"
    r = cli(["tariff", "import-hts", str(export), "--out", str(table_file), "--json"])
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["rate_lines"] == 1
    # no KORUS: General 20% x 10,000 = 2,000; column 1 >= 15% -> 9903.02.79 adds 0
    r = cli([*quote, "--no-korus", "--hts-table", str(table_file), "--json"])
    q = json.loads(r.stdout)
    assert (q["base_rate"], q["total_duty"]) == (0.2, 2000.0)
    assert [line["heading"] for line in q["lines"]] == ["9903.02.79"]
    # KORUS claimed: column 1 = Free -> 9903.02.80 tops up to 15% = 1,500 (the JSON directly)
    q = json.loads(cli([*quote, "--hts-table", str(export), "--json"]).stdout)
    assert (q["base_rate"], q["total_duty"]) == (0.0, 1500.0)
