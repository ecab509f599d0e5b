"""Who may take each workflow step (기업활력법 제6조·제9조): the company files, the committee
deliberates, the ministry approves. Every (transition, acting role) pair is tried against a
hand-written table — not read from the parameter — and a refused step writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tiro.core.db import get_engine, session_scope
from tiro.core.errors import InvalidInput
from tiro.core.models import AuditEntry
from tiro.core.parameters import get_params
from tiro.petrochem import reference, registry, service
from tiro.petrochem.models import Project, ProjectStep
from tiro.petrochem.project_data import load_projects
from tiro.petrochem.workflow import ROLES, check_role

API = "/api/v1/petrochem"
ON = dt.date(2026, 6, 1)

# (from, to) -> the acting roles that may take it; written out from the law, not the YAML.
EXPECTED: dict[tuple[str, str], set[str]] = {
    ("draft_submitted", "final_submitted"): {"company"},
    ("final_submitted", "under_deliberation"): {"ministry", "committee"},
    ("under_deliberation", "approved"): {"ministry"},
    ("under_deliberation", "rejected"): {"ministry"},
    ("approved", "implementing"): {"company"},
    ("implementing", "completed"): {"company", "ministry"},
}
CASES = [(frm, to, role) for (frm, to) in EXPECTED for role in ("company", "ministry", "committee")]


def _count(session, table) -> int:
    return session.execute(select(func.count()).select_from(table)).scalar_one()


def _advance_audits(session) -> int:
    query = select(func.count()).where(AuditEntry.action == "petrochem.project.advance")
    return session.execute(query).scalar_one()


def _project_at(session, state: str) -> str:
    pid = f"t-{state}"
    session.add(
        Project(
            id=pid, name="test", complex="yeosu", participants=["A"], conversion="", source="test",
            state=state, state_since=dt.date(2026, 1, 1),
        )
    )  # fmt: skip
    session.commit()
    return pid


@pytest.mark.parametrize(("frm", "to", "role"), CASES)
def test_every_transition_by_every_role(session, frm, to, role):
    pid = _project_at(session, frm)
    steps, audits = _count(session, ProjectStep), _count(session, AuditEntry)
    ok = role in EXPECTED[(frm, to)]
    if ok:
        out = service.advance(
            session=session, project_id=pid, to_state=to, on=ON, role=role, actor="t"
        )
        assert out["state"] == to and out["history"][-1]["role"] == role
        assert (_count(session, ProjectStep), _count(session, AuditEntry)) == (
            steps + 1,
            audits + 1,
        )
        return
    with pytest.raises(InvalidInput) as err:
        service.advance(session=session, project_id=pid, to_state=to, on=ON, role=role, actor="t")
    assert err.value.field == "role"
    assert " or ".join(sorted(EXPECTED[(frm, to)], key=ROLES.index)) in str(err.value)
    assert "\n" not in str(err.value)
    # Nothing written: no step row, no audit entry, the project where it was.
    assert (_count(session, ProjectStep), _count(session, AuditEntry)) == (steps, audits)
    session.rollback()
    assert session.get(Project, pid).state == frm
    assert (_count(session, ProjectStep), _count(session, AuditEntry)) == (steps, audits)


def test_matrix_covers_every_transition_of_the_workflow():
    from tiro.petrochem.workflow import NEXT

    assert set(EXPECTED) == {(a, b) for a, nxt in NEXT.items() for b in nxt}


def test_filing_the_draft_is_the_companys():
    params = get_params()
    check_role(params, "draft_submitted", "company", ON)
    for role in ("ministry", "committee"):
        with pytest.raises(InvalidInput, match="only company may"):
            check_role(params, "draft_submitted", role, ON)


def test_rule_has_no_value_before_the_act():
    with pytest.raises(InvalidInput) as err:
        check_role(get_params(), "approved", "ministry", dt.date(2016, 8, 12))
    assert err.value.field == "date"


def test_shipped_history_obeys_the_rule():
    """Every seeded step (data/petrochem/projects.yaml) was taken by a role the rule allows."""
    params = get_params()
    seen = 0
    for project in load_projects(registry.load_units()):
        for step in project["history"]:
            check_role(params, step["state"], step["role"], step["date"])
            seen += 1
    assert seen == 10  # 4 daesan-1 + 3 yeosu-2 + 1 each for yeosu-3, ulsan-4, daesan-5


def test_cli_refuses_a_company_approving_its_own_plan(cli, configured):
    with session_scope(get_engine(configured)) as s:
        reference.load_reference(session=s)
    args = ["petrochem", "advance", "yeosu-2", "--to", "approved", "--date", "2026-06-01"]
    result = cli([*args, "--role", "company"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "role" in lines[0] and "only ministry may" in lines[0]
    with session_scope(get_engine(configured)) as s:
        assert s.get(Project, "yeosu-2").state == "under_deliberation"
        steps = s.execute(select(ProjectStep).where(ProjectStep.project_id == "yeosu-2")).all()
        assert len(steps) == 3
    result = cli([*args, "--role", "ministry", "--json"])
    assert result.exit_code == 0, result.stderr


def test_api_acting_role_is_not_the_users_role(api_client, configured, auth_headers):
    """An admin token does not make its holder the ministry: the body's ``role`` is checked."""
    with session_scope(get_engine(configured)) as s:
        reference.load_reference(session=s)
        audits = _advance_audits(s)
    url = f"{API}/projects/yeosu-2/advance"
    body = {"to": "approved", "role": "company", "date": "2026-06-01"}
    r = api_client.post(url, json=body, headers=auth_headers("admin"))
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem")
    assert r.json()["field"] == "role" and "only ministry may" in r.json()["detail"]
    # The API user's own role is not an acting role either.
    r = api_client.post(url, json={**body, "role": "operator"}, headers=auth_headers("admin"))
    assert r.status_code == 422 and r.json()["field"] == "role"
    # A viewer may not write at all, whatever acting role the body names.
    r = api_client.post(url, json={**body, "role": "ministry"}, headers=auth_headers("viewer"))
    assert r.status_code == 403
    with session_scope(get_engine(configured)) as s:
        assert s.get(Project, "yeosu-2").state == "under_deliberation"
        assert _advance_audits(s) == audits
    r = api_client.post(url, json={**body, "role": "ministry"}, headers=auth_headers("operator"))
    assert r.status_code == 201 and r.json()["history"][-1]["role"] == "ministry"


def test_the_rule_is_the_dated_parameter(session):
    """A what-if (the committee itself approving from 2026-05-01) changes who may approve —
    the service reads the parameter in force on the step's date, not a list in code."""
    pid = _project_at(session, "under_deliberation")
    roles = dict(get_params().at("petrochem.workflow.step_roles", ON))
    roles["approved"] = ["committee"]
    ref = {"title": "what-if", "section": "2"}
    what_if = get_params().with_overlay(
        {
            "overrides": {
                "petrochem.workflow.step_roles": {"2026-05-01": {"value": roles, "reference": ref}}
            }
        }
    )
    with pytest.raises(InvalidInput, match="only committee may"):
        service.advance(session=session, project_id=pid, to_state="approved", on=ON,
                        role="ministry", actor="t", params=what_if)  # fmt: skip
    out = service.advance(session=session, project_id=pid, to_state="approved", on=ON,
                          role="committee", actor="t", params=what_if)  # fmt: skip
    assert out["state"] == "approved"


def test_a_backdated_step_is_refused_on_its_date_first(session):
    """A company approving, dated before the current step: the date is the first fault named."""
    pid = _project_at(session, "under_deliberation")
    with pytest.raises(InvalidInput, match="before the current step") as err:
        service.advance(session=session, project_id=pid, to_state="approved",
                        on=dt.date(2025, 12, 1), role="company", actor="t")  # fmt: skip
    assert err.value.field == "date"


def test_a_shipped_history_breaking_the_rule_is_refused_on_load(tmp_path, monkeypatch):
    """The seed file is checked as a user's step is: a company approving a plan is refused,
    naming the project, before anything reads the history."""
    from tiro.petrochem import project_data

    text = (project_data.DATA_DIR / "projects.yaml").read_text(encoding="utf-8")
    bad = text.replace(
        "{state: approved, date: 2026-02-01, role: ministry,",
        "{state: approved, date: 2026-02-01, role: company,",
        1,
    )
    assert bad != text
    (tmp_path / "projects.yaml").write_text(bad, encoding="utf-8")
    monkeypatch.setattr(project_data, "DATA_DIR", tmp_path)
    with pytest.raises(InvalidInput) as err:
        project_data.load_projects(registry.load_units())
    assert err.value.field == "projects"
    assert "daesan-1" in str(err.value) and "only ministry may" in str(err.value)
