"""Registry services: submit a project, advance its review, list and read the pipeline.

Keyword-only functions over an explicit session; every state change writes its audit entry
in the same transaction (tiro.core.audit), so a refused step leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from tiro.core.audit import record_audit
from tiro.core.errors import Conflict, InvalidInput, NotFound, ParameterDateError
from tiro.core.models import ROLES
from tiro.core.parameters import ParameterTree
from tiro.core.recorded import not_future
from tiro.core.validation import MAX_MAGNITUDE
from tiro.invest import calendar, limits, terms
from tiro.invest.models import InvestCapital, InvestCashFlow, InvestProject, InvestReviewStep
from tiro.invest.workflow import check_move

# The bounds are declared once, in tiro.invest.limits (the API's fields read them too).
YEARS = limits.YEARS
MAX_CASH_FLOW_YEARS = limits.MAX_CASH_FLOW_YEARS
MAX_NAME = limits.MAX_NAME
PRIORITY_RANGE = limits.PRIORITY_RANGE


def _text(value: str | None, field: str, *, required: bool) -> str | None:
    """A stripped one-line name, refused when empty (if required), too long or with controls."""
    text = (value or "").strip()
    if not text:
        if required:
            raise InvalidInput(f"a project needs a {field}", field=field)
        return None
    if len(text) > MAX_NAME:
        raise InvalidInput(f"is {len(text)} characters long (at most {MAX_NAME})", field=field)
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise InvalidInput("contains a control character (e.g. NUL or a line break)", field=field)
    return text


def _no_nul(values: Sequence[str | None], field: str) -> None:
    """PostgreSQL text cannot hold a NUL byte (SQLite can): refused on both, naming the field."""
    if any("\x00" in (v or "") for v in values):
        raise InvalidInput("contains a NUL character", field=field)


def _body_on(params: ParameterTree, on: dt.date) -> str:
    try:
        return terms.screening_body(params, on)
    except ParameterDateError:
        first = params.series(terms.SCREENING_BODY)[0].effective_from
        raise InvalidInput(f"no pre-review body exists before {first}", field="on") from None


def _check_money(value: Any, field: str, *, positive: bool) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{value!r} is not a number", field=field)
    if value != value or abs(value) > MAX_MAGNITUDE:
        raise InvalidInput(f"{value!r} is not a finite amount", field=field)
    if positive and value <= 0:
        raise InvalidInput(f"{value} must be above zero", field=field)
    if positive and round(value) <= 0:
        raise InvalidInput(f"{value} is less than one whole US dollar", field=field)
    return round(value)


def _capital(capital: Mapping[Any, Any]) -> dict[int, int]:
    if not capital:
        raise InvalidInput("needs the capital required in at least one year", field="capital")
    out = {}
    for year, amount in capital.items():
        try:
            y = int(year)
        except (TypeError, ValueError):
            raise InvalidInput(f"{year!r} is not a year", field="capital") from None
        if not YEARS[0] <= y <= YEARS[1]:
            raise InvalidInput(f"{y} is outside {YEARS[0]}-{YEARS[1]}", field="capital")
        out[y] = _check_money(amount, f"capital.{y}", positive=True)
    return out


def _cash_flows(flows: Sequence[Any]) -> list[int]:
    if not flows:
        raise InvalidInput("needs at least one year's expected cash flow", field="cash_flows")
    if len(flows) > MAX_CASH_FLOW_YEARS:
        raise InvalidInput(f"at most {MAX_CASH_FLOW_YEARS} years", field="cash_flows")
    return [_check_money(v, f"cash_flows[{i}]", positive=False) for i, v in enumerate(flows)]


def submit(
    *,
    session: Session,
    params: ParameterTree,
    actor: str,
    name: str,
    sector: str,
    sponsor: str,
    capital: Mapping[Any, Any],
    cash_flows: Sequence[Any],
    on: dt.date,
    korean_suppliers: Sequence[str] = (),
    us_spv: str | None = None,
    priority: int = 0,
    notes: str | None = None,
    documents: Sequence[Mapping[str, str]] = (),
    data_label: str = "user",
) -> dict[str, Any]:
    """Register a candidate in state ``submitted`` (audited); refused after the deadline."""
    name = _text(name, "name", required=True)
    sponsor = _text(sponsor, "sponsor", required=True)
    us_spv = _text(us_spv, "us_spv", required=False)
    _no_nul([notes], "notes")
    _no_nul(list(korean_suppliers), "korean_suppliers")
    _no_nul([v for d in documents for v in d.values()], "documents")
    if isinstance(priority, bool) or not PRIORITY_RANGE[0] <= int(priority) <= PRIORITY_RANGE[1]:
        raise InvalidInput(
            f"{priority} is outside {PRIORITY_RANGE[0]}..{PRIORITY_RANGE[1]}", field="priority"
        )
    terms.check_sector(params, sector, on)
    deadline = terms.selection_deadline(params, on)
    if on.strftime("%Y-%m") > deadline:
        raise Conflict(f"submissions close with selection in {deadline}", field="on")
    not_future(on, calendar.today())  # a step dated 2199 would lock the project
    body = _body_on(params, on)
    years, flows = _capital(capital), _cash_flows(cash_flows)
    if session.execute(select(InvestProject.id).where(InvestProject.name == name)).first():
        raise Conflict(f"a project named {name!r} already exists", field="name")
    project = InvestProject(
        name=name, sector=sector, sponsor=sponsor, korean_suppliers=list(korean_suppliers),
        us_spv=us_spv, state="submitted", priority=int(priority), submitted_on=on, notes=notes,
        documents=[dict(d) for d in documents], data_label=data_label,
    )  # fmt: skip
    project.capital = [InvestCapital(year=y, amount_usd=a) for y, a in sorted(years.items())]
    project.cash_flows = [InvestCashFlow(year=i, amount_usd=a) for i, a in enumerate(flows, 1)]
    project.steps = [
        InvestReviewStep(on=on, from_state=None, to_state="submitted", actor=actor,
                         role="submitter", body=body, reason="submitted")
    ]  # fmt: skip
    session.add(project)
    session.flush()
    record_audit(
        session, actor=actor, action="invest.submit", entity="invest_project",
        entity_id=project.id, after=describe(project),
    )  # fmt: skip
    return describe(project)


def get_project(*, session: Session, ref: str | int, lock: bool = False) -> InvestProject:
    """A project by id or name; unknown is a 404 naming the field ``project``.

    ``lock`` takes the row lock (PostgreSQL ``FOR UPDATE``; SQLite already serialises writers
    with ``BEGIN IMMEDIATE``) and re-reads the row, so a writer that waited sees the state the
    other one committed instead of deciding the same step a second time.
    """
    query = select(InvestProject)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    text = str(ref).strip()
    if text.isdigit() and len(text) < 12:
        query = query.where(InvestProject.id == int(text))
    else:
        query = query.where(InvestProject.name == text)
    project = session.execute(query).scalar_one_or_none()
    if project is None:
        raise NotFound(f"no project {text!r}", field="project")
    return project


def advance(
    *,
    session: Session,
    params: ParameterTree,
    actor: str,
    role: str,
    project: str | int,
    to: str,
    reason: str,
    on: dt.date,
) -> dict[str, Any]:
    """Move a project one step, dated, with the actor's role and a reason; audited."""
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r} (roles: {', '.join(ROLES)})", field="role")
    if not (reason or "").strip():
        raise InvalidInput("a step needs a reason", field="reason")
    row = get_project(session=session, ref=project, lock=True)
    check_move(row.state, to)
    last = row.steps[-1].on if row.steps else row.submitted_on
    if on < last:
        raise InvalidInput(f"{on} is before the project's last step ({last})", field="on")
    if to == "recommended":
        _require_reasonable(row, params, on)
    if to == "selected":
        deadline = terms.selection_deadline(params, on)
        if on.strftime("%Y-%m") > deadline:
            raise Conflict(f"selection closed after {deadline}", field="on")
    not_future(on, calendar.today())  # a step dated 2199 would lock the project
    body = _body_on(params, on)
    before = {"state": row.state}
    row.steps.append(
        InvestReviewStep(on=on, from_state=row.state, to_state=to, actor=actor, role=role,
                         body=body, reason=reason.strip())
    )  # fmt: skip
    row.state = to
    session.flush()
    record_audit(
        session, actor=actor, action=f"invest.advance.{to}", entity="invest_project",
        entity_id=row.id, before=before,
        after={"state": to, "on": on.isoformat(), "role": role, "body": body},
        note=reason.strip(),
    )  # fmt: skip
    return describe(row)


def _require_reasonable(row: InvestProject, params: ParameterTree, on: dt.date) -> None:
    """Only commercially reasonable projects may be recommended (MOU; report 1 ②).

    The screen runs on the terms in force on the step's date with the parameter discount
    rate; a refusal carries the numbers so the committee sees why.
    """
    result = screen(row, params, on)
    if not result["commercially_reasonable"]:
        year = result["principal_recovered_year"]
        raise Conflict(
            f"{row.name!r} is not commercially reasonable: principal "
            f"{'recovered in year ' + str(year) if year else 'never recovered'}, NPV at "
            f"{terms.discount_rate_on(params, on):.2%} is {result['npv']:,.0f} USD; "
            "it cannot be recommended",
            field="to",
        )


def screen(row: InvestProject, params: ParameterTree, on: dt.date) -> dict[str, Any]:
    """The reasonableness contract of a registry project (principal = its capital)."""
    from tiro.invest.waterfall import reasonableness

    return reasonableness(
        float(sum(c.amount_usd for c in row.capital)),
        [float(c.amount_usd) for c in row.cash_flows],
        rate=terms.discount_rate_on(params, on),
        split=terms.split_on(params, on),
    )


def describe(project: InvestProject) -> dict[str, Any]:
    """A project as JSON-ready data, with its steps."""
    return {
        "id": project.id,
        "name": project.name,
        "sector": project.sector,
        "sponsor": project.sponsor,
        "korean_suppliers": list(project.korean_suppliers or []),
        "us_spv": project.us_spv,
        "state": project.state,
        "priority": project.priority,
        "submitted_on": project.submitted_on.isoformat(),
        "capital_by_year": {str(c.year): c.amount_usd for c in project.capital},
        "principal_usd": sum(c.amount_usd for c in project.capital),
        "cash_flows": [c.amount_usd for c in project.cash_flows],
        "notes": project.notes,
        "documents": list(project.documents or []),
        "data_label": project.data_label,
        "steps": [
            {"on": s.on.isoformat(), "from": s.from_state, "to": s.to_state, "actor": s.actor,
             "role": s.role, "body": s.body, "reason": s.reason}
            for s in project.steps
        ],
    }  # fmt: skip


def list_projects(
    *, session: Session, state: str | None = None, sector: str | None = None
) -> list[dict[str, Any]]:
    """The registry, optionally by state and sector, ordered by id."""
    query = select(InvestProject).order_by(InvestProject.id)
    if state:
        query = query.where(InvestProject.state == state)
    if sector:
        query = query.where(InvestProject.sector == sector)
    return [describe(p) for p in session.execute(query).scalars()]


def registry_pipeline(*, session: Session) -> pl.DataFrame:
    """The selected projects' capital by year as a scheduler pipeline."""
    rows = session.execute(
        select(InvestProject.name, InvestProject.priority, InvestCapital.year,
               InvestCapital.amount_usd)
        .join(InvestCapital, InvestCapital.project_id == InvestProject.id)
        .where(InvestProject.state == "selected")
        .order_by(InvestProject.id, InvestCapital.year)
    ).all()  # fmt: skip
    if not rows:
        raise Conflict("no selected project in the registry to schedule", field="pipeline")
    return pl.DataFrame(
        [(n, float(p), int(y), float(a)) for n, p, y, a in rows],
        schema=["project", "priority", "requested_year", "amount_usd"],
        orient="row",
    )
