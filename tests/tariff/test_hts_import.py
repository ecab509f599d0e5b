"""USITC HTS JSON export importer, on a small file in the real export's shape."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from tiro.core.errors import InvalidInput
from tiro.tariff.schedule.base_rates import base_rates
from tiro.tariff.schedule.usitc_json import HTS_TABLE_SCHEMA, import_usitc_json

# Rows as the hts.usitc.gov JSON export writes them (fields, string indents, superior
# rows with an empty htsno, statistical lines with empty rate cells, footnote objects).
# Rates are those of HTS 8703.23.01, 8704.21.01 and 2710.19.40.
_ROWS = [
    {"htsno": "8703", "indent": "0", "superior": None, "units": [],
     "description": "Motor cars and other motor vehicles principally designed for the "
     "transport of persons:", "general": "", "special": "", "other": "", "footnotes": []},
    {"htsno": "", "indent": "1", "superior": "true", "units": [],
     "description": "Other vehicles, with only spark-ignition internal combustion "
     "reciprocating piston engine:", "general": "", "special": "", "other": "",
     "footnotes": None},
    {"htsno": "8703.23.01", "indent": "2", "superior": None, "units": [],
     "description": "Of a cylinder capacity exceeding 1,500 cc but not exceeding 3,000 cc",
     "general": "2.5%", "special": "Free (A+,AU,B,BH,CL,CO,D,E,IL,JO,KR,MA,OM, P,PA,PE,S,SG)",
     "other": "10%", "footnotes": [{"columns": ["general"], "value": "See 9903.88.03. ",
                                     "type": "endnote"}],
     "quotaQuantity": None, "additionalDuties": None},
    {"htsno": "8703.23.01.90", "indent": "3", "superior": None, "units": ["No."],
     "description": "Other", "general": "", "special": "", "other": "", "footnotes": []},
    {"htsno": "8704.21.01.00", "indent": "2", "superior": None, "units": ["No."],
     "description": "G.V.W. not exceeding 5 metric tons", "general": "25%",
     "special": "Free (A+,AU,B,BH,CL,CO,D,E,IL,JO,MA,OM,P,PA,PE,S,SG)25% (KR)",
     "other": "25%", "footnotes": []},
    {"htsno": "2710.19.40.00", "indent": "4", "superior": None, "units": ["bbl", "kg"],
     "description": "Other", "general": "1.3¢/kg + 5.7%",
     "special": "Free (A,AU,BH,CL,CO,D,IL,JO,KR,MA,OM,P,PA,PE,R,S,SG)", "other": "3.3¢/kg + 25%",
     "footnotes": []},
]  # fmt: skip


@pytest.fixture
def export_file(tmp_path: Path) -> Path:
    path = tmp_path / "hts_export.json"
    path.write_text(json.dumps(_ROWS, ensure_ascii=False), encoding="utf-8")
    return path


def test_import_keeps_rate_lines_with_description_paths(export_file: Path) -> None:
    table = import_usitc_json(export_file)
    assert table.schema == pl.Schema(HTS_TABLE_SCHEMA)
    assert table["hts"].to_list() == ["87032301", "8704210100", "2710194000"]
    car = table.row(0, named=True)
    assert car["description"] == (
        "Motor cars and other motor vehicles principally designed for the transport of "
        "persons > Other vehicles, with only spark-ignition internal combustion reciprocating "
        "piston engine > Of a cylinder capacity exceeding 1,500 cc but not exceeding 3,000 cc"
    )
    assert car["general_rate_text"] == "2.5%"
    assert car["other_rate_text"] == "10%"
    assert car["footnotes"] == "See 9903.88.03."
    assert car["chapter"] == "87"
    assert table.row(2, named=True)["units"] == "bbl;kg"


def test_imported_table_prices_like_the_subset(export_file: Path) -> None:
    table = import_usitc_json(export_file)
    lines = pl.DataFrame(
        {
            "hts": ["8703230190", "8704210100", "2710194000"],
            "origin": ["KR", "KR", "JP"],
            "customs_value": [30_000.0, 40_000.0, 2_000.0],
            "quantity": [None, None, 1000.0],
        }
    )
    out = base_rates(lines, subset=table)
    # Free under KORUS; 25% kept for KR trucks; 0.057 + 0.013 * 1000 / 2000 = 0.0635.
    assert out["base_rate"].to_list() == pytest.approx([0.0, 0.25, 0.0635])


def test_bad_files_name_the_field(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as err:
        import_usitc_json(tmp_path / "missing.json")
    assert err.value.field == "file"
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        import_usitc_json(broken)
    assert err.value.field == "file"
    not_rows = tmp_path / "rows.json"
    not_rows.write_text(json.dumps([{"code": "8703"}]), encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        import_usitc_json(not_rows)
    assert err.value.field == "htsno"
    bad_indent = tmp_path / "indent.json"
    bad_indent.write_text(json.dumps([{"htsno": "8703", "indent": "x"}]), encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        import_usitc_json(bad_indent)
    assert err.value.field == "indent"
