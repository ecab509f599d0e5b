"""Registry and pre-review workflow on SQLite and PostgreSQL: dated, audited, wrong moves refused."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tiro.core.audit import verify_chain
from tiro.core.errors import Conflict, InvalidInput, NotFound
from tiro.core.models import AuditEntry
from tiro.core.parameters import get_params
from tiro.invest import service
from tiro.invest.models import InvestProject, InvestReviewStep
from tiro.invest.reference import load_reference
from tiro.invest.sample import sample_projects

pytestmark = pytest.mark.postgres
PARAMS = get_params()


def _submit(session, name="Test LNG", on=dt.date(2026, 3, 2), **kw):
    args = dict(
        session=session, params=PARAMS, actor="analyst-1", name=name, sector="energy",
        sponsor="Test sponsor", capital={"2027": 2_000_000_000}, cash_flows=[1_000_000_000] * 10,
        on=on,
    )  # fmt: skip
    args.update(kw)
    return service.submit(**args)


def _advance(session, to, on, project="Test LNG"):
    return service.advance(
        session=session,
        params=PARAMS,
        actor="op-1",
        role="operator",
        project=project,
        to=to,
        reason=f"to {to}",
        on=on,
    )


def test_a_project_walks_to_selected_with_the_body_in_force_on_each_date(session):
    _submit(session)
    _advance(session, "screened", dt.date(2026, 6, 17))  # the day before the Special Act
    _advance(session, "consulted", dt.date(2026, 6, 18))  # the Act in force
    _advance(session, "recommended", dt.date(2026, 7, 1))
    got = _advance(session, "selected", dt.date(2026, 7, 2))
    session.commit()
    assert got["state"] == "selected"
    assert [(s["to"], s["body"]) for s in got["steps"]] == [
        ("submitted", "interim_committee"),
        ("screened", "interim_committee"),
        ("consulted", "special_act"),
        ("recommended", "special_act"),
        ("selected", "special_act"),
    ]
    assert got["steps"][2]["role"] == "operator"
    actions = session.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
    assert actions == ["invest.submit"] + [
        f"invest.advance.{s}" for s in ("screened", "consulted", "recommended", "selected")
    ]
    assert verify_chain(session).ok


@pytest.mark.parametrize(
    ("path", "to"),
    [((), "consulted"), ((), "selected"), (("screened", "declined"), "consulted"),
     (("withdrawn",), "screened")],
)  # fmt: skip
def test_a_move_from_the_wrong_state_is_refused_and_nothing_is_written(session, path, to):
    _submit(session)
    for step in path:
        _advance(session, step, dt.date(2026, 4, 1))
    session.commit()
    steps_before = session.scalar(select(func.count()).select_from(InvestReviewStep))
    audit_before = session.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(Conflict) as err:
        _advance(session, to, dt.date(2026, 5, 1))
    assert err.value.status == 409 and err.value.field == "to"
    session.rollback()
    assert session.scalar(select(func.count()).select_from(InvestReviewStep)) == steps_before
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == audit_before


@pytest.mark.parametrize(
    ("kw", "error", "field"),
    [
        ({"sector": "tourism"}, InvalidInput, "sector"),
        ({"capital": {}}, InvalidInput, "capital"),
        ({"capital": {"2027": -5}}, InvalidInput, "capital.2027"),
        ({"cash_flows": []}, InvalidInput, "cash_flows"),
        ({"cash_flows": ["x"]}, InvalidInput, "cash_flows[0]"),
        ({"name": " "}, InvalidInput, "name"),
        ({"on": dt.date(2026, 1, 5)}, InvalidInput, "on"),  # before any pre-review body
        ({"on": dt.date(2029, 2, 1)}, Conflict, "on"),  # after the January 2029 deadline
    ],
)
def test_bad_submissions_name_the_field(session, kw, error, field):
    with pytest.raises(error) as err:
        _submit(session, **kw)
    assert err.value.field == field
    session.rollback()
    assert session.scalar(select(func.count()).select_from(InvestProject)) == 0


def test_only_a_commercially_reasonable_project_can_be_recommended(session):
    # 2bn principal, 0.3bn a year for 10 years: cumulative 3bn < 4bn (= 2bn / 0.5), Korea
    # gets 1.5bn and never its principal back -> the committee cannot recommend it
    _submit(session, name="Weak", cash_flows=[300_000_000] * 10)
    for step, day in (("screened", 10), ("consulted", 11)):
        _advance(session, step, dt.date(2026, 7, day), project="Weak")
    with pytest.raises(Conflict) as err:
        _advance(session, "recommended", dt.date(2026, 7, 12), project="Weak")
    assert "never recovered" in err.value.message and err.value.field == "to"
    # 1bn a year: recovered in year 4 (Korea 0.5bn x 4), then 0.1bn x 6; NPV at 4.5%
    # = 0.5 x 3.587526 + 0.1 x (7.912718 - 3.587526) - 2 = +0.226282bn -> recommended
    _submit(session, name="Strong")
    for step, day in (("screened", 10), ("consulted", 11), ("recommended", 12)):
        got = _advance(session, step, dt.date(2026, 7, day), project="Strong")
    assert got["state"] == "recommended"
    row = service.get_project(session=session, ref="Strong")
    assert service.screen(row, PARAMS, dt.date(2026, 7, 12))["npv"] == pytest.approx(
        226_282_000, abs=1_000
    )


def test_duplicate_name_unknown_project_backdating_and_missing_reason(session):
    _submit(session)
    with pytest.raises(Conflict):
        _submit(session)
    with pytest.raises(NotFound) as err:
        _advance(session, "screened", dt.date(2026, 4, 1), project="nope")
    assert err.value.field == "project"
    with pytest.raises(InvalidInput) as err:
        _advance(session, "screened", dt.date(2026, 3, 1))  # before its submission
    assert err.value.field == "on"
    with pytest.raises(InvalidInput) as err:
        service.advance(session=session, params=PARAMS, actor="x", role="operator",
                        project="Test LNG", to="screened", reason="  ", on=dt.date(2026, 4, 1))  # fmt: skip
    assert err.value.field == "reason"


def test_sample_pipeline_is_deterministic_labelled_and_idempotent(session):
    assert sample_projects() == sample_projects()
    assert load_reference(session=session) == {"invest_projects": 12}
    assert load_reference(session=session) == {"invest_projects": 0}
    session.commit()
    projects = service.list_projects(session=session)
    assert {p["data_label"] for p in projects} == {"sample"}
    assert all("sample" in p["name"].lower() for p in projects)
    assert len(service.list_projects(session=session, state="selected")) == 6
    assert verify_chain(session).ok
    pipeline = service.registry_pipeline(session=session)
    assert set(pipeline["project"]) == {p["name"] for p in projects if p["state"] == "selected"}
