"""Life data (수명 데이터) for reliability fits: failure times and right-censored times.

Read from the datasets that the ``reliability`` package ships (offline): the package's own
``__init__`` imports its whole plotting stack (matplotlib, seconds of start-up), so only its
``Datasets`` module is loaded, from the installed file, without running the package.
A user's own data comes as a CSV with ``time`` and ``failed`` (1 failure, 0 censored).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

import numpy as np
import polars as pl

from tiro.core.errors import InvalidInput, NotFound
from tiro.core.validation import finite_frame

RELIABILITY_SETS = ("automotive", "electronics", "mileage", "defective_sample", "mixture")
"""The ``reliability`` package's life datasets (failures and right-censored times)."""

DATASETS = tuple(f"reliability:{name}" for name in RELIABILITY_SETS)


@dataclass(frozen=True)
class LifeData:
    """Failure times and right-censored (survived) times, with where they came from."""

    name: str
    failures: np.ndarray
    censored: np.ndarray
    source: str


@cache
def _reliability_datasets() -> ModuleType:
    spec = importlib.util.find_spec("reliability")
    if spec is None or not spec.submodule_search_locations:
        raise NotFound("the 'reliability' package is not installed", field="dataset")
    path = Path(next(iter(spec.submodule_search_locations))) / "Datasets.py"
    loaded = importlib.util.spec_from_file_location("_tiro_reliability_datasets", path)
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    return module


def load(name: str) -> LifeData:
    """A named life dataset (``reliability:automotive``); an unknown name lists the known."""
    if name not in DATASETS:
        raise NotFound(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}", field="dataset")
    raw = getattr(_reliability_datasets(), name.split(":", 1)[1])()
    censored = getattr(raw, "right_censored", None)
    return LifeData(
        name=name,
        failures=np.asarray(raw.failures, dtype=float),
        censored=np.asarray([] if censored is None else censored, dtype=float),
        source=f"reliability.Datasets.{name.split(':', 1)[1]} (PyPI 'reliability', offline)",
    )


def from_frame(frame: pl.DataFrame, name: str = "user") -> LifeData:
    """Life data from a table with ``time`` (> 0) and ``failed`` (1 failure, 0 censored)."""
    for column in ("time", "failed"):
        if column not in frame.columns:
            raise InvalidInput(f"the life data has no {column!r} column", field=column)
    finite_frame(frame, ["time"])
    time = frame["time"].cast(pl.Float64, strict=False)
    failed = frame["failed"].cast(pl.Int64, strict=False)
    if time.null_count() or (time <= 0).any():
        raise InvalidInput("every time must be a number > 0", field="time")
    if failed.null_count() or not failed.is_in([0, 1]).all():
        raise InvalidInput("failed must be 1 (failure) or 0 (censored)", field="failed")
    mask = (failed == 1).to_numpy()
    t = time.to_numpy()
    return LifeData(name, t[mask], t[~mask], name)
