"""Which origins the measure data models completely (적용 범위), read from ``coverage.yaml``.

tiro loads every Chapter 99 programme that touches Korean goods; for Korea's competitors (Japan,
the EU, China/Hong Kong, Canada, Mexico) their own IEEPA and deal records; for any other origin
only the records that apply to every origin. A quote for an origin other than Korea is therefore
a floor: it lists the programmes that are not modelled for that origin and marks its total
incomplete (issue 9 item 22) — never a confident wrong total.

An entry may carry ``valid_from`` / ``valid_to`` (``[from, to)``, the measures' convention): a
programme that ended (the 2018 steel quotas on 2025-03-12, IEEPA on 2026-02-24) or had not begun
(the forced-labour duty before 2026-07-24) leaves a quote on that date complete. Without a date,
every entry counts: a floor is never claimed complete by omission.

An entry may carry an ``hts`` scope (issue 11, T-SCOPE): it then counts only for the codes the
scope covers — Japan's certified automobile parts do not make a Japanese steel plate incomplete.
The scope reads as a measure record's (``include`` / ``exclude`` prefixes, ``'*'`` = every code),
may borrow a shipped record's lists by id (``measure``: that record's include and exclude;
``exclude_measures``: those records' includes left out) so the lists are written once, and is
matched by the engine's own ``scope_pairs``: an 8-digit code under a 10-digit scope line counts
(its suffix might be in scope), a code without digits counts. Records are read from the
baseline measure set: which programmes the data lacks does not change with a scenario.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import numpy as np
import polars as pl

from tiro.core.errors import ParameterFileError
from tiro.core.yaml_strict import load_yaml
from tiro.tariff.measures.data import DATA_DIR, hts_digits, read_baseline
from tiro.tariff.measures.tables import MeasureTables


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


def _in_force(entry: dict[str, Any], on: dt.date | None) -> bool:
    if on is None:
        return True
    start, end = entry.get("valid_from"), entry.get("valid_to")
    return (start is None or start <= on) and (end is None or on < end)


def _entries() -> list[dict[str, Any]]:
    spec = _coverage().get("not_modelled") or {}
    entries = [*spec.get("every_other_origin", [])]
    for listed in (spec.get("by_origin") or {}).values():
        entries.extend(listed)
    return entries


@lru_cache(maxsize=1)
def _scopes() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Per programme with an ``hts`` scope: its (include, exclude) digit prefixes. One programme
    has one scope wherever it is listed (a YAML alias shares it among the EU members)."""
    records = None
    out: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for e in _entries():
        hts = e.get("hts")
        if hts is None:
            continue
        if records is None:
            records = read_baseline().by_id()
        where = f"coverage.yaml: {e['program']}: hts"
        include = [hts_digits(c) for c in hts.get("include") or []]
        exclude = [hts_digits(c) for c in hts.get("exclude") or []]
        named = hts.get("measure") or []
        for rid in [named] if isinstance(named, str) else named:
            if rid not in records:
                raise ParameterFileError(f"{where}: no measure record {rid!r}", field="hts")
            include += records[rid].hts_include
            exclude += records[rid].hts_exclude
        for rid in hts.get("exclude_measures") or []:
            if rid not in records:
                raise ParameterFileError(f"{where}: no measure record {rid!r}", field="hts")
            exclude += records[rid].hts_include
        if not include:
            raise ParameterFileError(f"{where}: the scope includes no code", field="hts")
        scope = (tuple(sorted(set(include))), tuple(sorted(set(exclude))))
        if out.setdefault(e["program"], scope) != scope:
            raise ParameterFileError(f"{where}: two different scopes", field="hts")
    return out


@lru_cache(maxsize=1)
def _scope_tables() -> MeasureTables:
    """The scoped programmes as the engine's scope rows (``mid``: position in ``_scopes``)."""
    rows = [
        {"mid": i, "prefix": p, "plen": len(p), "exclude": excl}
        for i, (inc, exc) in enumerate(_scopes().values())
        for excl, prefixes in ((False, inc), (True, exc))
        for p in prefixes
    ]
    scope = pl.DataFrame(
        rows, schema={"mid": pl.Int32, "prefix": pl.Utf8, "plen": pl.Int32, "exclude": pl.Boolean}
    )
    return MeasureTables(pl.DataFrame(), scope, pl.DataFrame(), (), (), (), dt.date.min)


def _scope_bits(digits: pl.Series) -> np.ndarray:
    """Per code (digits, no dots): a bit per scoped programme (in ``_scopes`` order) whose scope
    covers it, by the engine's ``scope_pairs`` (partial matches count); a null code has them all.
    """
    from tiro.tariff.pricing.codes import scope_pairs

    if not _scopes():
        return np.zeros(len(digits), dtype=np.uint64)
    every = np.uint64((1 << len(_scopes())) - 1)
    frame = pl.DataFrame({"hts_digits": digits.cast(pl.Utf8)})
    pairs = scope_pairs(frame.drop_nulls().unique(), _scope_tables())
    bits = pairs.group_by("hts_digits").agg(
        pl.lit(2, dtype=pl.UInt64).pow(pl.col("mid").cast(pl.UInt32)).sum().alias("bits")
    )
    got = frame.join(bits, on="hts_digits", how="left", maintain_order="left")["bits"]
    out = got.fill_null(0).cast(pl.UInt64).to_numpy().copy()
    out[frame["hts_digits"].is_null().to_numpy()] = every
    return out


@lru_cache(maxsize=4096)
def _code_bits(code: str) -> int:
    """``_scope_bits`` of one code as the engine reads it (dots and blanks dropped)."""
    return int(_scope_bits(pl.Series([code]).str.replace_all(r"[.\s]", ""))[0])


def not_modelled(
    origin: str, on: dt.date | None = None, hts: str | None = None
) -> list[dict[str, str]]:
    """Programmes that apply to goods of ``origin`` on the entry date ``on`` (every date when
    None) under the HTS code ``hts`` (every code when None: an entry's ``hts`` scope is then not
    applied) but are not in the data (empty for Korea)."""
    return _listed(origin, on, None if hts is None else _code_bits(hts))


def _listed(origin: str, on: dt.date | None, bits: int | None) -> list[dict[str, str]]:
    if origin in modelled_origins():
        return []
    spec = _coverage().get("not_modelled") or {}
    general = [e for e in spec.get("every_other_origin", []) if origin not in _excepted(e)]
    entries = [*(spec.get("by_origin") or {}).get(origin, []), *general]
    order = list(_scopes())
    return [
        {"program": e["program"], "label_ko": e["label"]["ko"], "label_en": e["label"]["en"]}
        for e in entries
        if _in_force(e, on)
        and (bits is None or e.get("hts") is None or bits >> order.index(e["program"]) & 1)
    ]


@lru_cache(maxsize=1)
def _boundaries() -> tuple[dt.date, ...]:
    """Every date on which some entry starts or ends: between two of them the answer is fixed."""
    dates = {e[k] for e in _entries() for k in ("valid_from", "valid_to") if e.get(k) is not None}
    return tuple(sorted(dates))


@lru_cache(maxsize=4)
def _codes_by_category(categories: tuple[str, ...]) -> tuple[np.ndarray, tuple[str, ...]]:
    """For an origin Enum's categories x the periods between two boundaries (0..B) and, last,
    whatever the date x every value of the scope bits (the last: every scope counts): the index
    of the not-modelled text; and the distinct texts ('' first). Every bit value is worked out,
    not only those a chunk meets, so the texts (the output Enum) are the same for every chunk of
    a batch."""
    days: list[dt.date | None] = [dt.date.min, *_boundaries(), None]
    masks = range(1 << len(_scopes()))
    texts = [
        ";".join(e["program"] for e in _listed(c, on, m))
        for c in categories
        for on in days
        for m in masks
    ]
    values = tuple(sorted(set(texts) | {""}))
    position = {v: i for i, v in enumerate(values)}
    table = np.array([position[x] for x in texts], dtype=np.uint32)
    return table.reshape(len(categories), len(days), len(masks)), values


def _periods(entry_date: pl.Series | None, n: int) -> np.ndarray:
    """Per line, the column of ``_codes_by_category``: the period its entry date falls in (0
    before the first boundary), or the last column when there are no dates."""
    if entry_date is None:
        return np.full(n, len(_boundaries()) + 1, dtype=np.int64)
    bounds = pl.Series(_boundaries(), dtype=pl.Date)
    days = entry_date.cast(pl.Date).fill_null(dt.date.min)
    return bounds.search_sorted(days, side="right").cast(pl.Int64).to_numpy()


def _slots(hts: pl.Series) -> np.ndarray:
    """Per line, the scope bits of its code, matched once per distinct code. A categorical
    column (the batch's typed read) is matched on its dictionary and reached by its codes, so no
    line's text is touched; a text column is matched on its distinct values and joined back."""
    categories = getattr(hts.dtype, "categories", None)
    if categories is not None:
        listed = categories if isinstance(categories, pl.Series) else categories.to_series()
    if categories is not None and len(listed) <= 4 * len(hts) + 1024:
        distinct = listed.cast(pl.Utf8)
        bits = _scope_bits(distinct.str.replace_all(r"[.\s]", "")).astype(np.int64)
        every = (1 << len(_scopes())) - 1  # a line without a code: every scope counts
        physical = hts.to_physical()
        index = physical.fill_null(0).to_numpy().astype(np.int64)
        slot = bits[index] if len(bits) else np.full(len(hts), every, dtype=np.int64)
        if physical.null_count():
            slot[physical.is_null().to_numpy()] = every
        return slot
    text = hts.cast(pl.Utf8)
    distinct = text.unique()
    bits = _scope_bits(distinct.str.replace_all(r"[.\s]", "")).astype(np.int64)
    index = text.to_frame("t").join(
        pl.DataFrame({"t": distinct, "i": np.arange(len(distinct))}),
        on="t",
        how="left",
        nulls_equal=True,
        maintain_order="left",
    )["i"]
    return bits[index.to_numpy()]


def not_modelled_column(
    origin: pl.Series, entry_date: pl.Series | None = None, hts: pl.Series | None = None
) -> pl.Series:
    """Per line, the programmes not modelled for its origin on its entry date under its HTS code
    (``;``-joined, '' when complete; every entry counts when no dates are given, every scope when
    no codes are given) — what ``not_modelled(origin, on, hts)`` says for that line.

    Worked out once per (origin category, period between coverage dates, scope bits of the
    distinct codes) and reaching the lines by an integer gather into an Enum column, so a
    ten-million-line batch pays no string work per line: the codes are matched once per
    distinct code."""
    text_in = not isinstance(origin.dtype, pl.Enum)
    if text_in:
        origin = origin.cast(pl.Utf8)
        origin = origin.cast(pl.Enum(sorted(origin.drop_nulls().unique().to_list())))
    slot = np.full(len(origin), (1 << len(_scopes())) - 1, dtype=np.int64)  # every scope
    if hts is not None and _scopes():
        slot = _slots(hts)
    table, values = _codes_by_category(tuple(origin.dtype.categories.to_list()))
    physical = origin.to_physical()
    if not table.shape[0] or not len(origin):  # no origin known: every line is null
        codes = pl.Series([None] * len(origin), dtype=pl.UInt32)
    else:
        rows = physical.fill_null(0).to_numpy().astype(np.int64)
        codes = pl.Series(table[rows, _periods(entry_date, len(origin)), slot])
        if physical.null_count():
            codes = codes.set(physical.is_null(), None)
    out = pl.Series("not_modelled", values, dtype=pl.Enum(list(values))).gather(codes)
    return out.cast(pl.Utf8) if text_in else out
