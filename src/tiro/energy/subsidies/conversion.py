"""비중동 원유 처리 설비 전환 지원: support for a refinery converting to non-Middle-East crude.

The report (section 3 ③, 향후 계획) plans to "induce facility conversion and modification so
that crude other than Middle-East crude can be processed, and support technology development".
No rate, cap or eligibility rule was published, so the parameters in
params/energy/subsidy/conversion/ are SAMPLE values (marked derived, [U]) and every result says
``data_label: sample``; the rule's shape is what tiro can state:

    eligible  = programme open on the date and added non-ME capacity >= the minimum
    facility  = floor(conversion capex x facility share)
    rd        = floor(technology-development cost x R&D share)
    support   = min(facility + rd, cap per refiner)  if eligible, else 0  (whole won)

Money is integer won (DESIGN: money is never a float in a ledger or a payment).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree

C = "energy.subsidy.conversion."
DATA_LABEL = "sample"


def _whole_won(value: int, share: float) -> int:
    """floor(value x share) in exact decimal arithmetic (a float product can land on x.9999)."""
    return int((Decimal(value) * Decimal(repr(share))).to_integral_value(rounding=ROUND_FLOOR))


def _amount(value: int | None, field: str) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{field} must be a whole number of won", field=field)
    if value < 0:
        raise InvalidInput(f"{field} cannot be negative", field=field)
    return value


def conversion_support(
    *,
    params: ParameterTree,
    on: dt.date,
    capex_krw: int,
    added_capacity_bbl_day: float,
    rd_krw: int | None = None,
) -> dict[str, Any]:
    """Support for one declared conversion on ``on``, with the parameters that decided it."""
    capex = _amount(capex_krw, "capex_krw")
    rd = _amount(rd_krw, "rd_krw")
    if isinstance(added_capacity_bbl_day, bool) or not isinstance(
        added_capacity_bbl_day, (int, float)
    ):
        raise InvalidInput("added capacity must be a number", field="added_capacity_bbl_day")
    if added_capacity_bbl_day != added_capacity_bbl_day or added_capacity_bbl_day in (
        float("inf"),
        float("-inf"),
    ):
        raise InvalidInput("added capacity must be finite", field="added_capacity_bbl_day")
    if added_capacity_bbl_day < 0:
        raise InvalidInput("added capacity cannot be negative", field="added_capacity_bbl_day")
    first = params.series(C + "programme_active")[0].effective_from
    if on < first:
        raise InvalidInput(
            f"{on} is before the conversion programme's first date {first}", field="date"
        )
    reasons: list[str] = []
    if not params.at(C + "programme_active", on):
        reasons.append(f"the programme is not open on {on}")
    minimum = params.at(C + "min_added_capacity", on)
    if added_capacity_bbl_day < minimum:
        reasons.append(
            f"added non-Middle-East capacity {added_capacity_bbl_day:g} bbl/day is below the "
            f"minimum {minimum:g}"
        )
    facility = _whole_won(capex, params.at(C + "facility_share", on))
    research = _whole_won(rd, params.at(C + "rd_share", on))
    cap = int(params.at(C + "cap_per_refiner", on))
    eligible = not reasons
    support = min(facility + research, cap) if eligible else 0
    return {
        "data_label": DATA_LABEL,
        "date": on.isoformat(),
        "eligible": eligible,
        "reasons": reasons,
        "facility_support_krw": facility,
        "rd_support_krw": research,
        "cap_krw": cap,
        "capped": eligible and facility + research > cap,
        "support_krw": support,
        "parameters": [
            params.explain(C + name, on).as_dict()
            for name in (
                "programme_active",
                "min_added_capacity",
                "facility_share",
                "rd_share",
                "cap_per_refiner",
            )
        ],
        "note": "rates, cap and threshold are sample values: the report names the programme "
        "(3 ③) but no figures were published",
    }
