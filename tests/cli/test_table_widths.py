"""Human output fits an 80-column terminal: no cell cut to "…", no line wider than 80.

Each command runs in-process with the shared console forced to 80 columns (the width of a
default terminal, and what rich assumes when output is piped). The figures a reader needs
are checked against the same command's ``--json`` output, so a column squeezed to nothing
or a date cut to "2026-03…" fails even where no ellipsis is printed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len

from tiro.cli import output

DATA = Path(__file__).resolve().parents[2] / "src" / "tiro" / "data"
ALLOCATION = str(DATA / "energy" / "allocation" / "ethylene_2026_05.yaml")
SCENARIO = str(DATA / "energy" / "scenarios" / "hormuz_2026.yaml")
WATCH = str(DATA / "tariff" / "watch" / "s301_excess_capacity_candidate.yaml")

COMMANDS = [
    ["energy", "allocate", ALLOCATION],
    ["energy", "scenario", "run", SCENARIO],
    ["energy", "stock-days", "--primary-net-imports-kt", "100000",
     "--product-net-imports-kt", "20000", "--crude-stocks-kt", "15000",
     "--product-stocks-kt", "5000"],
    ["energy", "alert", "evaluate", "--resource", "crude", "--price-change", "0.12",
     "--transport-risk"],
    ["energy", "alert", "history", "--resource", "crude"],
    ["energy", "alert", "replay"],
    ["energy", "swap", "sites"],
    ["energy", "swap", "status"],
    ["energy", "supply", "stock-days-published"],
    ["energy", "supply", "middle-east-share"],
    ["energy", "supply", "procurement"],
    ["energy", "supply", "balance"],
    ["tariff", "quote", "--hts", "8703.23.01", "--origin", "KR", "--date", "2025-12-01",
     "--value", "30000", "--no-korus"],
    ["tariff", "compare", "--date", "2025-12-01"],
    ["tariff", "measures", "--hts", "7308.90.60.00"],
    ["tariff", "measures", "--hts", "3304.99.50.00", "--watch", WATCH],
    ["trade", "fdi", "--period", "2025", "--by", "type"],
    ["trade", "items", "--period", "2025"],
    ["trade", "nowcast"],
    ["trade", "programmes", "--on", "2026-05-27"],
    ["trade", "working-days", "--month", "2025-09", "--to", "2025-10"],
    ["trade", "facts"],
    ["trade", "balance"],
    ["trade", "adjust"],
    ["trade", "contributions", "--before", "2024", "--after", "2025"],
    ["petrochem", "packages"],
    ["petrochem", "projects"],
    ["petrochem", "indicators"],
    ["params", "list", "energy."],
    ["facts", "list"],
]  # fmt: skip


@pytest.fixture
def run80(cli, monkeypatch):
    """Run a command at 80 columns after seeding the reference data; (human, json) output."""
    # The console object is shared by every command module; fixing its width is what a
    # user's 80-column terminal does (``console.width`` would pin it for later tests).
    monkeypatch.setattr(output.console, "_width", 80)
    assert cli(["db", "seed"]).exit_code == 0

    def run(args: list[str]) -> tuple[str, object]:
        human = cli(args)
        assert human.exit_code == 0, human.stderr
        machine = cli([*args, "--json"])
        assert machine.exit_code == 0, machine.stderr
        return human.stdout, json.loads(machine.stdout)

    return run


def _fits(text: str) -> None:
    assert "…" not in text
    wide = [line for line in text.splitlines() if cell_len(line) > 80]
    assert wide == []
    # rich crops a table wider than the console at its right edge: a bordered line that
    # does not end in a border lost its last columns
    cropped = [
        line
        for line in text.splitlines()
        if line.strip()[:1] in set("┏┃┡│└") and line.rstrip()[-1:] not in set("┓┃┩│┘")
    ]
    assert cropped == []


def _flat(text: str) -> str:
    """The output with table rules and line breaks gone, for phrases that wrap."""
    for ch in "│┃":
        text = text.replace(ch, " ")
    return " ".join(text.split())


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:3]))
def test_fits_80_columns(run80, args):
    text, _ = run80(args)
    assert text.strip()
    _fits(text)


def test_allocate_shows_every_figure_and_name(run80):
    text, data = run80(["energy", "allocate", ALLOCATION])
    _fits(text)
    flat = _flat(text)
    for c in data["customers"]:
        row = next(line for line in text.splitlines() if f" {c['customer_id']} " in line)
        # every figure of the customer on its row, in full
        for value in (c["demand"], c["minimum"], c["allocated"], c["unmet"]):
            assert f"{value:,.1f}" in row
        assert f"{c['fill_ratio']:.1%}" in row
        assert c["region"] in row
        assert c["name"] in flat and c["item"] in flat
    # the shipped example: tier 3 gets 1,900 of 2,700 t (70.4%)
    tier3 = next(line for line in text.splitlines() if "핵심산업" in line)
    assert "2,700.0" in tier3 and "1,900.0" in tier3 and "70.4%" in tier3


def test_scenario_run_keeps_whole_dates(run80):
    text, data = run80(["energy", "scenario", "run", SCENARIO])
    _fits(text)
    assert "2026-03-01 " in text  # the first day of the path, not "2026-03…"
    for t in data["thresholds"]:
        if t["crossed_on"]:
            assert t["crossed_on"] in text
    for a in data["alerts"]:
        if a["first_day"]:
            assert a["first_day"] in text and a["last_day"] in text


def test_tariff_quote_legal_basis_is_a_short_section(run80):
    args = ["tariff", "quote", "--hts", "8703.23.01", "--origin", "KR", "--date",
            "2025-12-01", "--value", "30000", "--no-korus"]  # fmt: skip
    text, data = run80(args)
    _fits(text)
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "Legal basis" in line)
    end = next(i for i, line in enumerate(lines) if "Explanation" in line)
    section = _flat("\n".join(lines[start + 1 : end]))
    # each heading: its citation and link in at most 4 lines (was ~20 in a table cell)
    assert end - start - 1 <= 4 * len(data["lines"])
    assert data["lines"][0]["heading"] == "9903.94.61"
    for line in data["lines"]:
        assert f"{line['heading']} {line['citation']['title']}" in section
        if line["citation"].get("href"):
            assert line["citation"]["href"] in text
    flat = _flat(text)
    assert "총관세 Total duty 4,500.00" in flat and "총세율 Total rate 15.00%" in flat
    for explained in data["explain"]:
        assert explained in flat


def test_compare_without_group_names_shows_hts_once(run80, tmp_path):
    basket = tmp_path / "basket.csv"
    basket.write_text("hts,value_usd\n8703.23.01,1000000\n8542.32.00,2000000\n")
    text, _ = run80(["tariff", "compare", "--date", "2025-12-01", "--basket", str(basket)])
    _fits(text)
    row = next(line for line in text.splitlines() if "8703.23.01" in line)
    assert row.count("8703.23.01") == 1
    assert "Product group" not in text


def test_compare_explains_the_unpriced_residual(run80):
    text, data = run80(["tariff", "compare", "--date", "2025-12-01"])
    flat = _flat(text)
    # KITA's 127,791 mn total less the itemised rows: 33,252 mn with no single HTS line
    assert round(data["unpriced_value"] / 1e6) == 33_252
    assert "Unpriced residual: USD 33,252 mn" in flat
    assert "no single HTS line" in flat
    assert f"priced USD {data['priced_value'] / 1e6:,.0f} mn only" in flat


def test_table_keeps_dates_and_numbers_whole_beside_prose():
    from rich.console import Console

    rows = [["2026-03-01", "12,345.6", "a long explanation " * 6, "x" * 3]] * 3
    columns = ["날짜 date", "공급 supply kb/d", "설명 note", "code"]
    console = Console(width=40, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(output.table("t", columns, rows, width=40))
    text = console.export_text()
    _fits(text)
    assert all(cell_len(line) <= 40 for line in text.splitlines())
    assert text.count("2026-03-01") == 3 and text.count("12,345.6") == 3


def test_records_turn_few_wide_rows_on_their_side_and_split_many():
    from rich.console import Console

    def render(rows):
        console = Console(width=80, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
        console.print(output.records("t", rows, width=80))
        return console.export_text()

    def wide(n: int) -> dict:
        return {f"column_number_{k}": 1_234_567.25 * k + n for k in range(1, 9)}

    few = render([{"id": "a", **wide(0)}, {"id": "b", **wide(1)}])
    _fits(few)
    assert "column_number_8" in few and "9,876,538" in few  # 1,234,567.25 x 8, whole
    many = render([{"id": str(n), **wide(n), "source": "same"} for n in range(8)])
    _fits(many)
    assert "(1/2)" in many and "(2/2)" in many
    assert many.count("source same") == 1  # one value in every row: said once
