"""The alert path over time and the replay of the 2026 decisions against the rules.

``recommended_path`` runs the rules over a series of observations with hysteresis: escalation
is immediate, de-escalation waits until the lower recommendation has lasted
``energy.alert.hysteresis.hold_days``. ``replay`` puts the issued decisions (관심 3/5, crude
주의 3/18, crude 경계 and gas 주의 4/2) beside the first day the rules recommended each level,
so an analyst sees whether the rules led, matched or lagged the officials.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources as files
from typing import Any

import polars as pl

from tiro.core.parameters import ParameterTree
from tiro.energy.alerts import rules

DATA = "tiro.data.energy.alerts"
HOLD_PATH = "energy.alert.hysteresis.hold_days"


def _read(name: str) -> pl.DataFrame:
    source = files.files(DATA).joinpath(name)
    with source.open("rb") as handle:
        return pl.read_csv(handle, comment_prefix="#", try_parse_dates=True)


def load_indicators() -> pl.DataFrame:
    """Shipped 2026 indicator observations (public or ``sample``, per row)."""
    frame = _read("indicators_2026.csv")
    return frame.with_columns(
        pl.col("date").cast(pl.Date),
        pl.col("transport_risk").cast(pl.Utf8).str.to_lowercase() == "true",
    )


def load_decisions() -> pl.DataFrame:
    """The issued 2026 decisions with their sources (report section 3 ② and press)."""
    return _read("timeline_2026.csv").with_columns(pl.col("decided_on").cast(pl.Date))


def recommended_path(params: ParameterTree, observations: pl.DataFrame) -> pl.DataFrame:
    """Recommended level per observation with hysteresis and the de-escalation hold.

    The hold is a state machine over consecutive observations of one resource, so it walks
    the (short, per-day) series in order; the rule thresholds themselves are vectorised.
    """
    frame = rules.evaluate_frame(params, observations).sort(["resource", "date"])
    order = rules.levels(params, frame["date"].max()) if frame.height else []
    out_rank: list[int] = []
    state: dict[str, tuple[int, dt.date | None]] = {}
    for row in frame.select("resource", "date", "entry_rank", "hold_rank").iter_rows(named=True):
        current, below_since = state.get(row["resource"], (0, None))
        candidate = rules.recommend(row["entry_rank"], row["hold_rank"], current)
        if candidate >= current:
            current, below_since = candidate, None
        else:
            below_since = below_since or row["date"]
            hold = int(params.at(HOLD_PATH, row["date"]))
            if (row["date"] - below_since).days >= hold:
                current, below_since = candidate, None
        state[row["resource"]] = (current, below_since)
        out_rank.append(current)
    ranks = pl.Series("recommended_rank", out_rank, dtype=pl.Int32)
    return frame.with_columns(
        ranks,
        recommended=pl.Series([rules.rank_to_level(r, order) for r in out_rank], dtype=pl.Utf8),
        entry_level=pl.Series(
            [rules.rank_to_level(r, order) for r in frame["entry_rank"]], dtype=pl.Utf8
        ),
    )


def replay(
    params: ParameterTree,
    observations: pl.DataFrame | None = None,
    decisions: pl.DataFrame | None = None,
) -> list[dict[str, Any]]:
    """Each issued decision beside the first day the rules recommended that level or higher.

    ``lead_days`` > 0: the rules recommended it earlier than the officials decided;
    0: the same day; < 0: later; None: the rules never reached it on the data given (for a
    downgrade, "reached" means the recommendation came down to the new level).
    """
    observations = load_indicators() if observations is None else observations
    decisions = load_decisions() if decisions is None else decisions
    path = recommended_path(params, observations)
    public_path = None
    if "label" in observations.columns:
        public_path = recommended_path(params, observations.filter(pl.col("label") == "public"))
    out = []
    ordered = decisions.sort("decided_on").with_columns(
        since=pl.col("decided_on").shift(1).over("resource")
    )
    for decision in ordered.iter_rows(named=True):
        first, fired, label = _first_reaching(params, path, decision)
        row = {
            "resource": decision["resource"],
            "level": decision["level"],
            "previous_level": decision["previous_level"],
            "decided_on": decision["decided_on"],
            "source": decision["source_href"],
            "rules_first_on": first,
            "lead_days": (decision["decided_on"] - first).days if first else None,
            "rules_fired": fired,
            "data_label": label,
        }
        if public_path is not None:
            public_first, _, _ = _first_reaching(params, public_path, decision)
            row["public_data_first_on"] = public_first
            row["public_data_lead_days"] = (
                (decision["decided_on"] - public_first).days if public_first else None
            )
        out.append(row)
    return out


def _first_reaching(
    params: ParameterTree, path: pl.DataFrame, decision: dict[str, Any]
) -> tuple[dt.date | None, list[str], str | None]:
    """First observation, since the resource's previous decision, that reaches the new level.

    An escalation is reached when the recommendation is at or above the new level; a
    de-escalation (하향) when it has come down to the new level or below.
    """
    order = rules.levels(params, decision["decided_on"])
    wanted = rules.level_to_rank(decision["level"], order)
    previous = rules.level_to_rank(decision["previous_level"], order)
    mine = path.filter(pl.col("resource") == decision["resource"]).sort("date")
    if decision.get("since") is not None:
        mine = mine.filter(pl.col("date") >= decision["since"])
    rank = pl.col("recommended_rank")
    hits = mine.filter(rank >= wanted if wanted >= previous else rank <= wanted)
    if hits.is_empty():
        return None, [], None
    first = hits.row(0, named=True)
    return first["date"], list(first["fired"]), first.get("label", "public")
