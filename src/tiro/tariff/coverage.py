"""Which origins the measure data models completely (적용 범위), read from ``coverage.yaml``.

tiro loads every Chapter 99 programme that touches Korean goods, and for other origins only
the records that apply to every origin. A quote for another origin is therefore a floor: it
lists the programmes that are not modelled for that origin and marks its total incomplete
(issue 9 item 22) — never a confident wrong total.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import polars as pl

from tiro.core.yaml_strict import load_yaml
from tiro.tariff.measure_data import DATA_DIR


@lru_cache(maxsize=1)
def _coverage() -> dict[str, Any]:
    return load_yaml(DATA_DIR / "coverage.yaml") or {}


def modelled_origins() -> tuple[str, ...]:
    """Origins whose country programmes are all loaded (Korea)."""
    return tuple(_coverage().get("modelled_origins") or ())


def not_modelled(origin: str) -> list[dict[str, str]]:
    """Programmes that apply to goods of ``origin`` but are not in the data (empty for Korea)."""
    if origin in modelled_origins():
        return []
    spec = _coverage().get("not_modelled") or {}
    entries = [*(spec.get("by_origin") or {}).get(origin, []), *spec.get("every_other_origin", [])]
    return [
        {"program": e["program"], "label_ko": e["label"]["ko"], "label_en": e["label"]["en"]}
        for e in entries
    ]


def not_modelled_column(origin: pl.Series) -> pl.Series:
    """Per line, the programmes not modelled for its origin (``;``-joined, '' when complete);
    worked out once per distinct origin, so a batch pays a dictionary lookup per line."""
    text = origin.cast(pl.Utf8)
    distinct = text.drop_nulls().unique().to_list()
    lookup = {o: ";".join(e["program"] for e in not_modelled(o)) for o in distinct}
    return text.replace_strict(lookup, default="", return_dtype=pl.Utf8).alias("not_modelled")
