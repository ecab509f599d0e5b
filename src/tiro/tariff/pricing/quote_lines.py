"""The lines of a quote (견적 항목): rate, basis and amount of each Chapter 99 heading, the
exemption headings an importer declares, and the explanation — with labels a reader knows
(programme and basis names, not internal codes; issue 9 item 25).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tiro.tariff.measures.data import MeasureSet
from tiro.tariff.pricing.money import mip_shortfall

BASIS_LABELS = {
    "full_value": "전체 가격 full value",
    "metal_content": "금속 함량분 metal content",
    "non_metal_value": "비금속분 non-metal value",
}
RATE_KINDS = {
    "ad_valorem": "ad valorem",
    "specific": "specific",
    "compound": "compound",
    "top_up_to": "top-up to (all-in)",
    "free": "free",
    "minimum_import_price": "minimum import price",
}


def line_rate(
    m: dict[str, Any], base_rate: float | None, value: float, qty: float | None
) -> float | None:
    """A measure's rate as a fraction of its basis (a top-up tops the column-1 rate up to its
    all-in rate; a specific rate needs the quantity; a minimum import price is the value's
    shortfall from floor x quantity, over the value); None when it cannot be known."""
    kind = m["rate_kind"]
    if kind == "free":
        return 0.0
    if kind == "ad_valorem":
        return m["rate_value"]
    if kind == "top_up_to":
        return None if base_rate is None else max(0.0, m["rate_value"] - base_rate)
    if qty is None or value <= 0:
        return None
    if kind == "minimum_import_price":
        return float(mip_shortfall(m["specific_amount"], qty, value)) / value
    specific = m["specific_amount"] * qty / value
    return specific + (m["rate_value"] or 0.0) if kind == "compound" else specific


def basis_amount(basis: str, value: float, share: float | None) -> float | None:
    """The part of the customs value a measure is charged on (metal content or the rest)."""
    if basis == "full_value":
        return value
    if share is None:
        return None
    return value * share if basis == "metal_content" else value * (1.0 - share)


def rate_words(m: dict[str, Any]) -> str:
    """'ad valorem 25.00%', 'top-up to (all-in) 15.00%', 'specific 0.5 USD/kg' ..."""
    kind = RATE_KINDS.get(m["rate_kind"], m["rate_kind"])
    if m["rate_kind"] == "free":
        return kind
    parts = [kind]
    if m.get("rate_value") is not None:
        parts.append(f"{m['rate_value']:.2%}")
    if m.get("specific_amount") is not None:
        parts.append(f"{m['specific_amount']:g} USD/{m.get('specific_per') or '?'}")
    return " ".join(parts)


def explain_row(m: dict[str, Any], base_rate: float | None) -> str:
    """One sentence per candidate measure: applied (rate on basis), displaced, or waiting."""
    head = f"{m['heading'] or '(no heading)'} {m['label_ko']} / {m['label_en']}"
    source = f" [{m['citation']}]" + ("" if m["verified"] else " (source not pinned: verify)")
    status = m["status"]
    if status == "displaced":
        declare = f"; declare {m['declare']}" if m.get("declare") else ""
        return f"{head}: not applied — displaced by rule {m['displaced_by']} ({m['rule_citation']}){declare}"
    if status == "condition_failed":
        return f"{head}: not applied — its condition is not met (column-1 rate {base_rate}, conditions {_conditions(m)})"
    if status == "needs":
        return f"{head}: depends on {', '.join(m['needs'])} (not given){source}"
    basis = BASIS_LABELS.get(m["final_basis"], m["final_basis"])
    basis += " (value split)" if m.get("split_by") else ""
    return f"{head}: {rate_words(m)} on {basis}{source}"


def _conditions(m: dict[str, Any]) -> str:
    keys = [k for k in m if k.startswith("cond_") and m[k] is not None]
    return ", ".join(f"{k[5:]}={m[k]}" for k in keys) or "none"


def quote_line(m: dict[str, Any], ms: MeasureSet, **money: Any) -> dict[str, Any]:
    """A line of the quote contract: heading, programme (code and label), money, basis (code
    and label), whether it is a declared exemption, citation."""
    label = ms.programs.get(m["program"], {})
    return {
        "heading": m["heading"],
        "program": m["program"],
        "program_label": f"{label.get('ko', '')} {label.get('en', m['program'])}".strip(),
        **money,
        "basis_label": BASIS_LABELS.get(money["basis"], money["basis"]),
        "declared": False,
        "citation": {"title": m["citation"], "href": m["citation_href"]},
    }


def _declaring_rule(m: dict[str, Any], ms: MeasureSet, applied: set[str], on: dt.date) -> Any:
    """The rule in force that displaces ``m``'s programme, is won by an applied programme and
    names the heading ``m`` says to declare (a row may be displaced by several rules)."""
    for rule in ms.interactions:
        if (
            rule.declare == m["declare"]
            and m["program"] in rule.losers
            and applied & set(rule.winners)
            and rule.valid_from <= on < (rule.valid_to or dt.date.max)
        ):
            return rule
    return None


def declared_lines(
    rows: list[dict[str, Any]], ms: MeasureSet, value: float, on: dt.date
) -> list[dict[str, Any]]:
    """A heading the importer declares for an exemption (9903.01.33: a Section 232 article is not
    subject to the reciprocal duty) is a line of the entry at 0%, as 9903.01.32 is."""
    applied = {m["program"] for m in rows if m["status"] == "applied"}
    out: dict[str, dict[str, Any]] = {}
    for m in rows:
        heading = m.get("declare")
        if m["status"] != "displaced" or not heading or heading in out:
            continue
        rule = _declaring_rule(m, ms, applied, on)
        if rule is None:
            continue
        line = quote_line(
            {**m, "heading": heading},
            ms,
            rate=0.0,
            basis="full_value",
            basis_value=round(value, 2),
            duty=0.0,
        )
        line["program_label"] += " — exemption declared (신고 면제)"
        line["declared"] = True
        line["citation"] = {"title": rule.citation.get("title"), "href": rule.citation.get("href")}
        out[heading] = line
    return list(out.values())
