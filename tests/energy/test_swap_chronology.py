"""Issue 9 items 7 and 5: a SWAP loan's dates go forward only, in the service and in the database.

The life cycle is request (loading ≤ ETA) → B/L (never above the declared cargo) → release
(≥ loading) → arrival (≥ release) → repayments (≥ arrival, each ≥ the one before) → closing.
No step is dated after today. The old code took a release in 2099 with arrival and closing in
2026, and a repayment dated before the loan was loaded.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from tiro.core.db import get_engine, session_factory
from tiro.core.errors import Conflict, InvalidInput
from tiro.core.models import AuditEntry
from tiro.energy.models import SwapLoan
from tiro.energy.swap import service as swap_service

from .swap_factories import ETA, LOADED, PARAMS, confirmed_loan, key, small_ledger

TODAY = dt.date(2026, 6, 30)


def _release(session, loan_id, on, today=TODAY):
    return swap_service.release(session=session, params=PARAMS, key=key("rel"), actor="op",
                                loan_id=loan_id, on=on, today=today)  # fmt: skip


def _arrive(session, loan_id, on, today=TODAY):
    return swap_service.arrive(session=session, key=key("arr"), actor="op", loan_id=loan_id,
                               on=on, today=today)  # fmt: skip


def _repay(session, loan_id, volume, on, today=TODAY):
    return swap_service.repay(session=session, key=key("pay"), actor="op", loan_id=loan_id,
                              volume_bbl=volume, on=on, today=today)  # fmt: skip


@pytest.mark.postgres
def test_the_issue_example_is_refused_at_each_step(session) -> None:
    small_ledger(session)
    loan_id = confirmed_loan(session, volume=200_000)
    with pytest.raises(InvalidInput) as err:  # a release in 2099
        _release(session, loan_id, dt.date(2099, 1, 1))
    assert err.value.field == "on" and "after today" in err.value.message
    session.rollback()
    _release(session, loan_id, dt.date(2026, 4, 10))
    session.commit()
    with pytest.raises(InvalidInput) as err:  # arrival before the release (after loading)
        _arrive(session, loan_id, dt.date(2026, 4, 1))
    assert err.value.field == "on" and "before the release on 2026-04-10" in err.value.message
    session.rollback()
    _arrive(session, loan_id, dt.date(2026, 4, 20))
    session.commit()
    with pytest.raises(InvalidInput) as err:  # repayment dated before loading (3/20)
        _repay(session, loan_id, 50_000, dt.date(2026, 3, 1))
    assert "before the cargo's arrival on 2026-04-20" in err.value.message
    session.rollback()
    _repay(session, loan_id, 50_000, dt.date(2026, 5, 10))
    session.commit()
    with pytest.raises(InvalidInput) as err:  # a later repayment dated before the previous one
        _repay(session, loan_id, 150_000, dt.date(2026, 5, 1))
    assert "before the previous repayment on 2026-05-10" in err.value.message
    session.rollback()
    with pytest.raises(InvalidInput):  # closing in the future
        _repay(session, loan_id, 150_000, dt.date(2026, 7, 1))
    session.rollback()
    done = _repay(session, loan_id, 150_000, dt.date(2026, 5, 10))
    session.commit()
    assert (done["status"], done["closed_on"]) == ("closed", "2026-05-10")
    loan = session.get(SwapLoan, loan_id)
    assert LOADED <= loan.released_on <= loan.arrived_on <= loan.closed_on


@pytest.mark.postgres
def test_database_holds_the_date_order(session) -> None:
    small_ledger(session)
    loan_id = confirmed_loan(session, volume=200_000)
    _release(session, loan_id, dt.date(2026, 4, 10))
    _arrive(session, loan_id, dt.date(2026, 4, 20))
    session.commit()
    bad_updates = [
        "UPDATE energy_swap_loans SET released_on = '2026-03-01' WHERE id = :i",  # < loading
        "UPDATE energy_swap_loans SET arrived_on = '2026-04-09' WHERE id = :i",  # < release
        "UPDATE energy_swap_loans SET released_on = '2099-01-01' WHERE id = :i",  # > arrival
        "UPDATE energy_swap_loans SET closed_on = '2026-04-19' WHERE id = :i",  # < arrival
        "UPDATE energy_swap_loans SET status = 'closed' WHERE id = :i",  # closed, no date
        "UPDATE energy_swap_loans SET released_on = NULL WHERE id = :i",  # arrived, no release
        "UPDATE energy_swap_loans SET due_date = '2026-04-01' WHERE id = :i",  # due < ETA
    ]
    for sql in bad_updates:
        with pytest.raises(IntegrityError):
            session.execute(text(sql), {"i": loan_id})
            session.flush()
        session.rollback()
    loan = session.get(SwapLoan, loan_id)
    assert (loan.released_on, loan.arrived_on) == (dt.date(2026, 4, 10), dt.date(2026, 4, 20))


def test_bill_of_lading_larger_than_its_cargo_is_refused(session) -> None:
    small_ledger(session)
    loan = swap_service.request_loan(session=session, params=PARAMS, key=key("req"), actor="t",
                                     refiner="r1", site="test", grade="Oman", vessel="MT",
                                     origin="US", cargo_grade="WTI", cargo_bbl=300_000,
                                     loading_date=LOADED, eta=ETA, requested_bbl=200_000)  # fmt: skip
    with pytest.raises(InvalidInput) as err:
        swap_service.confirm_loading(session=session, key=key("bl"), actor="t",
                                     loan_id=loan["id"], bl_number="BL", confirmed_bbl=300_001)  # fmt: skip
    assert err.value.field == "confirmed_bbl" and "300000" in err.value.message


@pytest.mark.parametrize("volume", [10**19, 2**63])
def test_barrels_too_large_for_a_64_bit_column_are_refused(session, volume) -> None:
    small_ledger(session)
    with pytest.raises(InvalidInput) as err:
        swap_service.request_loan(session=session, params=PARAMS, key=key("req"), actor="t",
                                  refiner="r1", site="test", grade="Oman", vessel="MT",
                                  origin="US", cargo_grade="WTI", cargo_bbl=volume,
                                  loading_date=LOADED, eta=ETA, requested_bbl=1)  # fmt: skip
    assert err.value.field == "cargo_bbl"


@pytest.mark.postgres
def test_two_writers_repaying_at_once_keep_the_dates_in_order(db_url) -> None:
    """Two repayments of one loan race (5/20 and 5/5). The loan row is locked, so they run one
    after the other: whichever order, the stored repayment dates never go backwards."""
    factory = session_factory(get_engine(db_url))
    with factory() as s:
        small_ledger(s)
        loan_id = confirmed_loan(s, volume=200_000)
        _release(s, loan_id, dt.date(2026, 4, 10))
        _arrive(s, loan_id, dt.date(2026, 4, 20))
        s.commit()
    outcomes: dict[str, str] = {}
    barrier = threading.Barrier(2)

    def writer(on: dt.date) -> None:
        with factory() as s:
            barrier.wait()
            try:
                _repay(s, loan_id, 50_000, on)
                s.commit()
                outcomes[str(on)] = "ok"
            except (InvalidInput, Conflict) as exc:
                s.rollback()
                outcomes[str(on)] = exc.message

    threads = [threading.Thread(target=writer, args=(d,)) for d in
               (dt.date(2026, 5, 20), dt.date(2026, 5, 5))]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert outcomes["2026-05-20"] == "ok"
    # 5/5 either went first (both ok, in order) or second (refused: before 5/20)
    assert outcomes["2026-05-05"] in (
        "ok",
        "2026-05-05 is before the previous repayment on 2026-05-20",
    )
    oks = list(outcomes.values()).count("ok")
    with factory() as s:
        assert s.get(SwapLoan, loan_id).repaid_bbl == 50_000 * oks
        dates = (
            s.execute(
                select(AuditEntry.after)
                .where(
                    AuditEntry.action == "energy.swap.repay", AuditEntry.entity_id == str(loan_id)
                )
                .order_by(AuditEntry.id)
            )
            .scalars()
            .all()
        )
    stored = [d["on"] for d in dates]
    assert len(stored) == oks and stored == sorted(stored)


def _overlay(tmp_path, rounding: str | None, rate: str = "0.0231"):
    text = (
        "description: premium rounding what-if\noverrides:\n  energy.swap.premium_rate:\n"
        f"    2026-03-09: {{value: {rate}, reference: {{title: test, section: '3 ①'}}}}\n"
    )
    if rounding:
        text += (
            "  energy.swap.premium_rounding:\n"
            f"    2026-03-09: {{value: {rounding}, reference: {{title: test, section: '3 ①'}}}}\n"
        )
    path = tmp_path / f"premium_{rounding}.yaml"
    path.write_text(text, encoding="utf-8")
    return PARAMS.with_scenario(path)


@pytest.mark.parametrize(
    ("rounding", "due"),
    # 123,457 bbl x 0.0231 = 2,851.8567 premium barrels
    [(None, 2_852), ("ceiling", 2_852), ("half_up", 2_852), ("floor", 2_851)],
)
def test_premium_rounding_is_a_parameter(session, tmp_path, rounding, due) -> None:
    """Issue 9 item 12: the rounding of premium barrels is energy.swap.premium_rounding."""
    small_ledger(session)
    loan_id = confirmed_loan(session, volume=123_457)
    out = swap_service.release(session=session, params=_overlay(tmp_path, rounding),
                               key=key("rel"), actor="op", loan_id=loan_id, on=ETA)  # fmt: skip
    assert out["premium_due_bbl"] == due


def test_premium_rate_overlay_out_of_range_is_refused_not_a_check_violation(session, tmp_path):
    small_ledger(session)
    loan_id = confirmed_loan(session, volume=100_000)
    with pytest.raises(InvalidInput) as err:  # refused by the leaf's range or by the service
        swap_service.release(session=session, params=_overlay(tmp_path, None, rate="-0.5"),
                             key=key("rel"), actor="op", loan_id=loan_id, on=ETA)  # fmt: skip
    assert err.value.field in ("scenario", "energy.swap.premium_rate")


@pytest.mark.postgres
def test_text_longer_than_its_column_is_refused_not_a_database_error(session) -> None:
    small_ledger(session)
    with pytest.raises(InvalidInput) as err:
        swap_service.request_loan(session=session, params=PARAMS, key=key("req"), actor="t",
                                  refiner="r1", site="test", grade="Oman", vessel="v" * 121,
                                  origin="US", cargo_grade="WTI", cargo_bbl=300_000,
                                  loading_date=LOADED, eta=ETA, requested_bbl=1)  # fmt: skip
    assert err.value.field == "vessel"


def test_migration_lists_rows_that_break_the_order_before_changing_anything(tmp_path) -> None:
    """0003 refuses to upgrade a ledger whose loans already break the date order, naming them."""
    from tiro.core import migrate
    from tiro.core.db import _engine_for

    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrate.upgrade(url, "0002_energy")
    engine = get_engine(url)
    now = "2026-06-01 00:00:00"
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO energy_reserve_sites VALUES ('s', 's', 's', 'tanks', 10, 'x', :n, :n)"
        ), {"n": now})  # fmt: skip
        conn.execute(text("INSERT INTO energy_refiners VALUES ('r', 'r', 'r', 'x', 'x', :n, :n)"),
                     {"n": now})  # fmt: skip
        conn.execute(
            text(
                "INSERT INTO energy_swap_loans (id, request_key, refiner_code, site_code, grade, "
                "vessel, origin, cargo_grade, cargo_bbl, loading_date, eta, requested_bbl, "
                "bl_number, confirmed_cargo_bbl, approved_bbl, released_bbl, repaid_bbl, "
                "premium_due_bbl, premium_repaid_bbl, released_on, arrived_on, closed_on, "
                "due_date, status, created_at, updated_at) VALUES (7, 'k', 'r', 's', 'g', 'v', "
                "'o', 'g', 10, '2026-03-20', '2026-04-20', 5, 'b', 10, 5, 5, 0, 0, 0, "
                "'2099-01-01', '2026-04-20', NULL, '2026-05-04', 'arrived', :n, :n)"
            ),
            {"n": now},
        )
    with pytest.raises(RuntimeError) as err:
        migrate.upgrade(url)
    assert "arrived_after_release: loans 7" in str(err.value)
    with engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert version == "0002_energy"
    _engine_for(url).dispose()
