"""Projects and workflow: the report's history seeded, dated audited steps, wrong moves refused."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from tiro.core.errors import Conflict, InvalidInput, NotFound
from tiro.core.models import AuditEntry
from tiro.petrochem import reference, service
from tiro.petrochem.workflow import allowed


@pytest.fixture
def seeded(session):
    reference.load_reference(session=session)
    session.commit()
    return session


def _audits(session) -> int:
    return session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()


def _advance(session, project: str, to: str, on: dt.date, role: str = "ministry") -> dict:
    return service.advance(
        session=session, project_id=project, to_state=to, on=on, role=role, actor="test"
    )


@pytest.mark.postgres
def test_report_history_is_seeded(seeded):
    projects = {p["id"]: p for p in service.list_projects(session=seeded)}
    assert len(projects) == 5
    assert projects["daesan-1"]["state"] == "approved"
    assert projects["daesan-1"]["units"][0] == {
        "unit": "lotte_daesan", "action": "suspend", "capacity_kt": 1100,
        "until": "2029-02-01", "note": None,
    }  # fmt: skip
    assert projects["yeosu-2"]["state"] == "under_deliberation"
    assert projects["yeosu-2"]["state_since"] == "2026-05-01"
    drafts = {projects[k]["state"] for k in ("yeosu-3", "ulsan-4", "daesan-5")}
    assert drafts == {"draft_submitted"}
    march = service.list_projects(session=seeded, on=dt.date(2026, 3, 1))
    assert {p["id"]: p["state"] for p in march}["yeosu-2"] == "draft_submitted"  # final 03-20
    assert reference.load_reference(session=seeded) == {
        "projects": 0,
        "support_items": 0,
    }  # idempotent


@pytest.mark.postgres
def test_advance_is_dated_and_audited(seeded):
    before = _audits(seeded)
    out = service.advance(
        session=seeded, project_id="yeosu-2", to_state="approved", on=dt.date(2026, 6, 30),
        role="ministry", actor="test", documents=["승인서"],
    )  # fmt: skip
    seeded.commit()
    assert out["state"] == "approved" and out["history"][-1]["documents"] == ["승인서"]
    assert _audits(seeded) == before + 1
    actions = service.actions_table(session=seeded, on=dt.date(2026, 7, 1))
    approved = actions.filter(actions["state"] == "approved")
    assert set(approved["unit"]) == {"lotte_daesan", "yncc_3"}


@pytest.mark.postgres
def test_wrong_moves_change_nothing(seeded):
    before = _audits(seeded)
    with pytest.raises(Conflict, match="allowed: final_submitted"):
        _advance(seeded, "yeosu-3", "approved", dt.date(2026, 6, 1))
    with pytest.raises(InvalidInput, match="before the current step"):
        _advance(seeded, "yeosu-2", "approved", dt.date(2026, 4, 1))
    with pytest.raises(InvalidInput, match="not a role"):
        _advance(seeded, "yeosu-2", "approved", dt.date(2026, 6, 1), role="mayor")
    with pytest.raises(NotFound):
        _advance(seeded, "nope", "approved", dt.date(2026, 6, 1))
    with pytest.raises(Conflict, match="final state"):
        _advance(seeded, "yeosu-2", "rejected", dt.date(2026, 6, 1))
        _advance(seeded, "yeosu-2", "implementing", dt.date(2026, 6, 2))
    seeded.rollback()
    assert _audits(seeded) == before
    states = {p["id"]: p["state"] for p in service.list_projects(session=seeded)}
    assert states["yeosu-3"] == "draft_submitted" and states["yeosu-2"] == "under_deliberation"


def test_workflow_table():
    assert allowed(None, "draft_submitted") and not allowed(None, "approved")
    assert allowed("under_deliberation", "rejected") and not allowed("rejected", "implementing")
    assert allowed("approved", "implementing") and allowed("implementing", "completed")
    assert not allowed("completed", "approved")


def test_cli_projects_and_advance(cli, configured):
    from tiro.core.db import get_engine, session_scope

    with session_scope(get_engine(configured)) as s:
        reference.load_reference(session=s)
    result = cli(["petrochem", "advance", "yeosu-3", "--to", "approved", "--role", "ministry"])
    assert result.exit_code == 4 and "allowed: final_submitted" in result.stderr
    args = ["--role", "company", "--date", "2026-06-01", "--json"]
    result = cli(["petrochem", "advance", "yeosu-3", "--to", "final_submitted", *args])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["state"] == "final_submitted"
    data = json.loads(cli(["petrochem", "projects", "--json"]).stdout)
    assert [p["state"] for p in data if p["id"] == "yeosu-3"] == ["final_submitted"]
    result = cli(["petrochem", "target", "--projects", "db", "--date", "2026-06-02", "--json"])
    assert json.loads(result.stdout)["gross"]["approved_cut_kt"] == 1100
