"""Factories for SWAP tests: a small ledger with round numbers, built through the services."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sqlalchemy.orm import Session

from tiro.core.parameters import get_params
from tiro.energy.models import Refiner, ReserveSite, SiteStock
from tiro.energy.swap import service as swap_service

PARAMS = get_params()
LOADED = dt.date(2026, 3, 20)
ETA = dt.date(2026, 4, 20)
_keys = itertools.count(1)


def key(prefix: str = "k") -> str:
    """A fresh idempotency key."""
    return f"{prefix}-{next(_keys)}"


def small_ledger(session: Session, *, stock: int = 1_000_000, floor: int = 400_000) -> None:
    """One site (test), one grade (Oman), two refiners — numbers easy to check by hand."""
    session.add(ReserveSite(code="test", name_ko="시험", name_en="Test", kind="tanks",
                            capacity_bbl=2_000_000, capacity_source="test fixture"))  # fmt: skip
    session.add_all(
        [
            Refiner(code="r1", name_ko="정유1", name_en="R1", refinery="x", source="test"),
            Refiner(code="r2", name_ko="정유2", name_en="R2", refinery="y", source="test"),
        ]
    )
    session.flush()
    session.add(SiteStock(site_code="test", grade="Oman", stock_bbl=stock, floor_bbl=floor,
                          released_bbl=0, repaid_bbl=0, outstanding_bbl=0,
                          premium_received_bbl=0, data_label="test"))  # fmt: skip
    session.commit()


def cargo(**overrides: Any) -> dict[str, Any]:
    """Request arguments for a 300,000 bbl cargo, borrowing 200,000 bbl of Oman at test."""
    base = dict(refiner="r1", site="test", grade="Oman", vessel="MT Test", origin="US",
                cargo_grade="WTI", cargo_bbl=300_000, loading_date=LOADED, eta=ETA,
                requested_bbl=200_000)  # fmt: skip
    return base | overrides


def confirmed_loan(session: Session, *, volume: int = 200_000, actor: str = "t") -> int:
    """A loan requested and B/L-confirmed for ``volume`` barrels; returns its id."""
    loan = swap_service.request_loan(session=session, params=PARAMS, key=key("req"), actor=actor,
                                     **cargo(requested_bbl=volume))  # fmt: skip
    swap_service.confirm_loading(session=session, key=key("bl"), actor=actor, loan_id=loan["id"],
                                 bl_number=f"BL-{loan['id']}", confirmed_bbl=300_000)  # fmt: skip
    session.commit()
    return loan["id"]
