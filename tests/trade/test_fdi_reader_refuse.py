"""Issue 9 items 1, 2, 17 for the FDI reader: a user's CSV is refused cleanly, naming the file
line (header = line 1, comment lines counted) and the cell as written."""

from __future__ import annotations

import pytest

from tiro.core.errors import InvalidInput
from tiro.trade.fdi import load_fdi

HEADER = "period,period_type,basis,dimension,category,value_usd_bn,growth_reported\n"
GOOD = "2024,year,notified,total,total,34.57,\n"


def _refusal(tmp_path, text: str) -> InvalidInput:
    path = tmp_path / "fdi.csv"
    path.write_text(text)
    with pytest.raises(InvalidInput) as err:
        load_fdi(path)
    return err.value


@pytest.mark.parametrize("cell", ["nan", "inf", "-inf", "1e400", "1e19"])
def test_non_finite_values_are_refused_with_line_and_text(tmp_path, cell):
    err = _refusal(tmp_path, HEADER + GOOD + f"2025,year,notified,total,total,{cell},\n")
    assert err.field == "value_usd_bn"
    assert err.message.startswith(f"line 3: {cell!r}")


def test_comment_lines_count_as_file_lines_and_raw_text_is_kept(tmp_path):
    err = _refusal(
        tmp_path, "# note\n" + HEADER + GOOD + '2025,year,notified,total,total,"1,000",\n'
    )
    assert err.message == "line 4: '1,000' cannot be read as a number"


def test_growth_nan_is_refused(tmp_path):
    err = _refusal(tmp_path, HEADER + "2025,year,notified,total,total,36.05,nan\n")
    assert err.field == "growth_reported" and err.message.startswith("line 2:")


def test_missing_directory_and_empty_files(tmp_path):
    with pytest.raises(InvalidInput) as missing:
        load_fdi(tmp_path / "nope.csv")
    assert missing.value.field == "input"
    with pytest.raises(InvalidInput) as folder:
        load_fdi(tmp_path)
    assert "directory" in folder.value.message
    assert "empty" in _refusal(tmp_path, "").message


def test_cli_fdi_input_missing_path_is_one_line(cli, tmp_path):
    result = cli(["trade", "fdi", "--input", str(tmp_path / "nope.csv")])
    assert result.exit_code == InvalidInput.exit_code
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: input: no such file")
