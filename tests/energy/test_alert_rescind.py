"""Issue 9 item 6: a decision dated in the future is refused; a wrong decision is rescinded.

The old service accepted ``"on": "2099-01-01"`` and then refused every later decision for
the resource as "before the decision in force". Now the date may be at most today +
``energy.alert.decision_lead_days`` (0), and ``rescind`` removes the decision in force with a
reason and an audit entry (service, CLI ``tiro energy alert rescind``, API, operator role).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from tiro.core.audit import verify_chain
from tiro.core.errors import Conflict, InvalidInput, NotFound
from tiro.core.models import AuditEntry
from tiro.core.parameters import get_params
from tiro.energy.alerts import service as alert_service
from tiro.energy.models import SiteStock
from tiro.energy.reference import load_reference

PARAMS = get_params()
TODAY = dt.date(2026, 11, 30)


def _decide(session, level, on, today=TODAY, params=PARAMS):
    return alert_service.decide(session=session, params=params, resource="crude", level=level,
                                on=on, actor="op", reason="test", today=today)  # fmt: skip


@pytest.mark.postgres
def test_future_decision_is_refused_and_the_lead_is_a_parameter(session, tmp_path) -> None:
    with pytest.raises(InvalidInput) as err:
        _decide(session, "관심", dt.date(2099, 1, 1))
    assert err.value.field == "on" and "energy.alert.decision_lead_days" in err.value.message
    with pytest.raises(InvalidInput):
        _decide(session, "관심", TODAY + dt.timedelta(days=1))
    session.rollback()
    assert _decide(session, "관심", TODAY)["level"] == "관심"  # today itself is fine
    overlay = tmp_path / "lead.yaml"
    overlay.write_text(
        "description: a 3-day lead\noverrides:\n  energy.alert.decision_lead_days:\n"
        "    2025-02-07: {value: 3, reference: {title: test, section: '3 ②'}}\n",
        encoding="utf-8",
    )
    out = _decide(
        session, "주의", TODAY + dt.timedelta(days=3), params=PARAMS.with_scenario(overlay)
    )
    assert out["decided_on"] == TODAY + dt.timedelta(days=3)


@pytest.mark.postgres
def test_rescind_restores_the_level_before_and_is_audited(session) -> None:
    first = _decide(session, "관심", dt.date(2026, 11, 1))
    wrong = _decide(session, "심각", dt.date(2026, 11, 20))
    session.commit()
    with pytest.raises(InvalidInput) as err:  # a reason is required
        alert_service.rescind(session=session, params=PARAMS, decision_id=wrong["id"],
                              actor="op2", reason="  ")  # fmt: skip
    assert err.value.field == "reason"
    with pytest.raises(Conflict) as err:  # only the decision in force
        alert_service.rescind(session=session, params=PARAMS, decision_id=first["id"],
                              actor="op2", reason="x")  # fmt: skip
    assert f"rescind decision {wrong['id']}" in err.value.message
    with pytest.raises(NotFound):
        alert_service.rescind(session=session, params=PARAMS, decision_id=999_999,
                              actor="op2", reason="x")  # fmt: skip
    session.rollback()
    out = alert_service.rescind(session=session, params=PARAMS, decision_id=wrong["id"],
                                actor="op2", reason="typed 심각 for 주의")  # fmt: skip
    session.commit()
    assert (out["level_in_force"], out["in_force_since"]) == ("관심", dt.date(2026, 11, 1))
    assert [d["level"] for d in alert_service.history(session=session, resource="crude")] == [
        "관심"
    ]
    # the correction: decide again, now from 관심
    again = _decide(session, "주의", dt.date(2026, 11, 20))
    session.commit()
    assert again["previous_level"] == "관심"
    entry = session.execute(
        select(AuditEntry).where(AuditEntry.action == "energy.alert.rescind")
    ).scalar_one()
    assert (entry.actor, entry.note, entry.before["level"]) == (
        "op2",
        "typed 심각 for 주의",
        "심각",
    )
    assert verify_chain(session).ok


def test_a_rescinded_seed_decision_is_not_seeded_again(session) -> None:
    load_reference(session=session, on=dt.date(2026, 11, 30))
    session.commit()
    newest = alert_service.history(session=session, resource="crude")[-1]
    alert_service.rescind(session=session, params=PARAMS, decision_id=newest["id"],
                          actor="op", reason="recorded twice")  # fmt: skip
    session.commit()
    assert load_reference(session=session)["alert_decisions"] == 0
    levels = [d["level"] for d in alert_service.history(session=session, resource="crude")]
    assert levels == ["관심", "주의", "경계"]


def test_floor_share_is_read_on_the_day_asked(session, tmp_path) -> None:
    """Issue 9 item 12: the floor share is the value in force on the loading day, not on a
    fixed 2026-03-09. With 0.5 until 2026-09-30 and 0.6 from 2026-10-01, stocks loaded on
    2026-11-30 get floors of ceil(stock x 0.6)."""
    overlay = tmp_path / "floor.yaml"
    overlay.write_text(
        "description: a later floor share\noverrides:\n  energy.swap.floor_share:\n"
        "    2026-10-01: {value: 0.6, reference: {title: test, section: '3 ①'}}\n",
        encoding="utf-8",
    )
    load_reference(session=session, params=PARAMS.with_scenario(overlay), on=TODAY)
    session.commit()
    stocks = session.execute(select(SiteStock)).scalars().all()
    assert stocks and all(s.floor_bbl == -(-s.stock_bbl * 6 // 10) for s in stocks)


def test_cli_and_api_rescind(cli, api_client, auth_headers) -> None:
    res = cli(["energy", "alert", "decide", "--resource", "gas", "--level", "관심",
               "--reason", "x", "--on", "2099-01-01"])  # fmt: skip
    assert res.exit_code == 2 and "on:" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    res = cli(["energy", "alert", "decide", "--resource", "gas", "--level", "관심",
               "--reason", "x", "--json"])  # fmt: skip
    assert res.exit_code == 0, res.stderr
    decision_id = json.loads(res.stdout)["id"]
    res = cli(["energy", "alert", "rescind", str(decision_id), "--reason", "wrong resource",
               "--json"])  # fmt: skip
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["level_in_force"] == "정상"
    # API: future date refused; viewer may not rescind; operator rescinds with a reason
    body = {"resource": "gas", "level": "관심", "reason": "x", "on": "2099-01-01"}
    op = auth_headers("operator")
    res = api_client.post("/api/v1/energy/alerts/decisions", json=body, headers=op)
    assert res.status_code == 422 and res.json()["field"] == "on"
    res = api_client.post("/api/v1/energy/alerts/decisions", json={**body, "on": None}, headers=op)
    assert res.status_code == 201, res.text
    decision_id = res.json()["id"]
    url = f"/api/v1/energy/alerts/decisions/{decision_id}/rescind"
    viewer = auth_headers("viewer")
    assert api_client.post(url, json={"reason": "x"}, headers=viewer).status_code == 403
    assert api_client.post(url, json={}, headers=op).status_code == 422
    res = api_client.post(url, json={"reason": "duplicate"}, headers=op)
    assert res.status_code == 200, res.text
    assert api_client.post(url, json={"reason": "again"}, headers=op).status_code == 404


def test_api_decision_refuses_unknown_keys_and_nan(api_client, auth_headers) -> None:
    op = auth_headers("operator")
    body = {"resource": "crude", "level": "관심", "reason": "x", "indicators": {"foo": 1}}
    res = api_client.post("/api/v1/energy/alerts/decisions", json=body, headers=op)
    assert res.status_code == 422 and "foo" in res.text
    res = api_client.post(
        "/api/v1/energy/alerts/decisions",
        content=b'{"resource": "crude", "level": "\\uad00\\uc2ec", "reason": "x", '
        b'"indicators": {"price_change": NaN}}',
        headers={**op, "content-type": "application/json"},
    )
    assert res.status_code == 422, res.text
