"""What a customs broker adds to a quote (통관 비용): fees, AD/CVD deposits, landed cost in won,
and KORUS claimed vs not claimed on one answer.

``broker_view`` takes the issue-3 quote of a line and adds

- ``fees``: MPF and HMF of the entry (``fees.py``; the HMF needs the transport mode);
- ``adcvd``: the orders that may cover the line and their deposits (``adcvd.py``);
- ``landed`` (asked for): customs value + duties + MPF + HMF + AD/CVD deposits in USD and, with
  ``krw``, in won at the entry date's KRW/USD rate (``fx.py``) — null with ``needs`` while any
  part is unknown, never a partial sum presented as the total;
- ``korus_comparison`` (asked for, Korean origin): the same line priced with the KORUS claim and
  without it, side by side, and what the claim saves (duty and the MPF it waives).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree
from tiro.tariff.broker.adcvd import adcvd_for_line
from tiro.tariff.broker.fees import entry_fees
from tiro.tariff.broker.fx import rate_on

BROKER_KEYS = ("fees", "adcvd")
"""Keys every quote carries from this module; ``landed`` and ``korus_comparison`` on request."""
COMPARE_KEYS = ("column1_rate_text", "base_rate", "total_duty", "total_rate", "mpf", "landed_usd")


def korus_claimed(origin: str, korus: bool | None) -> bool:
    """The KORUS claim in effect: Korean origin and not declined (the engine's default)."""
    return str(origin).upper() == "KR" and korus is not False


def landed_cost(
    q: dict[str, Any], fees: dict[str, Any], adcvd: dict[str, Any], fx: dict[str, Any] | None
) -> dict[str, Any]:
    """Customs value + duties + MPF + HMF + AD/CVD deposits, in USD and (with ``fx``) KRW."""
    parts = {
        "customs_value": q["customs_value"],
        "duties": q["total_duty"],
        "mpf": fees["mpf"],
        "hmf": fees["hmf"],
        "adcvd_deposits": adcvd["deposit_total"],
    }
    needs = list(q["needs"]) + fees["needs"] + adcvd["needs"]
    if q["total_duty"] is None and not q["needs"]:
        needs.append("duties")
    total = None if any(v is None for v in parts.values()) else round(sum(parts.values()), 2)
    out: dict[str, Any] = {
        "usd": {**parts, "total": total},
        "complete": total is not None and bool(q.get("total_complete", True)),
        "needs": sorted(set(needs)),
    }
    if fx is not None:
        out["fx"] = fx
        out["krw"] = {k: to_krw(v, fx["krw_per_usd"]) for k, v in out["usd"].items()}
    return out


def to_krw(usd: float | None, krw_per_usd: float) -> int | None:
    """USD in whole won, rounded half up in decimal (a float product like 472.5 must not round
    to even or drift a won on binary error)."""
    if usd is None:
        return None
    won = Decimal(repr(usd)) * Decimal(repr(krw_per_usd))
    return int(won.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def broker_view(
    q: dict[str, Any],
    *,
    params: ParameterTree,
    korus: bool | None,
    mode: str | None = None,
    producer: str | None = None,
    landed: bool = False,
    krw: bool = False,
    krw_rate: float | None = None,
    compare_korus: bool = False,
    reprice: Callable[[bool], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The quote ``q`` with the broker's keys added (module docstring). ``reprice(claim)``
    returns the same line's quote with the KORUS claim set, for the comparison."""
    day = dt.date.fromisoformat(q["entry_date"])
    value = q["customs_value"]
    claimed = korus_claimed(q["origin"], korus)
    fees = entry_fees(
        customs_value=value, entry_date=day, mode=mode, korus_claimed=claimed, params=params
    )
    adcvd = adcvd_for_line(hts=q["hts"], origin=q["origin"], on=day, value=value, producer=producer)
    out = {**q, "fees": fees, "adcvd": adcvd}
    # before the closing "not modelled" line, which stays last (quote_from_priced ends with it)
    cut = len(q["explain"]) - (1 if q["not_modelled"] else 0)
    added = [_fees_line(fees), *_adcvd_lines(adcvd)]
    out["explain"] = [*q["explain"][:cut], *added, *q["explain"][cut:]]
    fx = None
    if krw or krw_rate is not None:
        fx = rate_on(day, params, own_rate=krw_rate).as_dict()
    if landed or fx is not None:
        out["landed"] = landed_cost(q, fees, adcvd, fx)
    if compare_korus:
        out["korus_comparison"] = _korus_side_by_side(
            out, params=params, mode=mode, producer=producer, fx=fx, reprice=reprice
        )
    return out


def _korus_side_by_side(
    q: dict[str, Any],
    *,
    params: ParameterTree,
    mode: str | None,
    producer: str | None,
    fx: dict[str, Any] | None,
    reprice: Callable[[bool], dict[str, Any]] | None,
) -> dict[str, Any]:
    """Both computations of the line — KORUS claimed and not — and not-claimed minus claimed."""
    if str(q["origin"]).upper() != "KR":
        raise InvalidInput("a KORUS comparison needs a Korean origin (KR)", field="compare_korus")
    if reprice is None:
        raise InvalidInput("this quote cannot be repriced", field="compare_korus")
    day = dt.date.fromisoformat(q["entry_date"])
    sides = {}
    for name, claim in (("claimed", True), ("not_claimed", False)):
        side = reprice(claim)
        fees = entry_fees(
            customs_value=side["customs_value"], entry_date=day, mode=mode,
            korus_claimed=claim, params=params,
        )  # fmt: skip
        adcvd = adcvd_for_line(
            hts=side["hts"], origin=side["origin"], on=day, value=side["customs_value"],
            producer=producer,
        )  # fmt: skip
        cost = landed_cost(side, fees, adcvd, fx)
        sides[name] = {
            "column1_rate_text": side["column1_rate_text"],
            "column1_source": side["column1_source"],
            "base_rate": side["base_rate"],
            "base_duty": side["base_duty"],
            "additional_duty": side["additional_duty"],
            "total_duty": side["total_duty"],
            "total_rate": side["total_rate"],
            "headings": [ln["heading"] for ln in side["lines"] if ln.get("heading")],
            "mpf": fees["mpf"],
            "landed_usd": cost["usd"]["total"],
            "landed_krw": cost["krw"]["total"] if "krw" in cost else None,
            "needs": cost["needs"],
        }
    diff = {}
    for key in ("base_duty", "additional_duty", "total_duty", "mpf", "landed_usd", "landed_krw"):
        a, b = sides["claimed"][key], sides["not_claimed"][key]
        diff[key] = None if a is None or b is None else round(b - a, 2)
    return {**sides, "saving_from_claim": diff}


def _fees_line(fees: dict[str, Any]) -> str:
    hmf = "needs the transport mode" if fees["hmf"] is None else f"USD {fees['hmf']:,.2f}"
    return (
        f"fees: MPF USD {fees['mpf']:,.2f} ({fees['mpf_rule']}; limits USD "
        f"{fees['mpf_minimum']:,.2f}-{fees['mpf_maximum']:,.2f}), HMF {hmf} (mode {fees['mode'] or '?'})"
    )


def _adcvd_lines(adcvd: dict[str, Any]) -> list[str]:
    lines = []
    for o in adcvd["orders"]:
        if o["deposit"] is not None:
            how = (
                f"{o['rate'] * 100:.2f}% ({o['company'] or 'all others'}) = USD {o['deposit']:,.2f}"
            )
        else:
            how = "deposit not computed: needs " + ", ".join(o["needs"])
        lines.append(f"{o['kind']} order {o['case']} ({o['product']}) may cover this line: {how}")
    return lines
