"""What the schedule calls a code, and which schedule that is (품명·개정판), for a quote.

The description comes from the rate table the line was priced with: the shipped HTS revision
in force on the entry date (``schedule.py``: every 8- and 10-digit line has its own path), else
the shipped subset (and,
for a 10-digit statistical suffix, its own text from ``hts_statistical.csv``, so
8507.60.00.10 reads "... primary source of electrical power for electrically powered
vehicles ...") or the user's ``hts_table``. The revision is the one its provenance states.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import polars as pl

from tiro.core.yaml_strict import load_yaml
from tiro.tariff.measures.data import DATA_DIR
from tiro.tariff.schedule.base_rates import load_hts_subset
from tiro.tariff.schedule.revisions import revision_for, schedule_table

USER_TABLE = "the rate table given with hts_table (its own revision)"


@lru_cache(maxsize=1)
def shipped_revision() -> str:
    """First sentence of the shipped subset's stated revision, with its publisher."""
    provenance = load_yaml(DATA_DIR / "hts_subset.provenance.yaml") or {}
    text = " ".join(str(provenance.get("source", {}).get("revision", "")).split())
    first = text.split(". ")[0].rstrip(".")
    return f"USITC HTS, {first} (shipped subset)" if first else "USITC HTS (shipped subset)"


@lru_cache(maxsize=1)
def _statistical() -> dict[str, str]:
    table = pl.read_csv(DATA_DIR / "hts_statistical.csv", infer_schema=False)
    return dict(zip(table["hts"], table["path"], strict=True))


@lru_cache(maxsize=1)
def _subset_descriptions() -> dict[str, str]:
    subset = load_hts_subset()
    return dict(zip(subset["hts"], subset["description"], strict=True))


@lru_cache(maxsize=16)  # one per shipped revision (six): 4 thrashed
def _revision_descriptions(revision_id: str) -> dict[str, str]:
    table = schedule_table(revision_id)
    return dict(zip(table["hts"], table["description"], strict=True))


def describe_code(
    hts: str,
    matched: str | None,
    hts_table: pl.DataFrame | None = None,
    entry_date: dt.date | None = None,
) -> tuple[str | None, str]:
    """(description path of ``hts``, schedule revision) for a priced line whose rate line is
    ``matched`` (digits), entered on ``entry_date``."""
    digits = "".join(ch for ch in str(hts) if ch.isdigit())
    if hts_table is not None:
        found = hts_table.filter(pl.col("hts") == matched)["description"] if matched else None
        return (found[0] if found is not None and found.len() else None), USER_TABLE
    revision = None if entry_date is None else revision_for(entry_date)
    if revision is not None:
        lines = _revision_descriptions(revision.id)
        described = lines.get(digits) or (lines.get(matched) if matched else None)
        return described, (
            f"USITC {revision.title} (in force from {revision.effective_from.isoformat()})"
        )
    own = _statistical().get(digits) if len(digits) == 10 else None
    described = own or (_subset_descriptions().get(matched) if matched else None)
    return described, shipped_revision()
