"""Alert decisions on SQLite and PostgreSQL: confirm, override, record, audit, bad input."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from tiro.core.audit import verify_chain
from tiro.core.errors import Conflict, InvalidInput
from tiro.core.models import AuditEntry
from tiro.core.parameters import get_params
from tiro.energy.alerts import service as alert_service
from tiro.energy.models import AlertDecision
from tiro.energy.reference import load_reference

PARAMS = get_params()


@pytest.mark.postgres
def test_seeded_timeline_and_decisions(session) -> None:
    counts = load_reference(session=session)
    session.commit()
    assert counts["alert_decisions"] == 6
    assert load_reference(session=session)["alert_decisions"] == 0  # idempotent
    crude = alert_service.history(session=session, resource="crude")
    assert [(d["decided_on"].isoformat(), d["level"]) for d in crude] == [
        ("2026-03-05", "관심"),
        ("2026-03-18", "주의"),
        ("2026-04-02", "경계"),
        ("2026-07-01", "주의"),  # SBS 2026-06-30: 경계 → 주의 from 7/1
    ]
    # beside each issued decision, the rules on that day's shipped indicators: 3/5 price +10%
    # with the Hormuz flag → 관심; 3/18 +40% → 주의; 4/2 shortfall 10% (sample) → 경계; no
    # indicators were published around 7/1, so the rules say nothing there
    assert [d["recommended_level"] for d in crude] == ["관심", "주의", "경계", None]
    assert [d["kind"] for d in crude] == ["record"] * 4
    assert crude[0]["indicators"]["price_change"] == 0.1
    assert (crude[0]["indicators"]["label"], crude[2]["indicators"]["label"]) == (
        "public",
        "sample",
    )
    current = alert_service.current_levels(session=session, params=PARAMS, on=dt.date(2026, 11, 25))
    assert [(c["resource"], c["level"]) for c in current] == [("crude", "주의"), ("gas", "주의")]

    # an override: indicators recommend 경계 (shortfall 0.12 ≥ 0.10, < 0.30), official says 심각
    out = alert_service.decide(
        session=session, params=PARAMS, resource="crude", level="심각", on=dt.date(2026, 11, 20),
        actor="op", reason="two refineries idle", indicators={"disrupted_share": 0.12},
    )  # fmt: skip
    assert (out["kind"], out["recommended_level"], out["previous_level"]) == (
        "override",
        "경계",
        "주의",
    )
    # a confirmation: 0.05 shortfall, no price signal → rules recommend 정상; official lifts
    out = alert_service.decide(
        session=session, params=PARAMS, resource="crude", level="정상", on=dt.date(2026, 11, 24),
        actor="op", reason="supply normal", indicators={"disrupted_share": 0.0},
    )  # fmt: skip
    assert (out["kind"], out["recommended_level"], out["measures"]) == ("confirm", "정상", [])
    session.commit()
    entries = (
        session.execute(
            select(AuditEntry)
            .where(AuditEntry.entity == "energy_alert_decision")
            .order_by(AuditEntry.id)
        )
        .scalars()
        .all()
    )
    assert [e.action for e in entries][-2:] == ["energy.alert.override", "energy.alert.confirm"]
    assert verify_chain(session).ok


BAD_DECISIONS = [
    ({"level": "위험"}, InvalidInput, "level"),
    ({"level": "5"}, InvalidInput, "level"),
    ({"resource": "coal"}, InvalidInput, "resource"),
    ({"reason": "  "}, InvalidInput, "reason"),
    ({"level": "주의"}, Conflict, "level"),  # already at 주의 since 7/1
    ({"on": dt.date(2026, 6, 1)}, InvalidInput, "on"),  # before the decision in force (7/1)
    ({"indicators": {"oil": 1}}, InvalidInput, "indicators"),
]


@pytest.mark.postgres
def test_bad_decisions_change_nothing(session) -> None:
    load_reference(session=session)
    session.commit()
    before = session.execute(select(func.count()).select_from(AlertDecision)).scalar_one()
    audit_before = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    for kwargs, error, field in BAD_DECISIONS:
        args = {"resource": "crude", "level": "심각", "on": dt.date(2026, 11, 25), "reason": "r"}
        with pytest.raises(error) as err:
            alert_service.decide(session=session, params=PARAMS, actor="op", **(args | kwargs))
        session.rollback()
        assert err.value.field == field, kwargs
    assert session.execute(select(func.count()).select_from(AlertDecision)).scalar_one() == before
    assert (
        session.execute(select(func.count()).select_from(AuditEntry)).scalar_one() == audit_before
    )


def test_api_decision_needs_operator_and_is_audited(api_client, auth_headers, configured) -> None:
    from tiro.core.db import get_engine, session_scope

    with session_scope(get_engine(configured)) as s:
        load_reference(session=s)
    body = {
        "resource": "gas",
        "level": "경계",
        "reason": "LNG cargoes cancelled",
        "on": "2026-11-25",
        "indicators": {"stock_ratio": 0.75},
    }
    assert api_client.post("/api/v1/energy/alerts/decisions", json=body).status_code == 401
    viewer = api_client.post(
        "/api/v1/energy/alerts/decisions", json=body, headers=auth_headers("analyst")
    )
    assert viewer.status_code == 403
    ok = api_client.post(
        "/api/v1/energy/alerts/decisions", json=body, headers=auth_headers("operator")
    )
    assert ok.status_code == 201, ok.text
    # stock 0.75 < 0.8 → 주의 recommended; the official chose 경계 → override
    assert (ok.json()["kind"], ok.json()["recommended_level"]) == ("override", "주의")
    bad = api_client.post(
        "/api/v1/energy/alerts/decisions",
        json=body | {"level": "적색"},
        headers=auth_headers("operator"),
    )
    assert bad.status_code == 422 and bad.json()["field"] == "level"
    history = api_client.get("/api/v1/energy/alerts/history", params={"resource": "gas"}).json()
    assert [h["level"] for h in history] == ["관심", "주의", "경계"]
    evaluated = api_client.post(
        "/api/v1/energy/alerts/evaluate",
        json={"resource": "crude", "price_change": 0.1, "transport_risk": True},
    ).json()
    assert evaluated["level"] == "관심"
    replayed = api_client.get("/api/v1/energy/alerts/replay").json()
    assert len(replayed) == 6
    path = api_client.get("/api/v1/energy/alerts/path").json()
    crude = [(p["date"], p["recommended"], p["label"]) for p in path if p["resource"] == "crude"]
    assert crude == [("2026-02-27", "정상", "public"), ("2026-03-05", "관심", "public"),
                     ("2026-03-18", "주의", "public"), ("2026-04-02", "경계", "sample"),
                     ("2026-05-27", "경계", "public")]  # fmt: skip


def test_cli_evaluate_contract(cli) -> None:
    result = cli(["energy", "alert", "evaluate", "--resource", "crude", "--price-change", "0.12",
                  "--transport-risk", "--json"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"resource", "level", "rules"} <= set(data)
    assert (data["resource"], data["level"]) == ("crude", "관심")
    assert data["rules"][0]["threshold"] == 0.1
    gas = json.loads(
        cli(
            ["energy", "alert", "evaluate", "--resource", "gas", "--stock-ratio", "1.05", "--json"]
        ).stdout
    )
    assert (gas["level"], gas["rules"]) == ("정상", [])
    index = json.loads(
        cli(
            ["energy", "alert", "evaluate", "--resource", "crude", "--index", "4.6", "--json"]
        ).stdout
    )
    assert index["level"] == "심각"  # 4.6 ≥ 4.5
    bad = cli(["energy", "alert", "evaluate", "--resource", "coal", "--json"])
    assert bad.exit_code != 0 and bad.stderr.strip().startswith("error: resource:")


def test_cli_decide_and_history(cli) -> None:
    assert cli(["db", "seed"]).exit_code == 0
    out = cli(
        [
            "energy",
            "alert",
            "decide",
            "--resource",
            "crude",
            "--level",
            "관심",
            "--on",
            "2026-11-25",
            "--reason",
            "shortfall eased",
            "--actor",
            "kim",
            "--disrupted-share",
            "0.02",
            "--price-change",
            "0.12",
            "--transport-risk",
            "--json",
        ]
    )
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    # 0.12 ≥ 0.10 with risk → 관심; 주의 in force is not held (0.12 < 0.40 × 0.8 = 0.32) and
    # 0.02 shortfall fires nothing → recommended 관심 = decided → confirm
    assert (data["kind"], data["actor"], data["previous_level"]) == ("confirm", "kim", "주의")
    bad = cli(
        ["energy", "alert", "decide", "--resource", "crude", "--level", "최고", "--reason", "x"]
    )
    assert bad.exit_code != 0 and "error: level:" in bad.stderr
    history = json.loads(
        cli(["energy", "alert", "history", "--resource", "crude", "--json"]).stdout
    )
    assert [h["level"] for h in history] == ["관심", "주의", "경계", "주의", "관심"]


def test_cli_history_human_lines_keep_reason_and_source(cli) -> None:
    assert cli(["db", "seed"]).exit_code == 0
    out = cli(["energy", "alert", "history", "--resource", "crude"])
    assert out.exit_code == 0, out.stderr
    text = " ".join(out.stdout.split())
    assert "2026-03-18 crude 관심 → 주의 (record, rules: 주의)" in text
    assert "<https://pcaview.com/contents/38739>" in text  # the source is not eaten as markup
