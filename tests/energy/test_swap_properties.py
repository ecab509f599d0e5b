"""Property test: any sequence of SWAP operations keeps the ledger's invariants.

Random releases, repayments and refused requests (overdraws, over-repayments) run against a
small ledger; after every step the site stays at or above its floor, released = repaid +
outstanding for the site-grade and equals the sum over its loans, and stock + outstanding −
premium received equals the opening stock (every barrel accounted for).
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, event, select
from sqlalchemy.orm import Session

from tiro.core.errors import TiroError
from tiro.energy.models import SiteStock, SwapLoan
from tiro.energy.swap import service as swap_service
from tiro.models import metadata

from .swap_factories import ETA, PARAMS, cargo, small_ledger

STOCK, FLOOR = 1_000_000, 400_000
ops = st.lists(
    st.tuples(st.sampled_from(["borrow", "repay"]), st.integers(1, 400_000), st.integers(0, 5)),
    min_size=1,
    max_size=12,
)


def _session() -> Session:
    engine = create_engine("sqlite://")

    @event.listens_for(engine, "connect")
    def _fk(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.execute("PRAGMA foreign_keys=ON")

    metadata.create_all(engine)
    return Session(engine, expire_on_commit=False)


def _check(session: Session) -> None:
    session.expire_all()
    stock = session.execute(select(SiteStock)).scalar_one()
    loans = session.execute(select(SwapLoan)).scalars().all()
    assert stock.stock_bbl >= stock.floor_bbl
    assert stock.released_bbl == stock.repaid_bbl + stock.outstanding_bbl
    assert stock.released_bbl == sum(loan.released_bbl for loan in loans)
    assert stock.repaid_bbl == sum(loan.repaid_bbl for loan in loans)
    assert stock.stock_bbl + stock.outstanding_bbl - stock.premium_received_bbl == STOCK
    for loan in loans:
        assert loan.repaid_bbl <= loan.released_bbl <= (loan.approved_bbl or 0) <= loan.cargo_bbl


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=ops)
def test_ledger_invariants_hold_under_any_sequence(steps) -> None:
    session = _session()
    small_ledger(session, stock=STOCK, floor=FLOOR)
    n = 0
    for kind, volume, pick in steps:
        n += 1
        try:
            if kind == "borrow":
                loan = swap_service.request_loan(session=session, params=PARAMS, key=f"q{n}", actor="p",
                                                 **cargo(requested_bbl=volume, cargo_bbl=400_000))  # fmt: skip
                swap_service.confirm_loading(session=session, key=f"b{n}", actor="p", loan_id=loan["id"],
                                             bl_number="BL", confirmed_bbl=400_000)  # fmt: skip
                swap_service.release(session=session, params=PARAMS, key=f"r{n}", actor="p",
                                     loan_id=loan["id"], on=ETA)  # fmt: skip
                swap_service.arrive(
                    session=session, key=f"a{n}", actor="p", loan_id=loan["id"], on=ETA
                )
            else:
                open_loans = (
                    session.execute(
                        select(SwapLoan.id)
                        .where(SwapLoan.status == "arrived")
                        .order_by(SwapLoan.id)
                    )
                    .scalars()
                    .all()
                )
                if not open_loans:
                    continue
                swap_service.repay(session=session, key=f"p{n}", actor="p",
                                   loan_id=open_loans[pick % len(open_loans)], volume_bbl=volume,
                                   on=ETA + dt.timedelta(days=1))  # fmt: skip
            session.commit()
        except TiroError:
            session.rollback()
        _check(session)
    session.close()
