"""One quote (관세 견적): every Chapter 99 line with rate, basis, amount and legal basis.

The quote runs the same engine as a ten-million-line batch, on a one-row frame; this module
only turns the engine's key-level table into the issue-3 JSON contract and an explanation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.tariff.engine import Priced, price
from tiro.tariff.keys import TRI_FACTS, period_of
from tiro.tariff.measure_data import MeasureSet, load_measure_set
from tiro.tariff.measure_tables import tables_for

QUOTE_KEYS = (
    "hts",
    "origin",
    "entry_date",
    "customs_value",
    "base_rate",
    "lines",
    "additional_duty",
    "total_duty",
    "total_rate",
    "needs",
    "explain",
)


def parse_facts(items: list[str]) -> dict[str, bool]:
    """``NAME=true|false`` items (CLI ``--fact``, API ``fact`` query) as a facts dict."""
    out: dict[str, bool] = {}
    for item in items:
        name, _, value = item.partition("=")
        if value.strip().lower() not in ("true", "false", "yes", "no", "1", "0"):
            raise InvalidInput(f"expected NAME=true|false, got {item!r}", field="facts")
        out[name.strip()] = value.strip().lower() in ("true", "yes", "1")
    return out


def quote_frame(
    *,
    hts: str,
    origin: str,
    entry_date: dt.date | str,
    customs_value: float,
    quantity: float | None = None,
    unit: str | None = None,
    korus: bool | None = None,
    metal_share: float | None = None,
    facts: dict[str, bool] | None = None,
) -> pl.DataFrame:
    """The one-row declaration frame a quote prices."""
    row: dict[str, Any] = {
        "hts": str(hts),
        "origin": str(origin),
        "entry_date": str(entry_date),
        "customs_value": customs_value,
        "quantity": quantity,
        "quantity_unit": unit,
        "korus": korus,
        "metal_share": metal_share,
    }
    for name, value in (facts or {}).items():
        if name not in TRI_FACTS:
            raise InvalidInput(
                f"unknown fact {name!r}; known: {', '.join(TRI_FACTS)}", field="facts"
            )
        row[name] = value
    schema = {
        "hts": pl.Utf8,
        "origin": pl.Utf8,
        "entry_date": pl.Utf8,
        "customs_value": pl.Float64,
        "quantity": pl.Float64,
        "quantity_unit": pl.Utf8,
        "korus": pl.Boolean,
        "metal_share": pl.Float64,
    }
    return pl.DataFrame([row], schema={**schema, **{k: pl.Boolean for k in facts or {}}})


def _line_rate(
    m: dict[str, Any], base_rate: float | None, value: float, qty: float | None
) -> float | None:
    kind = m["rate_kind"]
    if kind == "free":
        return 0.0
    if kind == "ad_valorem":
        return m["rate_value"]
    if kind == "top_up_to":
        return None if base_rate is None else max(0.0, m["rate_value"] - base_rate)
    if qty is None or value <= 0:
        return None
    specific = m["specific_amount"] * qty / value
    return specific + (m["rate_value"] or 0.0) if kind == "compound" else specific


def _basis_value(basis: str, value: float, share: float | None) -> float | None:
    if basis == "full_value":
        return value
    if share is None:
        return None
    return value * share if basis == "metal_content" else value * (1.0 - share)


def _explain_row(m: dict[str, Any], base_rate: float | None) -> str:
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
    basis = m["final_basis"] + (" (value split)" if m.get("split_by") else "")
    return f"{head}: {m['rate_kind']} {m['rate_value'] if m['rate_value'] is not None else ''} on {basis}{source}"


def _conditions(m: dict[str, Any]) -> str:
    keys = [k for k in m if k.startswith("cond_") and m[k] is not None]
    return ", ".join(f"{k[5:]}={m[k]}" for k in keys) or "none"


def quote_from_priced(p: Priced, ms: MeasureSet) -> dict[str, Any]:
    """The issue-3 JSON contract for the single priced line of ``p``."""
    if p.errors.height:
        err = p.errors.row(0, named=True)
        raise InvalidInput(err["error"], field=err["error_field"])
    line = p.lines.row(0, named=True)
    value, share, qty, c1 = (
        line["customs_value"],
        line["metal_share"],
        line["quantity"],
        line["base_rate"],
    )
    rows = (
        p.measures.filter(pl.col("key_id") == line["key_id"])
        .sort("valid_from", "heading")
        .to_dicts()
    )
    out_lines, explain = (
        [],
        [
            f"scenario {ms.scenario}; entry {line['entry_date']} prices at the measures in force from "
            f"{tables_for(ms).boundaries[period_of(line['key_id'])]}",
            f"column 1 ({line['column1_source']}) {line['column1_rate_text']!r} of HTS {p.variants['hts_matched'][line['_var']]}"
            f" -> base rate {c1}",
        ],
    )
    for m in rows:
        explain.append(_explain_row(m, c1))
        if m["status"] not in ("applied", "needs"):
            continue
        rate = _line_rate(m, c1, value, qty)
        basis_value = _basis_value(m["final_basis"], value, share)
        duty = None if rate is None or basis_value is None else round(rate * basis_value, 2)
        out_lines.append(
            {
                "heading": m["heading"],
                "program": m["program"],
                "rate": None if rate is None else round(rate, 6),
                "basis": m["final_basis"],
                "basis_value": None if basis_value is None else round(basis_value, 2),
                "duty": duty,
                "citation": {"title": m["citation"], "href": m["citation_href"]},
            }
        )
    if line["origin"] != "KR":
        explain.append(
            "only measures for all origins are loaded besides Korea's: other country-specific rates are not in the data"
        )
    needs = [n for n in line["needs"].split(";") if n]
    return {
        "hts": line["hts"],
        "origin": line["origin"],
        "entry_date": line["entry_date"].isoformat(),
        "customs_value": value,
        "base_rate": c1,
        "lines": out_lines,
        "additional_duty": _money(line["additional_duty"]),
        "total_duty": _money(line["total_duty"]),
        "total_rate": None if line["total_rate"] is None else round(line["total_rate"], 6),
        "needs": needs,
        "explain": explain,
    }


def _money(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def quote(
    *, scenario: str | None = None, hts_table: pl.DataFrame | None = None, **fields: Any
) -> dict[str, Any]:
    """Price one line (fields as in ``quote_frame``) under a scenario and return the contract;
    ``hts_table`` replaces the shipped column-1 rates."""
    ms = load_measure_set(scenario)
    return quote_from_priced(price(quote_frame(**fields), ms, hts_table), ms)


def timeline(
    *,
    hts: str,
    origin: str = "KR",
    customs_value: float = 10000.0,
    start: dt.date = dt.date(2025, 3, 12),
    end: dt.date = dt.date(2026, 12, 31),
    scenario: str | None = None,
    hts_table: pl.DataFrame | None = None,
    **fields: Any,
) -> list[dict[str, Any]]:
    """Total rate of one HTS code at every date the measures change between start and end."""
    ms = load_measure_set(scenario)
    dates = sorted({start, *[d for d in tables_for(ms).boundaries if start <= d <= end]})
    frame = pl.concat(
        [
            quote_frame(hts=hts, origin=origin, entry_date=d, customs_value=customs_value, **fields)
            for d in dates
        ]
    )
    p = price(frame, ms, hts_table)
    if p.errors.height:
        err = p.errors.row(0, named=True)
        raise InvalidInput(err["error"], field=err["error_field"])
    return [
        {
            "date": r["entry_date"].isoformat(),
            "total_rate": r["total_rate"],
            "headings": r["headings"],
            "needs": r["needs"],
        }
        for r in p.lines.sort("entry_date").iter_rows(named=True)
    ]
