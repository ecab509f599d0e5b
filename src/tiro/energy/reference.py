"""Reference data for the energy ledger and alerts (``tiro db seed``): idempotent.

Loads KNOC's nine reserve bases (published capacities, cited), the four refiners, the
`sample` stocks per site and grade with floors from ``energy.swap.floor_share`` in force on
the day of loading (``on``, default today: a later dated share applies), and the 2026
alert decisions (report section 3 ②) as recorded decisions, each beside the level the rules
recommend on the shipped indicators of that day (with the indicators and their
public/sample label), so the timeline itself shows where the rules stood. Rows already
present are left as they are, so seeding never overwrites an operator's ledger, and a
decision an operator rescinded is not brought back.
"""

from __future__ import annotations

import datetime as dt
import math
from importlib import resources as files

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from tiro.core.audit import record_audit
from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree, get_params
from tiro.energy.alerts.service import rescinded_keys
from tiro.energy.alerts.timeline import load_decisions, load_indicators, recommended_path
from tiro.energy.models import AlertDecision, Refiner, ReserveSite, SiteStock

SWAP_DATA = "tiro.data.energy.swap"
SEED_ACTOR = "reference:report-3"
FLOOR_PARAM = "energy.swap.floor_share"


def _read(name: str) -> pl.DataFrame:
    with files.files(SWAP_DATA).joinpath(name).open("rb") as handle:
        return pl.read_csv(handle, comment_prefix="#", infer_schema_length=0)


def _sites(session: Session) -> int:
    added = 0
    for row in _read("sites.csv").iter_rows(named=True):
        if session.get(ReserveSite, row["code"]) is None:
            capacity = int(row["capacity_bbl"]) if row["capacity_bbl"] else None
            session.add(
                ReserveSite(
                    code=row["code"],
                    name_ko=row["name_ko"],
                    name_en=row["name_en"],
                    kind=row["kind"],
                    capacity_bbl=capacity,
                    capacity_source=row["capacity_source"],
                )
            )
            added += 1
    return added


def _refiners(session: Session) -> int:
    added = 0
    for row in _read("refiners.csv").iter_rows(named=True):
        if session.get(Refiner, row["code"]) is None:
            session.add(Refiner(**row))
            added += 1
    return added


def _stocks(session: Session, params: ParameterTree, on: dt.date) -> int:
    share = float(params.at(FLOOR_PARAM, on))
    if not 0 <= share <= 1:
        raise InvalidInput(f"{share} is not a share between 0 and 1", field=FLOOR_PARAM)
    existing = {(s.site_code, s.grade) for s in session.execute(select(SiteStock)).scalars()}
    added = 0
    for row in _read("stocks_sample.csv").iter_rows(named=True):
        if (row["site_code"], row["grade"]) in existing:
            continue
        stock = int(row["stock_bbl"])
        session.add(
            SiteStock(
                site_code=row["site_code"],
                grade=row["grade"],
                stock_bbl=stock,
                floor_bbl=math.ceil(stock * share),
                released_bbl=0,
                repaid_bbl=0,
                outstanding_bbl=0,
                premium_received_bbl=0,
                data_label="sample",
            )
        )
        added += 1
    if added:
        record_audit(
            session,
            actor=SEED_ACTOR,
            action="energy.swap.seed_stocks",
            entity="energy_site_stocks",
            entity_id="stocks_sample.csv",
            after={
                "rows_added": added,
                "floor_share": share,
                "floor_share_on": on,
                "data_label": "sample",
            },
        )
    return added


INDICATOR_COLUMNS = ("price_change", "disrupted_share", "stock_ratio", "index", "transport_risk")


def _rules_on_the_day(params: ParameterTree) -> dict[tuple[str, dt.date], dict]:
    """(resource, date) → the rules' level and the indicators (public or sample) behind it."""
    path = recommended_path(params, load_indicators())
    out = {}
    for r in path.iter_rows(named=True):
        given = {k: r[k] for k in INDICATOR_COLUMNS if r[k] is not None}
        out[(r["resource"], r["date"])] = {
            "level": r["recommended"],
            "indicators": {**given, "label": r["label"], "source": r["source"]},
        }
    return out


def _timeline(session: Session, params: ParameterTree) -> int:
    rules = _rules_on_the_day(params)
    rescinded = rescinded_keys(session)
    added = 0
    for row in load_decisions().sort("decided_on").iter_rows(named=True):
        if (row["resource"], str(row["decided_on"]), row["level"]) in rescinded:
            continue
        found = session.execute(
            select(AlertDecision.id).where(
                AlertDecision.resource == row["resource"],
                AlertDecision.decided_on == row["decided_on"],
                AlertDecision.level == row["level"],
            )
        ).first()
        if found:
            continue
        seen = rules.get((row["resource"], row["decided_on"]), {})
        decision = AlertDecision(
            resource=row["resource"],
            level=row["level"],
            previous_level=row["previous_level"],
            decided_on=row["decided_on"],
            kind="record",  # issued by officials, not through tiro: recorded, not confirmed here
            recommended_level=seen.get("level"),
            reason=row["reason"],
            actor=SEED_ACTOR,
            indicators=seen.get("indicators"),
            source_href=row["source_href"],
        )
        session.add(decision)
        session.flush()
        record_audit(
            session,
            actor=SEED_ACTOR,
            action="energy.alert.record",
            entity="energy_alert_decision",
            entity_id=decision.id,
            before={"resource": row["resource"], "level": row["previous_level"]},
            after={
                "level": row["level"],
                "decided_on": row["decided_on"],
                "source": row["source_href"],
                "recommended_level": seen.get("level"),
            },
        )
        added += 1
    return added


def load_reference(
    *, session: Session, params: ParameterTree | None = None, on: dt.date | None = None
) -> dict[str, int]:
    """Insert whatever reference rows are missing; returns how many of each were added.

    Floors use the floor share in force on ``on`` (default today), so a later dated value
    of ``energy.swap.floor_share`` is honoured.
    """
    params = params or get_params()
    counts = {"reserve_sites": _sites(session), "refiners": _refiners(session)}
    session.flush()
    counts["site_stocks"] = _stocks(session, params, on or dt.date.today())
    counts["alert_decisions"] = _timeline(session, params)
    session.flush()
    return counts
