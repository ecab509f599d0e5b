"""A refusal about a petrochem units/events file names the file's real line.

T-BREAK: the shipped files open with ``#`` comment lines (6 in units.csv, 4 in
unit_events.csv) that the reader skips, so "line N" was row + 2 — off by the comments.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tiro.core.errors import InvalidInput
from tiro.petrochem import registry

UNITS = registry.DATA_DIR / "units.csv"
EVENTS = registry.DATA_DIR / "unit_events.csv"


def _line_of(text: str, start: str) -> int:
    """1-based line number of the line starting with ``start`` (found independently)."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def _broken_units(tmp_path: Path, unit: str) -> tuple[Path, int]:
    text = UNITS.read_text(encoding="utf-8")
    line = _line_of(text, unit + ",")
    rows = text.splitlines(keepends=True)
    cells = rows[line - 1].split(",")
    cells[4] = "-5"  # capacity_kt
    rows[line - 1] = ",".join(cells)
    path = tmp_path / "units.csv"
    path.write_text("".join(rows), encoding="utf-8")
    return path, line


def test_the_shipped_files_have_comment_lines():
    assert UNITS.read_text().startswith("#") and EVENTS.read_text().startswith("#")


def test_a_bad_unit_names_its_real_line(tmp_path):
    path, line = _broken_units(tmp_path, "yncc_2")
    assert line == 12  # 6 comment lines, the header on 7, yncc_2 is the 5th unit
    with pytest.raises(InvalidInput) as err:
        registry.load_units(path)
    assert str(err.value) == f"line {line}: capacity_kt must be a positive number"


def test_a_comment_between_rows_is_counted_too(tmp_path):
    text = UNITS.read_text(encoding="utf-8").replace("yncc_1,", "# a note\nyncc_1,", 1)
    text = text.replace("yncc_2,YNCC No.2,YNCC,yeosu,915,", "yncc_2,YNCC No.2,YNCC,yeosu,nan,")
    path = tmp_path / "units.csv"
    path.write_text(text, encoding="utf-8")
    line = _line_of(text, "yncc_2,")
    assert line == 13
    with pytest.raises(InvalidInput) as err:
        registry.load_units(path)
    assert err.value.field == "capacity_kt"
    assert str(err.value).startswith(f"line {line}: NaN"), err.value


def test_a_bad_event_names_its_real_line(tmp_path):
    text = EVENTS.read_text(encoding="utf-8")
    path = tmp_path / "events.csv"
    path.write_text(text + "lg_yeosu_1,1991-01-01,melted,,,year,,\n", encoding="utf-8")
    last = len((text + "x\n").splitlines())
    with pytest.raises(InvalidInput) as err:
        registry.load_events(registry.load_units(), path)
    assert str(err.value).startswith(f"line {last}: status must be"), err.value


def test_a_repeated_event_names_the_real_line_of_the_repeat(tmp_path):
    text = EVENTS.read_text(encoding="utf-8")
    extra = "lg_yeosu_1,2026-06-01,closed,,,day,,\nlg_yeosu_1,2026-06-01,operating,,,day,,\n"
    path = tmp_path / "events.csv"
    path.write_text(text + extra, encoding="utf-8")
    first = len(text.splitlines()) + 1
    with pytest.raises(InvalidInput) as err:
        registry.load_events(registry.load_units(), path)
    assert str(err.value).startswith(f"line {first}: lg_yeosu_1 has two events"), err.value


def test_the_cli_names_the_real_line(cli, tmp_path):
    path, line = _broken_units(tmp_path, "yncc_2")
    r = cli(["petrochem", "capacity", "--units", str(path)])
    assert r.exit_code == 2
    assert r.stderr.strip() == f"error: units: line {line}: capacity_kt must be a positive number"


def test_the_shipped_files_still_load_without_the_line_column():
    units = registry.load_units()
    events = registry.load_events(units)
    assert "_line" not in units.columns and "_line" not in events.columns
    assert units.height > 0 and events.height > 0
