"""Antidumping and countervailing duty orders on Korean goods (반덤핑·상계관세): flag and deposit.

Commerce's orders are records, not parameters (``data/tariff/adcvd/kr_orders.yaml``): case number,
product, the HTS numbers the order lists, the order date, the all-others cash-deposit rate and the
company-specific rates we could read, each dated and cited. An order's written scope is
dispositive and its HTS numbers are "for convenience and customs purposes", so a quote whose code
shares a prefix with a listed number is **flagged** (the good may be in scope), not ruled on.

The deposit on a flagged line follows CBP's cash-deposit instruction order, with the producer
standing for the company: the company's own rate when the declared producer is named in the
order, otherwise the all-others rate (an unnamed producer is not an error). No producer declared:
the deposit ``needs`` it. A rate tiro could not pin (a company's before its first loaded rate, an
all-others rate left ``null``) leaves the deposit unknown and says so — never 0 by default.
Deposit = rate x entered value (the customs value), ad valorem, on top of every other duty.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from tiro.core.errors import InvalidInput, ParameterFileError
from tiro.core.yaml_strict import load_yaml

ORDERS_FILE = Path(__file__).resolve().parents[2] / "data" / "tariff" / "adcvd" / "kr_orders.yaml"
CASE = re.compile(r"^(A|C)-580-\d{3}$")
KINDS = {"A": "AD", "C": "CVD"}
_SUFFIXES = re.compile(
    r"\b(co|company|corp|corporation|ltd|limited|inc|incorporated|the|llc)\b", re.IGNORECASE
)
_KO_FORMS = re.compile(r"\(주\)|㈜|주식회사")
MAX_PRODUCER = 200


@dataclass(frozen=True)
class DatedRate:
    """A cash-deposit rate from a date, with the notice it comes from (None: not pinned)."""

    start: dt.date
    rate: float | None
    title: str
    href: str


@dataclass(frozen=True)
class Company:
    """A producer/exporter with its own rate in an order."""

    name: str
    keys: frozenset[str]
    rates: tuple[DatedRate, ...]
    note: str = ""


@dataclass(frozen=True)
class Order:
    """One AD or CVD order on goods of Korea."""

    case: str
    kind: str
    product_en: str
    product_ko: str
    order_date: dt.date
    citation: dict[str, str]
    hts: tuple[str, ...]
    all_others: tuple[DatedRate, ...]
    companies: tuple[Company, ...]


def producer_key(name: str) -> str:
    """A company name reduced to what identifies it: case, punctuation, spaces and legal
    suffixes (Co., Ltd., Corporation, (주), 주식회사) dropped, so "SeAH Steel Corp." matches
    "SeAH Steel Corporation" and "(주)포스코" matches "포스코". Hangul counts as letters."""
    text = _KO_FORMS.sub(" ", name.casefold())
    text = re.sub(r"[^\w&]+|_", " ", text)
    return "".join(_SUFFIXES.sub(" ", text).split())


def _rates(raw: list[dict[str, Any]], where: str) -> tuple[DatedRate, ...]:
    out = []
    for item in raw or []:
        rate = item.get("rate")
        if rate is not None and not (isinstance(rate, int | float) and 0 <= rate <= 10):
            raise ParameterFileError(f"{where}: rate {rate!r} is not a fraction", field="adcvd")
        if not item.get("title") or not item.get("href"):
            raise ParameterFileError(
                f"{where}: every rate needs a title and an href", field="adcvd"
            )
        out.append(
            DatedRate(
                item["from"], None if rate is None else float(rate), item["title"], item["href"]
            )
        )
    starts = [r.start for r in out]
    if starts != sorted(set(starts)):
        raise ParameterFileError(f"{where}: rate dates must be unique and ascending", field="adcvd")
    return tuple(out)


@lru_cache(maxsize=1)
def load_orders(path: Path = ORDERS_FILE) -> tuple[Order, ...]:
    """The shipped orders, validated: case numbers of Korea (-580-), the kind matching the
    prefix, 10-digit HTS numbers, cited and dated rates, no case twice."""
    raw = load_yaml(path)["orders"]
    by_case = {o["case"]: o for o in raw}
    if len(by_case) != len(raw):
        raise ParameterFileError(f"{path.name}: a case number appears twice", field="adcvd")
    orders = []
    for o in raw:
        case = o["case"]
        if not CASE.match(case) or KINDS[case[0]] != o["kind"]:
            raise ParameterFileError(f"{case}: not a Korean {o['kind']} case number", field="adcvd")
        hts_raw = o.get("hts") or by_case.get(o.get("hts_same_as", ""), {}).get("hts")
        hts = tuple(str(h) for h in hts_raw or ())
        if not hts or any(not re.fullmatch(r"\d{10}", h) for h in hts):
            raise ParameterFileError(f"{case}: HTS numbers must be 10 digits", field="adcvd")
        companies = []
        for c in o.get("companies") or []:
            keys = frozenset(producer_key(n) for n in [c["name"], *c.get("aliases", [])])
            companies.append(
                Company(
                    c["name"], keys, _rates(c["rates"], f"{case} {c['name']}"), c.get("note", "")
                )
            )
        order = o["order"]
        orders.append(
            Order(
                case=case,
                kind=o["kind"],
                product_en=o["product"]["en"],
                product_ko=o["product"]["ko"],
                order_date=order["date"],
                citation={"title": order["title"], "href": order["href"]},
                hts=hts,
                all_others=_rates(o["all_others"], f"{case} all others"),
                companies=tuple(companies),
            )
        )
    return tuple(orders)


def _digits(hts: str) -> str:
    return re.sub(r"\D", "", str(hts))


def orders_for(
    hts: str, origin: str, on: dt.date, orders: tuple[Order, ...] | None = None
) -> list[Order]:
    """Orders that may cover a line: origin Korea, in force on the entry date, and a listed HTS
    number in the declared code's 8-digit subheading (or under a shorter declared code).
    Statistical suffixes are compared no further: orders list the suffixes of the year they
    were written, and the schedule renumbers them (7209.16.00.30 is gone from HTS 2025)."""
    if str(origin).upper() != "KR":
        return []
    code = _digits(hts)[:8]
    return [
        o
        for o in (load_orders() if orders is None else orders)
        if on >= o.order_date and any(h.startswith(code) for h in o.hts)
    ]


def _in_force(rates: tuple[DatedRate, ...], on: dt.date) -> DatedRate | None:
    current = None
    for r in rates:
        if r.start <= on:
            current = r
    return current


def check_producer(producer: str | None) -> str | None:
    """The declared producer, stripped, or None; an empty or overlong name is refused."""
    if producer is None:
        return None
    clean = str(producer).strip()
    if not clean or len(clean) > MAX_PRODUCER or not producer_key(clean):
        raise InvalidInput(
            f"a producer name of 1-{MAX_PRODUCER} characters with letters", field="producer"
        )
    return clean


def deposit(order: Order, producer: str | None, on: dt.date, value: float) -> dict[str, Any]:
    """The cash deposit of one order on one line (module rule), with the rate's source."""
    out: dict[str, Any] = {
        "case": order.case,
        "kind": order.kind,
        "product": order.product_en,
        "product_ko": order.product_ko,
        "order_date": order.order_date.isoformat(),
        "order_citation": order.citation,
        "scope_note": "HTS numbers are for convenience; the order's written scope is dispositive",
        "company": None,
        "rate_basis": None,
        "rate": None,
        "rate_from": None,
        "rate_citation": None,
        "deposit": None,
        "needs": [],
        "note": "",
    }
    if producer is None:
        out["needs"] = ["producer"]
        return out
    key = producer_key(producer)
    company = next((c for c in order.companies if key in c.keys), None)
    rates, basis = (
        (order.all_others, "all_others") if company is None else (company.rates, "company")
    )
    out.update(company=None if company is None else company.name, rate_basis=basis)
    if company is not None and company.note:
        out["note"] = company.note
    dated = _in_force(rates, on)
    if dated is None or dated.rate is None:
        out["needs"] = [f"adcvd_rate:{order.case}"]
        out["note"] = (
            (out["note"] + "; " if out["note"] else "")
            + f"the {'rate of ' + company.name if company else 'all-others rate'} in force on {on} is not loaded"
        )
        if dated is not None:
            out["rate_citation"] = {"title": dated.title, "href": dated.href}
        return out
    out.update(
        rate=dated.rate,
        rate_from=dated.start.isoformat(),
        rate_citation={"title": dated.title, "href": dated.href},
        deposit=round(dated.rate * value, 2),
    )
    return out


def adcvd_for_line(
    *, hts: str, origin: str, on: dt.date, value: float, producer: str | None
) -> dict[str, Any]:
    """Every order that may cover the line, its deposit, the total and what is still needed."""
    producer = check_producer(producer)
    rows = [deposit(o, producer, on, value) for o in orders_for(hts, origin, on)]
    needs = sorted({n for r in rows for n in r["needs"]})
    known = [r["deposit"] for r in rows]
    return {
        "producer": producer,
        "orders": rows,
        "deposit_total": None if any(d is None for d in known) else round(float(sum(known)), 2),
        "needs": needs,
    }


def _rate_row(rates: tuple[DatedRate, ...], on: dt.date) -> dict[str, Any]:
    dated = _in_force(rates, on)
    return {
        "rate": None if dated is None else dated.rate,
        "from": None if dated is None else dated.start.isoformat(),
        "citation": None if dated is None else {"title": dated.title, "href": dated.href},
    }


def order_listing(*, hts: str | None = None, on: dt.date) -> list[dict[str, Any]]:
    """The shipped orders in force on ``on`` (optionally only those that may cover ``hts``),
    each with its HTS references and every rate in force that day — the broker's checklist
    (``tiro tariff adcvd``, ``GET /api/v1/tariff/adcvd``)."""
    if hts is not None and not 2 <= len(_digits(hts)) <= 10:
        raise InvalidInput("an HTS code or prefix of 2 to 10 digits", field="hts")
    orders = orders_for(hts, "KR", on) if hts is not None else [
        o for o in load_orders() if on >= o.order_date
    ]  # fmt: skip
    return [
        {
            "case": o.case,
            "kind": o.kind,
            "product": o.product_en,
            "product_ko": o.product_ko,
            "order_date": o.order_date.isoformat(),
            "order_citation": o.citation,
            "hts": [f"{h[:4]}.{h[4:6]}.{h[6:8]}.{h[8:]}" for h in o.hts],
            "all_others": _rate_row(o.all_others, on),
            "companies": [
                {"name": c.name, **_rate_row(c.rates, on), "note": c.note} for c in o.companies
            ],
        }
        for o in orders
    ]
