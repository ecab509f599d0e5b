"""Which origins the measure data models completely (적용 범위), read from ``coverage.yaml``.

tiro loads every Chapter 99 programme that touches Korean goods; for Korea's competitors (Japan,
the EU, China/Hong Kong, Canada, Mexico) their own IEEPA and deal records; for any other origin
only the records that apply to every origin. A quote for an origin other than Korea is therefore
a floor: it lists the programmes that are not modelled for that origin and marks its total
incomplete (issue 9 item 22) — never a confident wrong total.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import polars as pl

from tiro.core.yaml_strict import load_yaml
from tiro.tariff.measures.data import DATA_DIR


@lru_cache(maxsize=1)
def _coverage() -> dict[str, Any]:
    return load_yaml(DATA_DIR / "coverage.yaml") or {}


def modelled_origins() -> tuple[str, ...]:
    """Origins whose country programmes are all loaded (Korea)."""
    return tuple(_coverage().get("modelled_origins") or ())


def _excepted(entry: dict[str, Any]) -> set[str]:
    """Origins an ``every_other_origin`` entry leaves out because their own records are loaded
    (a YAML alias may nest a list, e.g. the 27 EU member states)."""
    out: set[str] = set()
    for item in entry.get("except") or []:
        out.update(item if isinstance(item, list) else [item])
    return out


def not_modelled(origin: str) -> list[dict[str, str]]:
    """Programmes that apply to goods of ``origin`` but are not in the data (empty for Korea)."""
    if origin in modelled_origins():
        return []
    spec = _coverage().get("not_modelled") or {}
    general = [e for e in spec.get("every_other_origin", []) if origin not in _excepted(e)]
    entries = [*(spec.get("by_origin") or {}).get(origin, []), *general]
    return [
        {"program": e["program"], "label_ko": e["label"]["ko"], "label_en": e["label"]["en"]}
        for e in entries
    ]


@lru_cache(maxsize=4)
def _codes_by_category(categories: tuple[str, ...]) -> tuple[np.ndarray, tuple[str, ...]]:
    """For an origin Enum's categories: the index of each category's not-modelled text, and
    the distinct texts ('' first: Korea)."""
    texts = [";".join(e["program"] for e in not_modelled(c)) for c in categories]
    values = tuple(sorted(set(texts) | {""}))
    position = {v: i for i, v in enumerate(values)}
    return np.array([position[x] for x in texts], dtype=np.uint32), values


def not_modelled_column(origin: pl.Series) -> pl.Series:
    """Per line, the programmes not modelled for its origin (``;``-joined, '' when complete).

    Worked out once per origin category and reaching the lines by an integer gather into an
    Enum column, so a ten-million-line batch pays no string work per line."""
    if not isinstance(origin.dtype, pl.Enum):
        text = origin.cast(pl.Utf8)
        lookup = {o: ";".join(e["program"] for e in not_modelled(o)) for o in text.unique()}
        return text.replace_strict(lookup, default="", return_dtype=pl.Utf8).alias("not_modelled")
    index, values = _codes_by_category(tuple(origin.dtype.categories.to_list()))
    physical = origin.to_physical()
    codes = pl.Series(index[physical.fill_null(0).to_numpy()])
    if physical.null_count():
        codes = codes.set(physical.is_null(), None)
    return pl.Series("not_modelled", values, dtype=pl.Enum(list(values))).gather(codes)
