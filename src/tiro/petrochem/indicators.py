"""Structural indicators and the national balance with a China self-sufficiency scenario.

The indicators are the report's own facts (section 2 ①), read from the core fact store
(``tiro.core.report_facts``) so they are stated once. The balance turns capacity on a date
into production at national utilisation, exports at the report's export share, and the part
that goes to China at its 36.9% share (a value share used as a volume proxy [U]); a China
self-sufficiency scenario scales what China still imports: (1 - s') / (1 - s_2024).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree
from tiro.core.report_facts import load_report_facts
from tiro.petrochem.limits import SELF_SUFFICIENCY

FACTS = {
    "export_share_of_output": "petrochem.industry.export_share_of_output",
    "commodity_share": "petrochem.industry.commodity_share",
    "china_export_share": "petrochem.industry.china_export_share",
    "exports_to_china_usd_bn": "petrochem.industry.exports_to_china",
}
SERIES = {
    "china_pe_self_sufficiency": ("petrochem.china.pe_self_sufficiency_2018",
                                  "petrochem.china.pe_self_sufficiency_2024"),
    "china_pp_self_sufficiency": ("petrochem.china.pp_self_sufficiency_2018",
                                  "petrochem.china.pp_self_sufficiency_2024"),
}  # fmt: skip


def indicators() -> dict[str, Any]:
    """The report's structural indicators with their section and quote."""
    facts = load_report_facts()
    out: dict[str, Any] = {}
    for name, key in FACTS.items():
        f = facts[key]
        out[name] = {"value": f.value, "unit": f.unit, "as_of": f.as_of, "section": f.section}
    for name, keys in SERIES.items():
        out[name] = {
            "series": [{"year": int(facts[k].as_of), "value": facts[k].value} for k in keys],
            "unit": "/1",
            "section": facts[keys[0]].section,
            "quote": facts[keys[0]].quote,
        }
    return out


def balance(
    capacity_kt: float,
    params: ParameterTree,
    on: dt.date,
    china_pe_self_sufficiency: float | None = None,
) -> dict[str, Any]:
    """Production, exports and exports to China; with a scenario, what China stops buying."""
    facts = load_report_facts()
    util = params.at("petrochem.economics.utilisation", on)
    export_share = facts[FACTS["export_share_of_output"]].value
    china_share = facts[FACTS["china_export_share"]].value
    base_ss = facts[SERIES["china_pe_self_sufficiency"][1]].value
    production = capacity_kt * util
    exports = production * export_share
    to_china = exports * china_share
    out: dict[str, Any] = {
        "date": on.isoformat(),
        "capacity_kt": capacity_kt,
        "utilisation": util,
        "production_kt": production,
        "domestic_kt": production - exports,
        "exports_kt": exports,
        "exports_to_china_kt": to_china,
        "basis": "ethylene-equivalent; export and China shares from report sec. 2 ① [U: value "
        "shares used as volume shares]",
    }
    if china_pe_self_sufficiency is not None:
        s = china_pe_self_sufficiency
        low, high = SELF_SUFFICIENCY
        if not low <= s <= high:
            raise InvalidInput(
                f"self-sufficiency must be between {low:g} and {high:g}", field="china_pe_ss"
            )
        factor = max(0.0, 1 - s) / (1 - base_ss)
        lost = to_china * (1 - factor)
        out["scenario"] = {
            "china_pe_self_sufficiency": s,
            "base_self_sufficiency_2024": base_ss,
            "china_import_factor": factor,
            "exports_to_china_kt": to_china * factor,
            "exports_lost_kt": lost,
            "utilisation_if_unsold": (production - lost) / capacity_kt if capacity_kt else None,
        }
    return out
