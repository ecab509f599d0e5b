"""Read side of the SWAP ledger: sites, balances by site and grade, loans, overdue flags.

``status`` also re-checks the ledger identity from the loans themselves (Σ released over a
site-grade's loans = the site-grade counter; released = repaid + outstanding), so an operator
sees the invariant hold, not just trusts it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiro.core.errors import InvalidInput
from tiro.energy.models import Refiner, ReserveSite, SiteStock, SwapLoan


def stock_dict(stock: SiteStock) -> dict[str, Any]:
    """One site-grade balance as plain data."""
    return {
        "site": stock.site_code,
        "grade": stock.grade,
        "stock_bbl": stock.stock_bbl,
        "floor_bbl": stock.floor_bbl,
        "available_bbl": stock.stock_bbl - stock.floor_bbl,
        "released_bbl": stock.released_bbl,
        "repaid_bbl": stock.repaid_bbl,
        "outstanding_bbl": stock.outstanding_bbl,
        "premium_received_bbl": stock.premium_received_bbl,
        "data_label": stock.data_label,
    }


def loan_dict(loan: SwapLoan, as_of: dt.date | None = None) -> dict[str, Any]:
    """One loan as plain data; ``overdue`` when barrels are still owed after the due date."""
    outstanding = loan.released_bbl - loan.repaid_bbl
    premium_outstanding = loan.premium_due_bbl - loan.premium_repaid_bbl
    owed = outstanding + premium_outstanding
    return {
        "id": loan.id,
        "request_key": loan.request_key,
        "refiner": loan.refiner_code,
        "site": loan.site_code,
        "grade": loan.grade,
        "cargo": {
            "vessel": loan.vessel,
            "origin": loan.origin,
            "grade": loan.cargo_grade,
            "volume_bbl": loan.cargo_bbl,
            "loading_date": loan.loading_date,
            "eta": loan.eta,
            "bl_number": loan.bl_number,
            "confirmed_volume_bbl": loan.confirmed_cargo_bbl,
        },
        "requested_bbl": loan.requested_bbl,
        "approved_bbl": loan.approved_bbl,
        "released_bbl": loan.released_bbl,
        "repaid_bbl": loan.repaid_bbl,
        "outstanding_bbl": outstanding,
        "premium_due_bbl": loan.premium_due_bbl,
        "premium_repaid_bbl": loan.premium_repaid_bbl,
        "owed_bbl": owed,
        "released_on": loan.released_on,
        "arrived_on": loan.arrived_on,
        "closed_on": loan.closed_on,
        "due_date": loan.due_date,
        "status": loan.status,
        "overdue": bool(as_of and owed > 0 and as_of > loan.due_date),
    }


def list_sites(*, session: Session) -> list[dict[str, Any]]:
    """Every reserve site with its grades and balances."""
    sites = session.execute(select(ReserveSite).order_by(ReserveSite.code)).scalars().all()
    stocks = session.execute(select(SiteStock).order_by(SiteStock.grade)).scalars().all()
    by_site: dict[str, list[dict[str, Any]]] = {}
    for stock in stocks:
        by_site.setdefault(stock.site_code, []).append(stock_dict(stock))
    return [
        {
            "code": site.code,
            "name_ko": site.name_ko,
            "name_en": site.name_en,
            "kind": site.kind,
            "capacity_bbl": site.capacity_bbl,
            "capacity_source": site.capacity_source,
            "stock_bbl": sum(g["stock_bbl"] for g in by_site.get(site.code, [])),
            "grades": by_site.get(site.code, []),
        }
        for site in sites
    ]


def status(
    *, session: Session, as_of: dt.date, site: str | None = None, refiner: str | None = None
) -> dict[str, Any]:
    """Balances per site and grade, loans with overdue flags, totals by refiner.

    A filter naming a site or refiner the ledger does not know is an error, not an empty
    table: an operator who mistypes a site must not read "nothing outstanding".
    """
    if site and session.get(ReserveSite, site) is None:
        raise InvalidInput(f"unknown reserve site {site!r}", field="site")
    if refiner and session.get(Refiner, refiner) is None:
        raise InvalidInput(f"unknown refiner {refiner!r}", field="refiner")
    stock_q = select(SiteStock).order_by(SiteStock.site_code, SiteStock.grade)
    loan_q = select(SwapLoan).order_by(SwapLoan.id)
    if site:
        stock_q = stock_q.where(SiteStock.site_code == site)
        loan_q = loan_q.where(SwapLoan.site_code == site)
    if refiner:
        loan_q = loan_q.where(SwapLoan.refiner_code == refiner)
    stocks = [stock_dict(s) for s in session.execute(stock_q).scalars()]
    loans = [loan_dict(loan, as_of) for loan in session.execute(loan_q).scalars()]
    by_refiner: dict[str, dict[str, int]] = {}
    for loan in loans:
        row = by_refiner.setdefault(
            loan["refiner"], {"loans": 0, "outstanding_bbl": 0, "overdue": 0}
        )
        row["loans"] += 1
        row["outstanding_bbl"] += loan["outstanding_bbl"]
        row["overdue"] += int(loan["overdue"])
    released_by_key: dict[tuple[str, str], int] = {}
    for loan in loans:
        key = (loan["site"], loan["grade"])
        released_by_key[key] = released_by_key.get(key, 0) + loan["released_bbl"]
    balanced = all(
        s["released_bbl"] == s["repaid_bbl"] + s["outstanding_bbl"]
        and (
            refiner is not None
            or s["released_bbl"] == released_by_key.get((s["site"], s["grade"]), 0)
        )
        for s in stocks
    )
    return {
        "as_of": as_of,
        "balances": stocks,
        "loans": loans,
        "by_refiner": by_refiner,
        "totals": {
            "released_bbl": sum(s["released_bbl"] for s in stocks),
            "repaid_bbl": sum(s["repaid_bbl"] for s in stocks),
            "outstanding_bbl": sum(s["outstanding_bbl"] for s in stocks),
            "overdue_loans": sum(int(loan["overdue"]) for loan in loans),
        },
        "ledger_balanced": balanced,
    }
