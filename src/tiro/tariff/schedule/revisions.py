"""The shipped HTS schedule by revision (관세율표 개정판): a dated index and lazy tables.

Each revision in ``data/tariff/schedule/`` is a Parquet table of every 8- and 10-digit line of
chapters 1-97 (``schedule_build``) with a provenance YAML stating its revision, the date it
takes effect and where the copy was read. A quote on an entry date uses the latest shipped
revision in force on that date (``revision_for``); revisions the package does not ship are
listed in ``index.yaml`` under ``not_shipped`` with the reason (their chapter 1-97 lines equal
a shipped neighbour's). Before the first shipped revision the curated 2024 subset
(``hts_subset.csv``) still answers, so dates of 2024 keep pricing as before.

Tables are read only when a quote needs one: importing this module reads no file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import polars as pl

from tiro.core.errors import ParameterFileError
from tiro.core.yaml_strict import load_yaml
from tiro.tariff.measures.data import DATA_DIR
from tiro.tariff.schedule.base_rates import rate_lookup
from tiro.tariff.schedule.usitc_json import HTS_TABLE_SCHEMA

SCHEDULE_DIR = DATA_DIR / "schedule"


@dataclass(frozen=True)
class Revision:
    """One shipped revision: its id (``2026_rev_10``), title, first day in force and file."""

    id: str
    title: str
    effective_from: dt.date
    file: str


@lru_cache(maxsize=1)
def revisions() -> tuple[Revision, ...]:
    """The shipped revisions, oldest first (the dated index)."""
    index = load_yaml(SCHEDULE_DIR / "index.yaml") or {}
    found = []
    for entry in index.get("revisions") or []:
        provenance = load_yaml(SCHEDULE_DIR / f"hts_{entry}.provenance.yaml") or {}
        try:
            found.append(
                Revision(
                    id=str(entry),
                    title=str(provenance["title"]),
                    effective_from=dt.date.fromisoformat(str(provenance["effective_from"])),
                    file=str(provenance["file"]),
                )
            )
        except (KeyError, ValueError) as exc:
            raise ParameterFileError(
                f"schedule revision {entry}: bad provenance ({exc})", field="hts_schedule"
            ) from None
    found.sort(key=lambda r: r.effective_from)
    if len({r.effective_from for r in found}) != len(found):
        raise ParameterFileError("two schedule revisions start on one day", field="hts_schedule")
    return tuple(found)


@dataclass(frozen=True)
class LaterRevision:
    """A revision after the last shipped one that is known to exist but was not read: its id,
    first day in force (None when no source gave it), what a public source says it changed in
    chapters 1-97, and that source (``index.yaml`` ``later_revisions``)."""

    id: str
    effective_from: dt.date | None
    chapters_01_97: str
    source: str


@lru_cache(maxsize=1)
def later_revisions() -> tuple[LaterRevision, ...]:
    """The known, unshipped revisions after the last shipped one, in the index's order, so a
    caller can say which revision was really in force on a date and that tiro did not read it."""
    index = load_yaml(SCHEDULE_DIR / "index.yaml") or {}
    found = []
    for entry in index.get("later_revisions") or []:
        start = entry.get("effective_from")
        found.append(
            LaterRevision(
                id=str(entry["id"]),
                effective_from=None if start is None else dt.date.fromisoformat(str(start)),
                chapters_01_97=str(entry["chapters_01_97"]).strip(),
                source=str(entry["source"]),
            )
        )
    return tuple(found)


def unread_revision_for(date: dt.date) -> LaterRevision | None:
    """The latest known revision in force on ``date`` that tiro does not ship (None when, as far
    as the index knows, the shipped revision in force is the current one)."""
    dated = [r for r in later_revisions() if r.effective_from is not None]
    in_force = [r for r in dated if r.effective_from <= date]
    return in_force[-1] if in_force else None


def revision_index(dates: pl.Series) -> np.ndarray:
    """Per entry date, the position in ``revisions()`` of the revision in force (-1: before the
    first shipped revision, or no date)."""
    epoch = dt.date(1970, 1, 1)
    starts = np.array([(r.effective_from - epoch).days for r in revisions()], dtype=np.int32)
    days = dates.cast(pl.Date).to_physical().fill_null(np.iinfo(np.int32).min).to_numpy()
    found = np.full(len(days), -1, dtype=np.int64)
    for start in starts:  # a handful of revisions: one comparison pass each beats a search
        found += days >= start
    return found


def revision_for(date: dt.date) -> Revision | None:
    """The shipped revision in force on ``date`` (None before the first one)."""
    position = int(revision_index(pl.Series([date], dtype=pl.Date))[0])
    return None if position < 0 else revisions()[position]


@lru_cache(maxsize=16)  # one per shipped revision (six): 4 thrashed
def schedule_table(revision_id: str) -> pl.DataFrame:
    """Every line of one shipped revision (read on first use, then kept)."""
    by_id = {r.id: r for r in revisions()}
    if revision_id not in by_id:
        raise ParameterFileError(f"no shipped HTS revision {revision_id}", field="hts_schedule")
    return pl.read_parquet(SCHEDULE_DIR / by_id[revision_id].file)


def rate_table(revision_id: str) -> pl.DataFrame:
    """The revision's lines in the rate-table columns ``hts_rates.base_rates`` reads."""
    return schedule_table(revision_id).select(list(HTS_TABLE_SCHEMA))


@lru_cache(maxsize=16)  # one per shipped revision (six): 4 thrashed
def revision_lookup(revision_id: str) -> pl.DataFrame:
    """The revision's longest-prefix rate lookup (built once per revision and process)."""
    return rate_lookup(rate_table(revision_id))


@dataclass(frozen=True)
class RateSource:
    """A shipped revision as the code book reads it (its lookup built on first use)."""

    revision_id: str

    def lookup(self) -> pl.DataFrame:
        """The revision's rate lookup."""
        return revision_lookup(self.revision_id)
