"""비축유 SWAP ledger: lend reserve crude against a refiner's confirmed cargo, repaid in kind.

Report section 3 ①: "민간 원유 선적 확인 → 국내 비축유 제공 → 민간 선적분 국내 반입 시 상환".
A loan moves requested → loading_confirmed (B/L) → released (the site's stock falls) →
arrived → closed (repaid in kind, plus premium barrels when ``energy.swap.premium_rate`` > 0,
as in US SPR exchanges). Every step is keyed (idempotent), locked, audited in the same
transaction, and checked again by the database's CHECK constraints.

Chronology: the dates of one loan never go backwards along its life cycle — loading ≤ ETA,
loading ≤ release ≤ arrival ≤ each repayment (in order) ≤ closing — and no step is dated
after today (a ledger records what happened). The loan row is locked before the check, so two
writers at once are served one after the other and the second sees the first's date; the
database holds the same order in CHECK constraints (migration 0003).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tiro.core.audit import record_audit
from tiro.core.errors import Conflict, InvalidInput
from tiro.core.parameters import ParameterTree
from tiro.core.recorded import not_future
from tiro.energy.models import Refiner, ReserveSite, SiteStock, SwapLoan
from tiro.energy.swap.checks import (
    ENTITY,
    barrels,
    last_repayment_on,
    not_before,
    premium_barrels,
)
from tiro.energy.swap.guard import locked_loan, locked_stock, run_idempotent
from tiro.energy.swap.queries import loan_dict, stock_dict

#: Longest repayment grace a parameter overlay may set (ten years): beyond it is a typo.
MAX_GRACE_DAYS = 3660


def _text(value: str | None, field: str, max_length: int) -> str:
    """Required text that fits its column (PostgreSQL refuses a longer value with an error)."""
    if value is None or not str(value).strip():
        raise InvalidInput("required", field=field)
    text = str(value).strip()
    if len(text) > max_length:
        raise InvalidInput(f"longer than {max_length} characters", field=field)
    return text


def _audit(session: Session, actor: str, action: str, loan: SwapLoan, before: Any, **extra) -> None:
    _text(actor, "actor", 120)  # the audit column's size; the transaction rolls back if not
    after = {"loan": loan_dict(loan), **extra}
    record_audit(
        session,
        actor=actor,
        action=action,
        entity=ENTITY,
        entity_id=loan.id,
        before=before,
        after=after,
    )


def request_loan(
    *,
    session: Session,
    params: ParameterTree,
    key: str,
    actor: str,
    refiner: str,
    site: str,
    grade: str,
    vessel: str,
    origin: str,
    cargo_grade: str,
    cargo_bbl: int,
    loading_date: dt.date,
    eta: dt.date,
    requested_bbl: int,
) -> dict[str, Any]:
    """Register a loan request tied to a private cargo; nothing moves until B/L and release."""
    payload = dict(locals())
    for drop in ("session", "params", "key", "actor"):
        payload.pop(drop)

    def act() -> dict[str, Any]:
        cargo = barrels(cargo_bbl, "cargo_bbl")
        volume = barrels(requested_bbl, "requested_bbl")
        if volume > cargo:
            raise InvalidInput(
                f"{volume} bbl exceeds the cargo of {cargo} bbl: a loan never exceeds its cargo",
                field="requested_bbl",
            )
        if eta < loading_date:
            raise InvalidInput(f"ETA {eta} is before loading on {loading_date}", field="eta")
        if session.get(Refiner, refiner) is None:
            raise InvalidInput(f"unknown refiner {refiner!r}", field="refiner")
        if session.get(ReserveSite, site) is None:
            raise InvalidInput(f"unknown reserve site {site!r}", field="site")
        locked_stock(session, site, grade)
        grace = int(params.at("energy.swap.repayment_grace_days", loading_date))
        if not 0 <= grace <= MAX_GRACE_DAYS:
            raise InvalidInput(
                f"{grace} days is outside 0..{MAX_GRACE_DAYS}",
                field="energy.swap.repayment_grace_days",
            )
        try:
            due = eta + dt.timedelta(days=grace)
        except OverflowError:
            raise InvalidInput(
                f"ETA {eta} plus {grace} days is past the calendar", field="eta"
            ) from None
        loan = SwapLoan(
            request_key=key,
            refiner_code=refiner,
            site_code=site,
            grade=grade,
            vessel=_text(vessel, "vessel", 120),
            origin=_text(origin, "origin", 80),
            cargo_grade=_text(cargo_grade, "cargo_grade", 60),
            cargo_bbl=cargo,
            loading_date=loading_date,
            eta=eta,
            requested_bbl=volume,
            released_bbl=0,
            repaid_bbl=0,
            premium_due_bbl=0,
            premium_repaid_bbl=0,
            due_date=due,
            status="requested",
        )
        session.add(loan)
        session.flush()
        _audit(session, actor, "energy.swap.request", loan, None)
        return loan_dict(loan)

    return run_idempotent(session, key=key, operation="request", payload=payload, action=act)


def confirm_loading(
    *, session: Session, key: str, actor: str, loan_id: int, bl_number: str, confirmed_bbl: int
) -> dict[str, Any]:
    """Loading confirmed by bill of lading; the loan is capped at the confirmed cargo."""
    payload = {"loan_id": loan_id, "bl_number": bl_number, "confirmed_bbl": confirmed_bbl}

    def act() -> dict[str, Any]:
        confirmed = barrels(confirmed_bbl, "confirmed_bbl")
        loan = locked_loan(session, loan_id)
        if loan.status != "requested":
            raise Conflict(f"loan {loan_id} is {loan.status}, not awaiting B/L", field="loan_id")
        if confirmed > loan.cargo_bbl:
            raise InvalidInput(
                f"the B/L's {confirmed} bbl is larger than the declared cargo of {loan.cargo_bbl} "
                "bbl; register the loan against the real cargo",
                field="confirmed_bbl",
            )
        before = loan_dict(loan)
        loan.bl_number = _text(bl_number, "bl_number", 80)
        loan.confirmed_cargo_bbl = confirmed
        loan.approved_bbl = min(loan.requested_bbl, confirmed)
        loan.status = "loading_confirmed"
        session.flush()
        _audit(session, actor, "energy.swap.confirm", loan, before)
        return loan_dict(loan)

    return run_idempotent(session, key=key, operation="confirm", payload=payload, action=act)


def release(
    *,
    session: Session,
    params: ParameterTree,
    key: str,
    actor: str,
    loan_id: int,
    on: dt.date,
    volume_bbl: int | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Release reserve oil to the refiner: the site's stock falls, never below its floor."""
    payload = {"loan_id": loan_id, "on": on, "volume_bbl": volume_bbl}

    def act() -> dict[str, Any]:
        not_future(on, today)
        loan = locked_loan(session, loan_id)
        if loan.status == "requested":
            raise Conflict(
                f"loan {loan_id}: release before loading is confirmed (no B/L yet)", field="loan_id"
            )
        if loan.status != "loading_confirmed":
            raise Conflict(f"loan {loan_id} is already {loan.status}", field="loan_id")
        volume = loan.approved_bbl if volume_bbl is None else barrels(volume_bbl, "volume_bbl")
        if volume > loan.approved_bbl:
            raise InvalidInput(
                f"{volume} bbl exceeds the {loan.approved_bbl} bbl approved against the B/L",
                field="volume_bbl",
            )
        not_before(on, loan.loading_date, "loading")
        stock = locked_stock(session, loan.site_code, loan.grade)
        available = stock.stock_bbl - stock.floor_bbl
        if volume > available:
            raise Conflict(
                f"{loan.site_code}/{loan.grade} can lend {available} bbl above its floor of "
                f"{stock.floor_bbl}; {volume} requested",
                field="volume_bbl",
            )
        rate = Decimal(str(params.at("energy.swap.premium_rate", on)))
        if not Decimal(0) <= rate <= Decimal(1):
            raise InvalidInput(f"{rate} is outside [0, 1]", field="energy.swap.premium_rate")
        rounding = str(params.at("energy.swap.premium_rounding", on))
        before = {"loan": loan_dict(loan), "stock": stock_dict(stock)}
        stock.stock_bbl -= volume
        stock.released_bbl += volume
        stock.outstanding_bbl += volume
        loan.released_bbl = volume
        loan.premium_due_bbl = premium_barrels(volume, rate, rounding)
        loan.released_on = on
        loan.status = "released"
        session.flush()
        _audit(session, actor, "energy.swap.release", loan, before, stock=stock_dict(stock))
        return loan_dict(loan)

    return run_idempotent(session, key=key, operation="release", payload=payload, action=act)


def arrive(
    *,
    session: Session,
    key: str,
    actor: str,
    loan_id: int,
    on: dt.date,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The refiner's cargo has arrived in Korea: repayment is now due."""
    payload = {"loan_id": loan_id, "on": on}

    def act() -> dict[str, Any]:
        not_future(on, today)
        loan = locked_loan(session, loan_id)
        if loan.status != "released":
            raise Conflict(f"loan {loan_id} is {loan.status}, not released", field="loan_id")
        not_before(on, loan.loading_date, "loading")
        not_before(on, loan.released_on, "the release")
        before = loan_dict(loan)
        loan.arrived_on = on
        loan.status = "arrived"
        session.flush()
        _audit(session, actor, "energy.swap.arrive", loan, before)
        return loan_dict(loan)

    return run_idempotent(session, key=key, operation="arrive", payload=payload, action=act)


def repay(
    *,
    session: Session,
    key: str,
    actor: str,
    loan_id: int,
    volume_bbl: int,
    on: dt.date,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Repayment in kind: principal first, then premium barrels; closed when nothing is owed."""
    payload = {"loan_id": loan_id, "volume_bbl": volume_bbl, "on": on}

    def act() -> dict[str, Any]:
        volume = barrels(volume_bbl, "volume_bbl")
        not_future(on, today)
        loan = locked_loan(session, loan_id)
        if loan.status != "arrived":
            raise Conflict(
                f"loan {loan_id} is {loan.status}: repayment follows the cargo's arrival",
                field="loan_id",
            )
        not_before(on, loan.arrived_on, "the cargo's arrival")
        not_before(on, last_repayment_on(session, loan), "the previous repayment")
        principal_owed = loan.released_bbl - loan.repaid_bbl
        premium_owed = loan.premium_due_bbl - loan.premium_repaid_bbl
        if volume > principal_owed + premium_owed:
            raise InvalidInput(
                f"repayment of {volume} bbl is larger than the {principal_owed + premium_owed} "
                "bbl outstanding",
                field="volume_bbl",
            )
        stock = locked_stock(session, loan.site_code, loan.grade)
        site = session.get(ReserveSite, loan.site_code)
        held = session.execute(
            select(func.sum(SiteStock.stock_bbl)).where(SiteStock.site_code == loan.site_code)
        ).scalar_one()
        if site is not None and site.capacity_bbl is not None and held + volume > site.capacity_bbl:
            raise Conflict(
                f"{site.code} would hold {held + volume} bbl, above its capacity {site.capacity_bbl}",
                field="volume_bbl",
            )
        before = {"loan": loan_dict(loan), "stock": stock_dict(stock)}
        principal = min(volume, principal_owed)
        premium = volume - principal
        loan.repaid_bbl += principal
        loan.premium_repaid_bbl += premium
        stock.stock_bbl += volume
        stock.repaid_bbl += principal
        stock.outstanding_bbl -= principal
        stock.premium_received_bbl += premium
        if loan.repaid_bbl == loan.released_bbl and loan.premium_repaid_bbl == loan.premium_due_bbl:
            loan.status = "closed"
            loan.closed_on = on
        session.flush()
        _audit(session, actor, "energy.swap.repay", loan, before, stock=stock_dict(stock), on=on)
        return loan_dict(loan)

    return run_idempotent(session, key=key, operation="repay", payload=payload, action=act)
