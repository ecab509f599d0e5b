"""Subsidy claims ledger on SQLite and PostgreSQL: life cycle, refusals, never paid twice,
concurrent approvals never overspend the budget (KRW 674.4bn, report 3 ②)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import Counter

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from tiro.core.audit import verify_chain
from tiro.core.db import get_engine, session_scope
from tiro.core.errors import Conflict, InvalidInput, TiroError
from tiro.core.models import AuditEntry
from tiro.core.parameters import get_params
from tiro.energy.subsidies import claims
from tiro.energy.subsidies.models import SubsidyBudget, SubsidyClaim

PARAMS = get_params()
DAY = dt.date(2026, 4, 1)
BUDGET = 674_400_000_000
BN = 1_000_000_000


def _submit(session, i: int, amount: int = 100 * BN, **kw):
    args = {"programme": "naphtha", "claimant": f"ncc{i % 3}", "reference": f"cargo-{i}",
            "claimed_krw": amount, "on": DAY}  # fmt: skip
    args.update(kw)
    return claims.submit(session=session, params=PARAMS, key=f"k{i}", actor="t", **args)


@pytest.mark.postgres
def test_life_cycle_and_refusals(session):
    first = _submit(session, 1, 150 * BN)
    assert first["status"] == "submitted" and first["budget"]["budget_krw"] == BUDGET
    # same key, same content: the first claim again; same key, other content: refused
    again = _submit(session, 1, 150 * BN)
    assert again["replayed"] and again["id"] == first["id"]
    with pytest.raises(Conflict) as exc:
        _submit(session, 1, 151 * BN)
    assert exc.value.field == "idempotency_key"
    # the same cargo claimed twice under another key: refused naming the reference
    with pytest.raises(Conflict) as exc:
        claims.submit(session=session, params=PARAMS, key="other", actor="t", programme="naphtha",
                      claimant="ncc1", reference="cargo-1", claimed_krw=BN, on=DAY)  # fmt: skip
    assert exc.value.field == "reference"
    with pytest.raises(InvalidInput) as exc:
        _submit(session, 2, 0)
    assert exc.value.field == "claimed_krw"
    with pytest.raises(InvalidInput) as exc:
        _submit(session, 3, programme="freight")
    assert exc.value.field == "programme"

    cid = first["id"]
    with pytest.raises(Conflict):  # not approved yet
        claims.pay(session=session, actor="t", claim_id=cid, on=DAY)
    approved = claims.approve(session=session, actor="t", claim_id=cid, on=DAY, amount_krw=120 * BN)
    assert approved["budget"]["remaining_krw"] == BUDGET - 120 * BN  # 554.4bn
    paid = claims.pay(session=session, actor="t", claim_id=cid, on=DAY)
    assert paid["status"] == "paid" and paid["budget"]["paid_krw"] == 120 * BN
    with pytest.raises(Conflict, match="already paid"):
        claims.pay(session=session, actor="t", claim_id=cid, on=DAY)
    with pytest.raises(Conflict):
        claims.approve(session=session, actor="t", claim_id=cid, on=DAY)

    other = _submit(session, 4, 10 * BN)
    with pytest.raises(InvalidInput) as exc:
        claims.reject(session=session, actor="t", claim_id=other["id"], on=DAY, reason=" ")
    assert exc.value.field == "reason"
    rejected = claims.reject(session=session, actor="t", claim_id=other["id"], on=DAY,
                             reason="cargo not from an eligible origin")  # fmt: skip
    assert rejected["status"] == "rejected" and rejected["reason"].startswith("cargo")
    with pytest.raises(Conflict):
        claims.pay(session=session, actor="t", claim_id=other["id"], on=DAY)

    big = _submit(session, 5, 600 * BN)
    with pytest.raises(Conflict, match="554,400,000,000 won left") as exc:
        claims.approve(session=session, actor="t", claim_id=big["id"], on=DAY)
    assert exc.value.field == "amount_krw"
    session.commit()
    book = claims.ledger(session=session, programme="naphtha")
    assert [c["status"] for c in book["claims"]] == ["paid", "rejected", "submitted"]
    actions = session.execute(select(AuditEntry.action)).scalars().all()
    assert Counter(a for a in actions if a.startswith("subsidy."))["subsidy.pay"] == 1
    assert verify_chain(session).ok


@pytest.mark.postgres
def test_database_refuses_overspending_and_bad_states(session):
    _submit(session, 1, 10 * BN)
    session.commit()
    with pytest.raises(IntegrityError):
        session.execute(text("UPDATE energy_subsidy_budgets SET committed_krw = budget_krw + 1"))
        session.flush()
    session.rollback()
    with pytest.raises(IntegrityError):
        session.execute(text("UPDATE energy_subsidy_claims SET status = 'paid'"))
        session.flush()
    session.rollback()


@pytest.mark.postgres
def test_concurrent_approvals_never_overspend(db_url, capsys):
    engine = get_engine(db_url)
    with session_scope(engine) as s:
        ids = [_submit(s, i)["id"] for i in range(10)]  # 10 claims of 100bn
    barrier = threading.Barrier(len(ids))
    outcomes: list[str] = []
    lock = threading.Lock()

    def approve(claim_id: int) -> None:
        barrier.wait()
        try:
            with session_scope(engine) as s:
                claims.approve(session=s, actor="t", claim_id=claim_id, on=DAY)
            result = "approved"
        except TiroError as exc:
            result = type(exc).__name__
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=approve, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # floor(674.4bn / 100bn) = 6 approvals fit; the other 4 are refused
    assert Counter(outcomes) == {"approved": 6, "Conflict": 4}, outcomes

    def pay(claim_id: int) -> None:
        barrier2.wait()
        try:
            with session_scope(engine) as s:
                claims.pay(session=s, actor="t", claim_id=claim_id, on=DAY)
            result = "paid"
        except TiroError as exc:
            result = type(exc).__name__
        with lock:
            paid.append(result)

    with session_scope(engine) as s:
        approved = (
            s.execute(select(SubsidyClaim.id).where(SubsidyClaim.status == "approved"))
            .scalars()
            .all()
        )
    paid: list[str] = []
    calls = approved * 2  # each approved claim paid twice at once
    barrier2 = threading.Barrier(len(calls))
    threads = [threading.Thread(target=pay, args=(i,)) for i in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Counter(paid) == {"paid": 6, "Conflict": 6}, paid
    with session_scope(engine) as s:
        budget = s.get(SubsidyBudget, "naphtha")
        total_paid = s.execute(
            select(func.sum(SubsidyClaim.approved_krw)).where(SubsidyClaim.status == "paid")
        ).scalar_one()
        assert (budget.committed_krw, budget.paid_krw, total_paid) == (600 * BN, 600 * BN, 600 * BN)
        assert verify_chain(s).ok
    with capsys.disabled():
        print(f"\n[{engine.dialect.name}] 10 concurrent approvals of 100bn in 674.4bn: "
              f"{Counter(outcomes)}; 12 concurrent payments of 6 claims: {Counter(paid)}")  # fmt: skip


def test_claims_through_cli_and_api(cli, api_client, auth_headers):
    out = cli(["energy", "subsidy", "claims", "submit", "--key", "c1", "--claimant", "ncc",
               "--reference", "INV-1", "--claimed-krw", "5000", "--date", "2026-04-01", "--json"])  # fmt: skip
    assert out.exit_code == 0, out.stderr
    cid = json.loads(out.stdout)["id"]
    out = cli(
        ["energy", "subsidy", "claims", "approve", str(cid), "--date", "2026-04-02", "--json"]
    )
    assert json.loads(out.stdout)["budget"]["remaining_krw"] == BUDGET - 5000
    out = cli(["energy", "subsidy", "claims", "pay", str(cid), "--date", "2026-04-03", "--json"])
    assert json.loads(out.stdout)["status"] == "paid"
    again = cli(["energy", "subsidy", "claims", "pay", str(cid), "--date", "2026-04-03", "--json"])
    assert again.exit_code != 0 and "already paid" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1

    headers = auth_headers("operator")
    body = {"claimant": "ncc", "reference": "INV-2", "claimed_krw": 7000, "on": "2026-04-01"}
    r = api_client.post("/api/v1/energy/subsidy/claims", json=body)
    assert r.status_code in (401, 403)
    r = api_client.post("/api/v1/energy/subsidy/claims", json=body,
                        headers={**headers, "Idempotency-Key": "a1"})  # fmt: skip
    assert r.status_code == 201, r.text
    second = r.json()["id"]
    r = api_client.post("/api/v1/energy/subsidy/claims", json={**body, "claimed_krw": -1},
                        headers={**headers, "Idempotency-Key": "a2"})  # fmt: skip
    assert r.status_code == 422 and r.json()["field"] == "claimed_krw"
    r = api_client.post(f"/api/v1/energy/subsidy/claims/{second}/reject",
                        json={"on": "2026-04-02", "reason": "duplicate invoice"}, headers=headers)  # fmt: skip
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    book = api_client.get("/api/v1/energy/subsidy/claims").json()
    assert book["budget"]["paid_krw"] == 5000
    assert [c["status"] for c in book["claims"]] == ["paid", "rejected"]
