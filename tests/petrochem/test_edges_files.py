"""``tiro petrochem capacity`` fed odd files and output paths (T-BREAK review).

Found by trying them: a unit-events file naming one unit twice on one date (one row
``closed``, one ``operating``) was accepted and the unit's status on that day was whichever
row an unstable sort left last; refusals named lines of the *sorted* table, not the user's
file; ``--export`` at a directory ended as an unexpected error (exit 70) instead of a refusal
naming ``--export``; and ``--export`` wrote its CSV over any path at all, whatever its name
(the reviewer's sweep overwrote ``/etc/passwd`` on a root shell before this guard existed).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tiro.core.errors import InvalidInput
from tiro.petrochem import registry

HEADER = "unit,date,status,until,capacity_kt,precision,source_url,note\n"
EVENTS = registry.DATA_DIR / "unit_events.csv"


def _events(tmp_path: Path, extra: str) -> Path:
    body = "".join(line for line in EVENTS.read_text().splitlines(keepends=True)
                   if not line.startswith("#"))  # fmt: skip
    path = tmp_path / "events.csv"
    path.write_text(body + extra)
    return path


def test_one_unit_twice_on_one_date_is_refused(tmp_path):
    path = _events(tmp_path, "lg_yeosu_1,2026-06-01,closed,,,day,,\n"
                             "lg_yeosu_1,2026-06-01,operating,,,day,,\n")  # fmt: skip
    with pytest.raises(InvalidInput) as err:
        registry.load_events(registry.load_units(), path)
    assert err.value.field == "unit_events"
    assert "lg_yeosu_1" in str(err.value) and "2026-06-01" in str(err.value)


def test_a_refusal_names_the_line_of_the_users_file(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + "lg_yeosu_2,2021-06-24,operating,,,day,,\n"
                    "lg_yeosu_1,1991-01-01,melted,,,year,,\n")  # fmt: skip
    with pytest.raises(InvalidInput) as err:
        registry.load_events(registry.load_units(), path)
    assert str(err.value).startswith("line 3:"), err.value  # sorted, it came first (line 2)


def test_export_refuses_a_directory_and_a_non_csv_name_and_writes_a_csv(cli, tmp_path):
    r = cli(["petrochem", "capacity", "--export", str(tmp_path), "--json"])
    assert r.exit_code == 2 and r.stderr.startswith("error: --export:"), r.stderr
    victim = tmp_path / "passwd"
    victim.write_text("root:x:0:0\n")
    r = cli(["petrochem", "capacity", "--export", str(victim), "--json"])
    assert r.exit_code == 2 and r.stderr.startswith("error: --export:"), r.stderr
    assert victim.read_text() == "root:x:0:0\n"
    out = tmp_path / "status.csv"
    r = cli(["petrochem", "capacity", "--date", "2026-06-01", "--export", str(out), "--json"])
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["date"] == "2026-06-01"
    assert out.read_text().splitlines()[0].startswith("unit,name,company,complex,capacity_kt")
