"""SWAP ledger life cycle, invariants, bad input and idempotency on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from tiro.core.audit import verify_chain
from tiro.core.errors import Conflict, InvalidInput
from tiro.core.models import AuditEntry
from tiro.energy.models import SiteStock, SwapLoan
from tiro.energy.swap import queries as swap_queries
from tiro.energy.swap import service as swap_service

from .swap_factories import ETA, PARAMS, cargo, confirmed_loan, small_ledger


def _stock(session) -> SiteStock:
    session.expire_all()
    return session.execute(select(SiteStock)).scalar_one()


@pytest.mark.postgres
def test_life_cycle_worked_example(session) -> None:
    small_ledger(session)  # stock 1,000,000, floor 400,000
    loan_id = confirmed_loan(session, volume=250_000)
    swap_service.release(session=session, params=PARAMS, key="rel", actor="op", loan_id=loan_id,
                         on=dt.date(2026, 3, 21))  # fmt: skip
    session.commit()
    # 1,000,000 − 250,000 = 750,000 left; released 250,000 = repaid 0 + outstanding 250,000
    assert (_stock(session).stock_bbl, _stock(session).outstanding_bbl) == (750_000, 250_000)
    swap_service.arrive(session=session, key="arr", actor="op", loan_id=loan_id, on=ETA)
    swap_service.repay(
        session=session, key="p1", actor="op", loan_id=loan_id, volume_bbl=100_000, on=ETA
    )
    session.commit()
    # partial: 750,000 + 100,000 = 850,000; outstanding 250,000 − 100,000 = 150,000
    s = _stock(session)
    assert (s.stock_bbl, s.repaid_bbl, s.outstanding_bbl) == (850_000, 100_000, 150_000)
    done = swap_service.repay(session=session, key="p2", actor="op", loan_id=loan_id,
                              volume_bbl=150_000, on=ETA + dt.timedelta(days=3))  # fmt: skip
    session.commit()
    assert (done["status"], done["closed_on"]) == ("closed", "2026-04-23")
    s = _stock(session)
    assert (s.stock_bbl, s.released_bbl, s.repaid_bbl, s.outstanding_bbl) == (
        1_000_000,
        250_000,
        250_000,
        0,
    )
    actions = (
        session.execute(
            select(AuditEntry.action)
            .where(AuditEntry.entity == "energy_swap_loan")
            .order_by(AuditEntry.id)
        )
        .scalars()
        .all()
    )
    assert actions == ["energy.swap.request", "energy.swap.confirm", "energy.swap.release",
                       "energy.swap.arrive", "energy.swap.repay", "energy.swap.repay"]  # fmt: skip
    assert verify_chain(session).ok


@pytest.mark.postgres
def test_premium_barrels_from_a_scenario(session, tmp_path) -> None:
    overlay = tmp_path / "spr_like.yaml"
    overlay.write_text(
        "description: SPR-style premium\noverrides:\n  energy.swap.premium_rate:\n"
        "    2026-03-09: {value: 0.023, reference: {title: 'Argus: premiums 2.3-9.1%', section: '3 ①'}}\n",
        encoding="utf-8",
    )
    params = PARAMS.with_scenario(overlay)
    small_ledger(session)
    loan_id = confirmed_loan(session, volume=200_000)
    out = swap_service.release(
        session=session, params=params, key="rel", actor="op", loan_id=loan_id, on=ETA
    )
    # 200,000 × 0.023 = 4,600 premium barrels (integer, rounded up)
    assert out["premium_due_bbl"] == 4_600
    swap_service.arrive(session=session, key="arr", actor="op", loan_id=loan_id, on=ETA)
    session.commit()
    with pytest.raises(InvalidInput) as err:  # 204,601 > 200,000 + 4,600
        swap_service.repay(
            session=session, key="big", actor="op", loan_id=loan_id, volume_bbl=204_601, on=ETA
        )
    assert err.value.field == "volume_bbl"
    session.rollback()
    replay = swap_service.arrive(session=session, key="arr", actor="op", loan_id=loan_id, on=ETA)
    assert replay["replayed"] and replay["status"] == "arrived"  # the first result, as it was
    out = swap_service.repay(
        session=session, key="all", actor="op", loan_id=loan_id, volume_bbl=204_600, on=ETA
    )
    assert out["status"] == "closed"
    session.commit()
    s = _stock(session)
    # 1,000,000 − 200,000 + 204,600 = 1,004,600; premium kept apart from the loan identity
    assert (s.stock_bbl, s.premium_received_bbl, s.outstanding_bbl) == (1_004_600, 4_600, 0)


@pytest.mark.postgres
def test_bad_input_is_refused_and_changes_nothing(session) -> None:
    small_ledger(session)
    loan_id = confirmed_loan(session, volume=200_000)
    unconfirmed = swap_service.request_loan(
        session=session, params=PARAMS, key="unconf", actor="t", **cargo()
    )
    session.commit()
    cases = [
        (lambda: swap_service.request_loan(session=session, params=PARAMS, key="neg", actor="t",
                                           **cargo(requested_bbl=-5)), InvalidInput, "requested_bbl"),
        (lambda: swap_service.request_loan(session=session, params=PARAMS, key="big", actor="t",
                                           **cargo(requested_bbl=300_001)), InvalidInput, "requested_bbl"),
        (lambda: swap_service.request_loan(session=session, params=PARAMS, key="frac", actor="t",
                                           **cargo(requested_bbl=1.5)), InvalidInput, "requested_bbl"),
        (lambda: swap_service.request_loan(session=session, params=PARAMS, key="site", actor="t",
                                           **cargo(site="busan")), InvalidInput, "site"),
        (lambda: swap_service.request_loan(session=session, params=PARAMS, key="grade", actor="t",
                                           **cargo(grade="Brent")), InvalidInput, "grade"),
        (lambda: swap_service.request_loan(session=session, params=PARAMS, key="", actor="t",
                                           **cargo()), InvalidInput, "idempotency_key"),
        (lambda: swap_service.release(session=session, params=PARAMS, key="early", actor="t",
                                      loan_id=unconfirmed["id"], on=ETA), Conflict, "loan_id"),
        (lambda: swap_service.release(session=session, params=PARAMS, key="over", actor="t",
                                      loan_id=loan_id, on=ETA, volume_bbl=200_001), InvalidInput, "volume_bbl"),
        (lambda: swap_service.repay(session=session, key="norepay", actor="t", loan_id=loan_id,
                                    volume_bbl=1, on=ETA), Conflict, "loan_id"),
        (lambda: swap_service.confirm_loading(session=session, key="neg-bl", actor="t", loan_id=loan_id,
                                              bl_number="X", confirmed_bbl=-1), InvalidInput, "confirmed_bbl"),
    ]  # fmt: skip
    before = swap_queries.status(session=session, as_of=ETA)
    audit_before = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    for call, error, field in cases:
        with pytest.raises(error) as err:
            call()
        session.rollback()
        assert err.value.field == field
    assert swap_queries.status(session=session, as_of=ETA) == before
    assert (
        session.execute(select(func.count()).select_from(AuditEntry)).scalar_one() == audit_before
    )


@pytest.mark.postgres
def test_floor_and_loan_within_cargo(session) -> None:
    small_ledger(session)  # 600,000 above the floor
    a = confirmed_loan(session, volume=250_000)
    b = confirmed_loan(session, volume=250_000)
    c = confirmed_loan(session, volume=200_000)
    for loan_id in (a, b):
        swap_service.release(
            session=session, params=PARAMS, key=f"r{loan_id}", actor="t", loan_id=loan_id, on=ETA
        )
    session.commit()
    with pytest.raises(
        Conflict
    ) as err:  # 1,000,000 − 500,000 = 500,000; 500,000 − 200,000 < 400,000
        swap_service.release(session=session, params=PARAMS, key="rc", actor="t", loan_id=c, on=ETA)
    session.rollback()
    assert "above its floor" in err.value.message
    assert _stock(session).stock_bbl == 500_000
    # the B/L caps the loan: cargo confirmed at 150,000 → approved 150,000 of 200,000 asked
    loan = swap_service.request_loan(
        session=session, params=PARAMS, key="small", actor="t", **cargo()
    )
    out = swap_service.confirm_loading(session=session, key="smallbl", actor="t", loan_id=loan["id"],
                                       bl_number="BL", confirmed_bbl=150_000)  # fmt: skip
    assert out["approved_bbl"] == 150_000


@pytest.mark.postgres
def test_database_checks_refuse_a_direct_overdraw(session) -> None:
    small_ledger(session)
    with pytest.raises(IntegrityError):
        session.execute(text("UPDATE energy_site_stocks SET stock_bbl = 399999"))
        session.flush()
    session.rollback()
    with pytest.raises(IntegrityError):  # released ≠ repaid + outstanding
        session.execute(text("UPDATE energy_site_stocks SET released_bbl = 5"))
        session.flush()
    session.rollback()
    loan_id = confirmed_loan(session, volume=200_000)
    with pytest.raises(IntegrityError):  # a loan above its confirmed cargo (300,000)
        session.execute(
            text("UPDATE energy_swap_loans SET approved_bbl = 300001 WHERE id = :i"), {"i": loan_id}
        )
        session.flush()
    session.rollback()
    assert session.get(SwapLoan, loan_id).approved_bbl == 200_000


@pytest.mark.postgres
def test_idempotent_keys(session) -> None:
    small_ledger(session)
    first = swap_service.request_loan(
        session=session, params=PARAMS, key="same", actor="t", **cargo()
    )
    again = swap_service.request_loan(
        session=session, params=PARAMS, key="same", actor="t", **cargo()
    )
    session.commit()
    assert (first["replayed"], again["replayed"]) == (False, True)
    first.pop("replayed"), again.pop("replayed")
    assert again == first
    assert session.execute(select(func.count()).select_from(SwapLoan)).scalar_one() == 1
    with pytest.raises(Conflict) as err:
        swap_service.request_loan(
            session=session, params=PARAMS, key="same", actor="t", **cargo(requested_bbl=1)
        )
    assert err.value.field == "idempotency_key"


def test_overdue_flag(session) -> None:
    small_ledger(session)
    loan_id = confirmed_loan(session, volume=100_000)
    swap_service.release(
        session=session, params=PARAMS, key="r", actor="t", loan_id=loan_id, on=ETA
    )
    session.commit()
    grace = PARAMS.at("energy.swap.repayment_grace_days", ETA)  # 14 days after the ETA
    due = ETA + dt.timedelta(days=grace)
    on_time = swap_queries.status(session=session, as_of=due)
    late = swap_queries.status(session=session, as_of=due + dt.timedelta(days=1))
    assert (on_time["loans"][0]["overdue"], late["loans"][0]["overdue"]) == (False, True)
    assert late["totals"]["overdue_loans"] == 1 and late["ledger_balanced"]
