"""Subsidy rules as pure functions of the dated parameters in params/energy/subsidy/.

Freight (원유 도입선 다변화 지원): refund = the freight per litre in excess of Middle-East crude,
capped at the 석유수입부과금 per litre, when the programme is open and the contract meets the
length and volume conditions. Naphtha (나프타 수입단가 차액 지원): per tonne, the import price
above the reference price x the support share x KRW/USD; when the claims exceed the budget
left, every claim is scaled by the same ratio (pro rata) and rounded down to whole won, so
the total never exceeds the budget.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree
from tiro.core.validation import finite, finite_frame

F = "energy.subsidy.freight."
N = "energy.subsidy.naphtha."


def freight_refund(
    *,
    params: ParameterTree,
    excess_krw_per_litre: float,
    on: dt.date,
    contract_years: float | None = None,
    volume_mbbl_per_year: float | None = None,
) -> dict[str, Any]:
    """The contract of ``tiro energy subsidy freight``: refund per litre, cap, eligibility.

    Conditions not given (contract length, volume) are not checked and are listed in
    ``not_checked``; a condition given and not met makes the claim ineligible with the reason.
    """
    finite(excess_krw_per_litre, "excess_krw_per_litre")
    if excess_krw_per_litre < 0:
        raise InvalidInput("excess freight cannot be negative", field="excess_krw_per_litre")
    cap = params.at("energy.fuel_tax.import_levy", on)
    reasons: list[str] = []
    not_checked: list[str] = []
    if not params.at(F + "programme_active", on):
        reasons.append(f"the programme is not open on {on}")
    for value, path, field, label in (
        (contract_years, F + "min_contract_years", "contract_years", "contract length (years)"),
        (volume_mbbl_per_year, F + "min_volume_mbbl", "volume_mbbl_per_year", "volume (Mbbl/yr)"),
    ):
        if value is None:
            not_checked.append(field)
            continue
        finite(value, field)
        if value < 0:
            raise InvalidInput(f"{field} cannot be negative", field=field)
        minimum = params.at(path, on)
        if value < minimum:
            reasons.append(f"{label} {value:g} is below the minimum {minimum:g}")
    eligible = not reasons
    refund = min(excess_krw_per_litre, cap) if eligible else 0.0
    return {
        "refund_krw_per_litre": float(refund),
        "cap": float(cap),
        "eligible": eligible,
        "date": on.isoformat(),
        "excess_krw_per_litre": float(excess_krw_per_litre),
        "capped": eligible and excess_krw_per_litre > cap,
        "reasons": reasons,
        "not_checked": not_checked,
        "unit": "KRW/L",
    }


def naphtha_allocation(
    *, params: ParameterTree, claims: pl.DataFrame, on: dt.date, budget_used_krw: int = 0
) -> dict[str, Any]:
    """Each claim's differential and the pro-rata amount payable from the budget left.

    ``claims``: ``claimant``, ``tonnes``, ``import_price_usd_t``, ``krw_per_usd``.
    """
    needed = {"claimant", "tonnes", "import_price_usd_t", "krw_per_usd"}
    missing = needed - set(claims.columns)
    if missing:
        raise InvalidInput(f"missing column {sorted(missing)[0]!r}", field="claims")
    for column in sorted(needed):
        if claims[column].null_count():
            raise InvalidInput(f"{column} is missing or unreadable on a row", field=column)
    finite_frame(claims, ["tonnes", "import_price_usd_t", "krw_per_usd"])
    for column in ("tonnes", "import_price_usd_t", "krw_per_usd"):
        if (claims[column] < 0).any():
            raise InvalidInput(f"{column} cannot be negative", field=column)
    budget = int(params.at(N + "budget", on))
    if budget_used_krw < 0 or budget_used_krw > budget:
        raise InvalidInput(f"budget used must be within 0–{budget}", field="budget_used_krw")
    left = budget - budget_used_krw
    reference = float(params.at(N + "reference_price", on))
    share = float(params.at(N + "support_share", on))
    frame = claims.with_columns(
        differential_usd_t=((pl.col("import_price_usd_t") - reference).clip(lower_bound=0) * share)
    ).with_columns(
        claimed_krw=(pl.col("tonnes") * pl.col("differential_usd_t") * pl.col("krw_per_usd"))
        .floor()
        .cast(pl.Int64)
    )
    total = int(frame["claimed_krw"].sum())
    scale = 1.0 if total <= left else left / total
    # Exact integer pro rata (claimed x left // total overflows Int64 at programme scale).
    payable_list = pro_rata(frame["claimed_krw"].to_list(), left)
    frame = frame.with_columns(payable_krw=pl.Series(payable_list, dtype=pl.Int64))
    payable = int(frame["payable_krw"].sum())
    return {
        "date": on.isoformat(),
        "budget_krw": budget,
        "budget_left_krw": left,
        "reference_price_usd_t": reference,
        "support_share": share,
        "claimed_total_krw": total,
        "scale": scale,
        "pro_rated": scale < 1,
        "payable_total_krw": payable,
        "budget_left_after_krw": left - payable,
        "claims": frame.to_dicts(),
    }


def pro_rata(amounts: list[int], budget_left: int) -> list[int]:
    """Scale whole-won amounts to fit ``budget_left`` by one ratio, rounding each down."""
    total = sum(amounts)
    if total <= budget_left:
        return list(amounts)
    return [a * budget_left // total for a in amounts]
