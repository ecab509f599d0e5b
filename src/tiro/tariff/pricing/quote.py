"""One quote (관세 견적): every Chapter 99 line with rate, basis, amount and legal basis.

The quote runs the same engine as a ten-million-line batch, on a one-row frame; this module
only turns the engine's key-level table into the issue-3 JSON contract and an explanation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.tariff.measures.coverage import not_modelled
from tiro.tariff.measures.data import MeasureSet, load_measure_set
from tiro.tariff.measures.tables import tables_for
from tiro.tariff.pricing.engine import Priced
from tiro.tariff.pricing.keys import TRI_FACTS, period_of
from tiro.tariff.pricing.money import mip_shortfall
from tiro.tariff.pricing.quote_lines import (
    basis_amount,
    declared_lines,
    explain_row,
    line_rate,
    quote_line,
)
from tiro.tariff.pricing.shared_pricer import shared_price
from tiro.tariff.schedule.describe import describe_code
from tiro.tariff.schedule.revisions import revisions

QUOTE_KEYS = (
    "hts",
    "hts_description",
    "schedule_revision",
    "origin",
    "entry_date",
    "customs_value",
    "column1_rate_text",
    "column1_source",
    "base_rate",
    "base_duty",
    "lines",
    "additional_duty",
    "total_duty",
    "total_rate",
    "total_complete",
    "not_modelled",
    "needs",
    "explain",
)
COLUMN1_SOURCES = {"general": "General (MFN)", "special:KR": "Special — KORUS (KR)"}


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


ROW_ORDER = ("valid_from", "heading", "mid")
"""Order of a key's measure rows in the answer: by date, heading, then the record's position in
the measure set (two records of one heading and date — e.g. a part of a vehicle or not — would
otherwise come in whatever order the engine's joins left them)."""


def quote_from_priced(
    p: Priced, ms: MeasureSet, hts_table: pl.DataFrame | None = None
) -> dict[str, Any]:
    """The issue-3 JSON contract for the single priced line of ``p``, with the column-1 rate
    and its source, the schedule's description and revision, and what is not modelled for the
    origin (issue 9 items 22 and 25)."""
    if p.errors.height:
        err = p.errors.row(0, named=True)
        raise InvalidInput(err["error"], field=err["error_field"])
    line = p.lines.row(0, named=True)
    rows = p.measures.filter(pl.col("key_id") == line["key_id"]).sort(ROW_ORDER).to_dicts()
    return quote_answer(line, rows, p.variants["hts_matched"][line["_var"]], ms, hts_table)


def quote_answer(
    line: dict[str, Any],
    rows: list[dict[str, Any]],
    matched: str | None,
    ms: MeasureSet,
    hts_table: pl.DataFrame | None = None,
    described: tuple[str | None, str] | None = None,
) -> dict[str, Any]:
    """The contract from the priced line's values (``line``: the engine's output columns plus
    ``key_id``), its key's measure rows in ``ROW_ORDER`` and the rate line it matched — shared
    by the engine path and the fast path (``quote_fast``), so both format alike. ``described``:
    ``describe_code``'s answer when the caller already has it."""
    value, share, qty, c1 = (
        line["customs_value"],
        line["metal_share"],
        line["quantity"],
        line["base_rate"],
    )
    out_lines, explain = (
        [],
        [
            f"scenario {ms.scenario}; entry {line['entry_date']} prices at the measures in force from "
            f"{tables_for(ms).boundaries[period_of(line['key_id'])]}",
            f"column 1 ({COLUMN1_SOURCES.get(str(line['column1_source']), line['column1_source'])}) {line['column1_rate_text']!r} of HTS {matched}"
            f" -> base rate {c1}",
        ],
    )
    for m in rows:
        explain.append(explain_row(m, c1))
        if m["status"] not in ("applied", "needs"):
            continue
        rate = line_rate(m, c1, value, qty)
        amount = basis_amount(m["final_basis"], value, share)
        duty = None if rate is None or amount is None else round(rate * amount, 2)
        if m["rate_kind"] == "minimum_import_price" and qty is not None:
            duty = round(float(mip_shortfall(m["specific_amount"], qty, value)), 2)  # value 0 too
        out_lines.append(
            quote_line(
                m,
                ms,
                rate=None if rate is None else round(rate, 6),
                basis=m["final_basis"],
                basis_value=None if amount is None else round(amount, 2),
                duty=duty,
            )
        )
    out_lines.extend(declared_lines(rows, ms, value, line["entry_date"]))
    missing = not_modelled(str(line["origin"]), line["entry_date"], str(line["hts"]))
    if missing:
        explain.append(
            f"origin {line['origin']}: not modelled for this origin: "
            + "; ".join(e["label_en"] for e in missing)
            + " — the total is a floor, not the duty"
        )
    needs = [n for n in line["needs"].split(";") if n]
    source = str(line["column1_source"])
    description, revision = described or describe_code(
        line["hts"], matched, hts_table, line["entry_date"]
    )
    return {
        "hts": line["hts"],
        "hts_description": description,
        "schedule_revision": revision,
        "origin": line["origin"],
        "entry_date": line["entry_date"].isoformat(),
        "customs_value": value,
        "column1_rate_text": line["column1_rate_text"],
        "column1_source": COLUMN1_SOURCES.get(source, source),
        "base_rate": c1,
        "base_duty": _money(line["base_duty"]),
        "lines": out_lines,
        "additional_duty": _money(line["additional_duty"]),
        "total_duty": _money(line["total_duty"]),
        "total_rate": None if line["total_rate"] is None else round(line["total_rate"], 6),
        "total_complete": not missing and not needs,
        "not_modelled": missing,
        "needs": needs,
        "explain": explain,
    }


def _money(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


class NeedsEngine(Exception):
    """``quote(..., engine=False)`` met a line the fast path does not take."""


def quote(
    *,
    scenario: str | MeasureSet | None = None,
    hts_table: pl.DataFrame | None = None,
    broker: dict[str, Any] | None = None,
    fast: bool = True,
    engine: bool = True,
    **fields: Any,
) -> dict[str, Any]:
    """Price one line (fields as in ``quote_frame``) under a scenario and return the contract;
    ``hts_table`` replaces the shipped column-1 rates. The answer also carries the entry's fees
    and the AD/CVD orders that may cover it; ``broker`` (mode, producer, landed, krw, krw_rate,
    compare_korus) asks for more (``tiro.tariff.broker.landed.broker_view``).

    ``fast`` lets a line take the fast path (``quote_fast``: the same answer from caches);
    without ``engine`` a line the fast path cannot answer from its caches as they are raises
    ``NeedsEngine`` instead of running the engine or learning (the API route then runs it off
    the event loop)."""
    from tiro.core.parameters import get_params
    from tiro.tariff.broker.landed import broker_view

    ms = load_measure_set(scenario)

    def one(**given: Any) -> dict[str, Any]:
        if fast and hts_table is None:
            from tiro.tariff.pricing.quote_fast import fast_line

            found = fast_line(ms, given, learn=engine)
            if found is not None:
                line, key, matched, quoter = found
                described = quoter.describe(line["hts"], matched, line["entry_date"])
                return quote_answer(line, list(key.rows), matched, ms, None, described)
        if not engine:
            raise NeedsEngine
        return quote_from_priced(shared_price(quote_frame(**given), ms, hts_table), ms, hts_table)

    return broker_view(
        one(**fields),
        params=get_params(scenario if isinstance(scenario, str) else None),
        korus=fields.get("korus"),
        reprice=lambda claim: one(**{**fields, "korus": claim}),
        **(broker or {}),
    )


def timeline(
    *,
    hts: str,
    origin: str = "KR",
    customs_value: float = 10000.0,
    start: dt.date | None = None,
    end: dt.date | None = None,
    scenario: str | MeasureSet | None = None,
    hts_table: pl.DataFrame | None = None,
    **fields: Any,
) -> list[dict[str, Any]]:
    """Total rate of one HTS code at every date the measures change between start (default:
    the first measure) and end (default: the last date any record or rule starts or ends —
    bounded by the data, not by a calendar; issue 9 item 23), and on the first day of each shipped
    HTS revision in between. A date whose revision lacks the code (a statistical suffix split
    or retired) is a point with ``error`` and no rate; only when every date fails is it an
    error of the whole request."""
    ms = load_measure_set(scenario)
    t = tables_for(ms)
    start = t.first_date if start is None else start
    end = max(t.boundaries) if end is None else end
    if start < t.first_date:
        raise InvalidInput(
            f"before the data (the first measure starts {t.first_date})", field="start"
        )
    if end < start:
        raise InvalidInput("the end is before the start", field="end")
    starts = [] if hts_table is not None else [r.effective_from for r in revisions()]
    dates = sorted({start, *[d for d in (*t.boundaries, *starts) if start <= d <= end]})
    frame = pl.concat(
        [
            quote_frame(hts=hts, origin=origin, entry_date=d, customs_value=customs_value, **fields)
            for d in dates
        ]
    )
    p = shared_price(frame, ms, hts_table)
    if p.errors.height == len(dates) or (p.errors.height and p.errors["error_field"][0] != "hts"):
        err = p.errors.row(0, named=True)
        raise InvalidInput(err["error"], field=err["error_field"])

    def missing(on: dt.date) -> list[str]:
        return [e["program"] for e in not_modelled(str(origin), on, str(hts))]

    points = [
        {
            "date": r["entry_date"].isoformat(),
            "total_rate": r["total_rate"],
            "total_complete": not missing(r["entry_date"]) and not r["needs"],
            "not_modelled": missing(r["entry_date"]),
            "headings": r["headings"],
            "needs": r["needs"],
        }
        for r in p.lines.iter_rows(named=True)
    ]
    points += [
        {
            "date": r["entry_date"].isoformat(),
            "total_rate": None,
            "total_complete": False,
            "not_modelled": missing(r["entry_date"]),
            "headings": "",
            "needs": "",
            "error": r["error"],
        }
        for r in p.errors.iter_rows(named=True)
    ]
    return sorted(points, key=lambda point: point["date"])
