"""The core finite-number guard: every boundary's numbers pass through tiro.core.validation."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import Field, ValidationError

from tiro.cli.output import to_json
from tiro.core.errors import InvalidInput
from tiro.core.validation import (
    MAX_MAGNITUDE,
    FiniteFloat,
    InputModel,
    finite,
    finite_frame,
    finite_tree,
    json_safe,
)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_finite_accepts_exactly_the_finite_plausible_floats(value: float) -> None:
    ok = math.isfinite(value) and abs(value) <= MAX_MAGNITUDE
    if ok:
        assert finite(value, "x") == value
    else:
        with pytest.raises(InvalidInput) as info:
            finite(value, "x")
        assert info.value.field == "x"


def test_finite_tree_names_the_nested_field() -> None:
    with pytest.raises(InvalidInput) as info:
        finite_tree({"a": [{"b": 1.0}, {"b": float("inf")}]})
    assert info.value.field == "a[1].b"
    assert finite_tree({"a": [1, True, "x"]}) == {"a": [1, True, "x"]}


def test_finite_frame_names_column_and_file_line() -> None:
    frame = pl.DataFrame({"code": ["a", "b", "c"], "value": [1.0, 2.0, float("nan")]})
    with pytest.raises(InvalidInput) as info:
        finite_frame(frame)
    # header = line 1, so the third data row is line 4
    assert info.value.field == "value"
    assert "line 4" in info.value.message
    with pytest.raises(InvalidInput, match="line 2"):
        finite_frame(pl.DataFrame({"v": [1e19]}))


def test_finite_float_keeps_the_fields_own_bounds() -> None:
    """A field's ge=0 must not be replaced by the magnitude bound (found in review)."""

    class Body(InputModel):
        x: FiniteFloat = Field(..., ge=0)
        share: FiniteFloat | None = Field(None, ge=0, le=1)

    for bad in (
        {"x": -5},
        {"x": float("nan")},
        {"x": 1e19},
        {"x": 1, "share": 2},
        {"x": 1, "y": 1},
    ):
        with pytest.raises(ValidationError):
            Body(**bad)
    assert Body(x=3, share=0.5).x == 3


def test_json_output_is_always_rfc_8259() -> None:
    text = to_json({"a": float("nan"), "b": [float("inf"), 1.5]})
    assert json.loads(text) == {"a": None, "b": [None, 1.5]}
    assert "NaN" not in text and "Infinity" not in text
    assert json_safe((1.0, float("-inf"))) == [1.0, None]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e19"])
def test_every_numeric_cli_option_refuses_non_finite(value: str) -> None:
    """Checked by walking the command tree, so a lazily loaded sub-app is covered too."""
    args = ["--primary-net-imports-kt", value, "--product-net-imports-kt", "1"]
    args += ["--crude-stocks-kt", "1", "--product-stocks-kt", "1", "--json"]
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from tiro.cli.main import main; main()",
            "energy",
            "stock-days",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "--primary-net-imports-kt" in lines[0]
