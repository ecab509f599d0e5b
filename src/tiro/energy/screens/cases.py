"""The inspection register's rules (점검 사건): case types, the workflow and the counts.

A case is opened from a screen flag or by hand, then inspected, then sanctioned (a violation
found, 적발) or cleared. These are the pure rules over a Polars table of cases — the
transition check, opening cases from flags, and counts by type as of a date in the form the
report gives ("범부처 합동점검단 (5.25 기준) 총 137건 적발"). Persistence in SQL with audit
rows is not built yet (see docs/energy-stations.md).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from tiro.core.errors import Conflict, InvalidInput, NotFound

CASE_TYPES = ("fake_fuel", "collusion", "hoarding", "price_display")
STATES = ("opened", "inspected", "sanctioned", "cleared")
#: Allowed next states: opened → inspected → sanctioned | cleared (both final).
NEXT: dict[str, tuple[str, ...]] = {
    "opened": ("inspected",),
    "inspected": ("sanctioned", "cleared"),
    "sanctioned": (),
    "cleared": (),
}
#: Which case type a screen's flag opens.
SCREEN_CASE_TYPE = {
    "collusion_variance": "collusion",
    "hoarding": "hoarding",
    "fake_fuel": "fake_fuel",
}
CASE_SCHEMA = pl.Schema(
    {
        "case_id": pl.Utf8,
        "station_id": pl.Utf8,
        "case_type": pl.Utf8,
        "state": pl.Utf8,
        "opened_on": pl.Date,
        "updated_on": pl.Date,
        "origin": pl.Utf8,
        "reason": pl.Utf8,
    }
)


def open_from_flags(flags: pl.DataFrame, *, on: dt.date, prefix: str = "C") -> pl.DataFrame:
    """One opened case per flagged station and screen (products and months merged)."""
    unknown = set(flags["screen"].unique()) - set(SCREEN_CASE_TYPE)
    if unknown:
        raise InvalidInput(f"no case type for screen {sorted(unknown)[0]!r}", field="screen")
    first = flags.group_by(["screen", "station_id"], maintain_order=True).agg(
        pl.col("reason").first()
    )
    first = first.sort(["screen", "station_id"])
    return pl.DataFrame(
        {
            "case_id": [f"{prefix}{i + 1:05d}" for i in range(first.height)],
            "station_id": first["station_id"],
            "case_type": first["screen"].replace_strict(SCREEN_CASE_TYPE),
            "state": "opened",
            "opened_on": on,
            "updated_on": on,
            "origin": "screen:" + first["screen"],
            "reason": first["reason"],
        },
        schema=CASE_SCHEMA,
    )


def advance(cases: pl.DataFrame, case_id: str, to: str, *, on: dt.date) -> pl.DataFrame:
    """The register with one case moved to ``to`` on ``on``; a wrong step is a Conflict."""
    if to not in STATES:
        raise InvalidInput(f"unknown state {to!r}; known: {', '.join(STATES)}", field="state")
    row = cases.filter(pl.col("case_id") == case_id)
    if row.height == 0:
        raise NotFound(f"no case {case_id!r}", field="case_id")
    state, last = row["state"][0], row["updated_on"][0]
    if to not in NEXT[state]:
        allowed = " or ".join(NEXT[state]) or "nothing (final)"
        raise Conflict(f"case {case_id} is {state}; it can move to {allowed}", field="state")
    if on < last:
        raise InvalidInput(f"{on} is before the case's last step on {last}", field="on")
    hit = pl.col("case_id") == case_id
    return cases.with_columns(
        state=pl.when(hit).then(pl.lit(to)).otherwise(pl.col("state")),
        updated_on=pl.when(hit).then(pl.lit(on)).otherwise(pl.col("updated_on")),
    )


def counts_as_of(cases: pl.DataFrame, as_of: dt.date) -> dict[str, object]:
    """Cases opened and violations found (sanctioned) by ``as_of``, by type.

    A case's current state is taken as of its ``updated_on``; a case sanctioned after
    ``as_of`` counts as open on that day, not as found.
    """
    opened = cases.filter(pl.col("opened_on") <= as_of)
    found = opened.filter((pl.col("state") == "sanctioned") & (pl.col("updated_on") <= as_of))
    by_type = {t: 0 for t in CASE_TYPES}
    for t, n in found.group_by("case_type").len().iter_rows():
        by_type[t] = n
    return {"as_of": as_of.isoformat(), "opened": opened.height, "found": found.height,
            "found_by_type": by_type}  # fmt: skip
