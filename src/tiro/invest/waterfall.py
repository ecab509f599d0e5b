"""Commercial reasonableness (상업적 합리성): the MOU's cash-flow waterfall, NPV and IRR.

Korea pays the principal at year 0 and a project's cash flows arrive at the end of years
1..N. Korea's share is ``split.before`` (50%) until its cumulative receipts reach the
principal and ``split.after`` (10%) from then on; in the year the principal is crossed only
the part of that year's cash flow needed to reach it is split at the first rate.

Because Korea's receipts reach the principal exactly when the project's cumulative cash
flow reaches ``principal / split.before``, the whole waterfall is one vectorised formula
over a (projects x years) matrix: the cash flow shared at the first rate up to year t is
``min(cumulative_t, threshold)``. A negative year after recovery that takes the cumulative
flow back under the threshold is shared at the first rate again — the same rule read on
cumulative amounts. No per-row Python loop; the IRR root finder is the only per-project step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from tiro.core.errors import InvalidInput
from tiro.invest.limits import check_discount_rate
from tiro.invest.terms import Split

#: Relative slack when comparing cumulative money with the threshold (float sums of cents).
_REL_TOL = 1e-12


@dataclass(frozen=True)
class Waterfall:
    """The split of every project's cash flows, one row per project."""

    korea: np.ndarray  # (n, T) Korea's receipts by year
    us: np.ndarray  # (n, T) the US's receipts by year
    recovered_year: (
        np.ndarray
    )  # (n,) first year (1-based) Korea's receipts reach the principal, 0 never


def split_cash_flows(principal: np.ndarray, cash_flows: np.ndarray, split: Split) -> Waterfall:
    """Korea's and the US's cash flows for each project (rows) and year (columns)."""
    principal = np.asarray(principal, dtype=float).reshape(-1)
    flows = np.atleast_2d(np.asarray(cash_flows, dtype=float))
    threshold = principal / split.before
    cumulative = np.cumsum(flows, axis=1)
    shared_first = np.minimum(cumulative, threshold[:, None])
    first = np.diff(shared_first, axis=1, prepend=0.0)
    korea = split.before * first + split.after * (flows - first)
    reached = cumulative >= (threshold * (1 - _REL_TOL))[:, None]
    recovered = np.where(reached.any(axis=1), reached.argmax(axis=1) + 1, 0)
    return Waterfall(korea=korea, us=flows - korea, recovered_year=recovered)


def npv(principal: np.ndarray, korea: np.ndarray, rate: float) -> np.ndarray:
    """−P + Σ korea_t / (1+R)^t for each project (years counted from 1)."""
    years = np.arange(1, korea.shape[1] + 1)
    factors = (1.0 + rate) ** -years
    return korea @ factors - np.asarray(principal, dtype=float).reshape(-1)


def irr(principal: float, korea: np.ndarray) -> float | None:
    """The rate at which Korea's NPV is zero, by Brent's method on a bracketed root.

    None when no sign change can be bracketed in (−99%, 1e6) — which is always the case for a
    principal never recovered with non-negative flows (the NPV stays below zero at every rate
    above −100%), and the caller reports null then anyway.
    """
    years = np.arange(1, korea.shape[0] + 1)

    def f(rate: float) -> float:
        return float(korea @ (1.0 + rate) ** -years) - principal

    low, high = -0.99, 0.1
    f_low = f(low)
    while high < 1e6 and np.sign(f(high)) == np.sign(f_low):
        high *= 4
    if high >= 1e6 or f_low == 0:
        return None if f_low != 0 else low
    return float(brentq(f, low, high, xtol=1e-12, rtol=1e-12, maxiter=500))


def _money(value: float) -> float:
    """Drop float noise (0.1 x 30 = 3.0000000000000004) without rounding real cents."""
    return round(float(value), 9) + 0.0


def reasonableness(
    principal: float, cash_flows: list[float], *, rate: float, split: Split
) -> dict[str, object]:
    """The CLI/API contract of one project's screen (issue 12 item 4).

    A project is commercially reasonable when Korea recovers its principal and the NPV of its
    receipts at ``rate`` is not negative; ``irr`` is null when the principal is never recovered.
    """
    if not principal > 0:
        raise InvalidInput(f"{principal} must be above zero", field="principal")
    if not cash_flows:
        raise InvalidInput("needs at least one year's cash flow", field="cash_flows")
    rate = check_discount_rate(rate, "discount_rate")
    result = split_cash_flows(np.array([principal]), np.array([cash_flows]), split)
    korea = result.korea[0]
    year = int(result.recovered_year[0])
    value = float(npv(np.array([principal]), result.korea, rate)[0])
    rate_of_return = irr(principal, korea) if year else None
    return {
        "principal": principal,
        "korea_cash_flows": [_money(v) for v in korea],
        "us_cash_flows": [_money(v) for v in result.us[0]],
        "principal_recovered_year": year or None,
        "npv": _money(value),
        "irr": None if rate_of_return is None else round(rate_of_return, 10),
        "commercially_reasonable": bool(year) and value >= 0,
    }
