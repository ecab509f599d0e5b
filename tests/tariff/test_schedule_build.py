"""The schedule builder on a small export in the USITC shape (rows as hts.usitc.gov exports)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import polars as pl
import pytest

from tiro.core.errors import InvalidInput
from tiro.tariff.schedule.build import build, schedule_rows

ROWS = [
    {"htsno": "7326", "indent": "0", "description": "Other articles of iron or steel:"},
    {"htsno": "", "indent": "1", "description": "Other:", "superior": "true"},
    {
        "htsno": "7326.90.86",
        "indent": "2",
        "description": "Other",
        "units": [],
        "general": "2.9%",
        "special": "Free (A,AU,KR)",
        "other": "45%",
        "footnotes": [{"columns": ["general"], "value": "See 9903.88.03. ", "type": "endnote"}],
    },
    {"htsno": "7326.90.86.05", "indent": "3", "description": "Rods", "units": ["kg"]},
    {"htsno": "7326.90.86.88", "indent": "3", "description": "Other", "units": ["kg"]},
    {"htsno": "9903.88.03", "indent": "1", "description": "Section 301", "general": "+25%"},
]


def test_every_line_with_its_own_or_inherited_rate() -> None:
    table = schedule_rows(ROWS)
    assert table["hts"].to_list() == ["73269086", "7326908605", "7326908688"]  # no ch. 99
    rods = table.row(1, named=True)
    assert (rods["general_rate_text"], rods["special_rate_text"], rods["other_rate_text"]) == (
        "2.9%",
        "Free (A,AU,KR)",
        "45%",
    )
    assert (rods["rate_hts"], rods["units"], rods["footnotes"]) == ("73269086", "kg", "")
    assert rods["description"] == "Other articles of iron or steel > Other > Other > Rods"
    assert table.row(0, named=True)["footnotes"] == "See 9903.88.03."


def test_build_writes_zstd_parquet_from_a_gzip_export(tmp_path: Path) -> None:
    export = tmp_path / "hts.json.gz"
    export.write_bytes(gzip.compress(json.dumps(ROWS).encode()))
    out = tmp_path / "hts.parquet"
    build(export, out)
    assert pl.read_parquet(out).height == 3


def test_a_row_without_htsno_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        schedule_rows([{"indent": "0"}])
    assert err.value.field == "htsno"
