"""Mock twins: the real schema, none of the real rows or labels, the same for a seed."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tiro.core.errors import InvalidInput
from tiro.manufacturing.library.mock import mock_twin
from tiro.manufacturing.quality import datasets


def shared_rows(mock: pl.DataFrame, real: pl.DataFrame) -> int:
    return mock.join(real.unique(), on=real.columns, how="semi", nulls_equal=True).height


@pytest.mark.parametrize("name", datasets.DATASETS)
def test_every_shipped_dataset_gets_a_schema_true_twin_with_no_real_row(name):
    real = datasets.load(name)
    mock = mock_twin(real, rows=200, seed=5)
    assert mock.schema == real.schema
    assert mock.height == 200
    assert shared_rows(mock, real) == 0


def test_labels_are_synthetic_unless_public_and_numbers_keep_only_their_magnitude():
    real = datasets.load("rpart:solder")
    mock = mock_twin(real, rows=500, seed=1)
    # Mask has 5 real labels (A1.5, A3, A6, B3, B6): 5 synthetic ones, none real
    assert sorted(mock["Mask"].unique()) == ["Mask_1", "Mask_2", "Mask_3", "Mask_4", "Mask_5"]
    assert not set(mock["Opening"]) & set(real["Opening"])
    # skips: real 0..48 → order of magnitude 10^ceil(log10(49)) = 100: drawn from 0..100
    assert mock["skips"].min() >= 0 and mock["skips"].max() <= 100
    assert mock["skips"].max() > real["skips"].max()  # wider than the real range
    public = mock_twin(real, rows=500, seed=1, public_categories=["Mask"])
    assert sorted(public["Mask"].unique()) == sorted(real["Mask"].unique())
    assert shared_rows(public, real) == 0


def test_signs_flags_nulls_and_dates():
    real = pl.DataFrame(
        {
            "delta": [-3.5, 0.2, 7.0, None],
            "failed": [0, 1, 1, 0],
            "ok": [True, False, True, True],
            "day": [dt.date(2024, 1, 1)] * 4,
        }
    )
    mock = mock_twin(real, rows=400, seed=2)
    assert mock.schema == real.schema
    # |x| max 7.0 → 10^ceil(log10(8)) = 10; a negative real value → range [-10, 10]
    assert mock["delta"].min() < 0 < mock["delta"].max()
    assert mock["delta"].min() >= -10 and mock["delta"].max() <= 10
    assert set(mock["failed"]) == {0, 1}
    assert 0 < mock["delta"].null_count() < 80  # about 10% of 400
    assert mock["failed"].null_count() == 0
    assert mock["day"].min() >= dt.date(2000, 1, 1)
    assert mock["day"].max() < dt.date(2000, 1, 1) + dt.timedelta(days=20 * 365)
    assert shared_rows(mock, real) == 0


def test_deterministic_for_a_seed_and_different_across_seeds():
    real = datasets.load("nlme:Wafer")
    assert mock_twin(real, seed=9).equals(mock_twin(real, seed=9))
    assert not mock_twin(real, seed=9).equals(mock_twin(real, seed=10))


def test_a_tiny_all_public_table_is_still_never_copied():
    """Every combination exists in the real table, so draws collide and are replaced."""
    real = pl.DataFrame({"a": ["x", "x", "y", "y"], "b": ["p", "q", "p", "q"]})
    mock = mock_twin(real, rows=30, seed=0, public_categories=["a", "b"])
    assert shared_rows(mock, real) == 0
    assert mock.schema == real.schema


@pytest.mark.parametrize(
    ("kwargs", "field"), [({"rows": 0}, "rows"), ({"rows": 10_001}, "rows"),
                          ({"rows": True}, "rows"), ({"public_categories": ["x"]},
                                                     "public_categories")],
)  # fmt: skip
def test_bad_arguments_name_the_field(kwargs, field):
    with pytest.raises(InvalidInput) as err:
        mock_twin(pl.DataFrame({"a": [1]}), **kwargs)
    assert err.value.field == field
