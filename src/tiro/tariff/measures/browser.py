"""Measures browser and watch list (조치 조회·감시 목록).

``measures_for_code`` lists every dated record whose HTS and origin scope touch a code, over
time or on one date. ``watch_impact`` adds candidate measures from a YAML file (a Section 301
action, a rumoured increase) on top of the actual regime and prices the shipped basket with and
without them, so a new US measure shows its cost to Korea's exports at once (report §1 향후계획:
"미측 후속관세(무역법 301조 등) 관련 동향 주시").
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tiro.core.errors import InvalidInput, TiroError
from tiro.core.validation import finite_tree
from tiro.core.yaml_strict import load_yaml
from tiro.tariff.batch.readers import refusing_bad_content
from tiro.tariff.deal.compare import load_basket, price_basket
from tiro.tariff.measures.data import (
    Measure,
    MeasureSet,
    apply_overlay,
    hts_digits,
    load_measure_set,
)
from tiro.tariff.measures.tables import tables_for
from tiro.tariff.measures.validate import check_measure_set
from tiro.tariff.pricing.engine import price
from tiro.tariff.pricing.quote import quote_frame
from tiro.tariff.pricing.quote_lines import BASIS_LABELS


def _touches(m: Measure, code: str, origin: str) -> bool:
    hts_ok = any(code.startswith(p) for p in m.hts_include) and not any(
        code.startswith(p) for p in m.hts_exclude
    )
    origin_ok = (
        "*" in m.origin_include or origin in m.origin_include
    ) and origin not in m.origin_exclude
    return hts_ok and origin_ok


def _rate_text(m: Measure) -> str:
    if m.rate_kind == "free":
        return "free"
    if m.rate_kind == "top_up_to":
        return f"top up to {m.rate_value:.2%} all-in"
    if m.rate_kind == "specific":
        return f"{m.specific_amount} USD/{m.specific_per}"
    if m.rate_kind == "minimum_import_price":
        return f"minimum import price {m.specific_amount} USD/{m.specific_per}"
    text = f"{m.rate_value:.2%}"
    return (
        text
        if m.rate_kind == "ad_valorem"
        else f"{text} + {m.specific_amount} USD/{m.specific_per}"
    )


def _check_like_quote(hts: str, origin: str, on: dt.date | None, ms: MeasureSet) -> None:
    """Refuse the code, origin and date a quote would refuse (issue 9 item 23): the same row
    checks, run on a one-line frame, so the browser cannot list measures for a code the
    schedule does not have, a country that does not exist or a date before any measure."""
    first = tables_for(ms).first_date
    frame = quote_frame(hts=hts, origin=origin, entry_date=on or first, customs_value=0.0)
    errors = price(frame, ms).errors
    if errors.height:
        err = errors.row(0, named=True)
        field = "date" if err["error_field"] == "entry_date" else err["error_field"]
        raise InvalidInput(err["error"], field=field)


def measures_for_code(
    hts: str,
    *,
    origin: str = "KR",
    on: dt.date | None = None,
    scenario: str | MeasureSet | None = None,
) -> list[dict[str, Any]]:
    """Every record touching ``hts`` for ``origin`` (in force on ``on`` when given), by date."""
    code = hts_digits(hts)
    if not code.isdigit() or len(code) not in (8, 10):
        raise InvalidInput(f"malformed HTS code {hts}: need 8 or 10 digits", field="hts")
    ms = load_measure_set(scenario)
    _check_like_quote(hts, origin, on, ms)
    hits = [m for m in ms.measures if _touches(m, code, origin)]
    if on is not None:
        hits = [m for m in hits if m.valid_from <= on and (m.valid_to is None or on < m.valid_to)]
    return [
        {
            "id": m.id,
            "heading": m.heading,
            "program": m.program,
            "program_label": " ".join(
                filter(None, [ms.programs.get(m.program, {}).get(k) for k in ("ko", "en")])
            ),
            "label_ko": m.label_ko,
            "label_en": m.label_en,
            "valid_from": m.valid_from.isoformat(),
            "valid_to": None if m.valid_to is None else m.valid_to.isoformat(),
            "rate": _rate_text(m),
            "basis": m.basis,
            "basis_label": BASIS_LABELS.get(m.basis, m.basis),
            "conditions": ", ".join(f"{k}={v}" for k, v in m.conditions.items()),
            "citation": m.citation,
            "verified": m.verified,
        }
        for m in sorted(hits, key=lambda m: (m.valid_from, m.heading or ""))
    ]


def watch_impact(path: Path, *, on: dt.date | None = None) -> dict[str, Any]:
    """The shipped basket's duty on ``on`` (default: the first candidate's start) with and
    without the candidate measures of a watch YAML file (keys ``measures``, ``interactions``)."""
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}", field="watch")
    with refusing_bad_content("watch", path):
        raw = load_yaml(path) or {}
    if (
        not isinstance(raw, dict)
        or not isinstance(raw.get("measures"), list)
        or not raw["measures"]
    ):
        raise InvalidInput("a watch file needs a non-empty 'measures' list", field="watch")
    if not all(isinstance(r, dict) for r in raw["measures"]):
        raise InvalidInput("each entry of 'measures' must be a measure record", field="watch")
    finite_tree(raw, "watch")
    base = load_measure_set(None)
    overlay = {
        "add": raw["measures"],
        "interactions": raw.get("interactions") or [],
        "no_stack": raw.get("no_stack") or [],
    }
    try:
        watched = apply_overlay(base, overlay, f"watch:{path.stem}")
        check_measure_set(watched)
    except InvalidInput:
        raise
    except TiroError as exc:  # a bad record in the user's file is the user's input, not ours
        raise InvalidInput(exc.message, field="watch") from None
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise InvalidInput(f"malformed measure record: {exc}", field="watch") from None
    added = [m for m in watched.measures if m.id not in base.by_id()]
    when = on or min(m.valid_from for m in added)
    basket = load_basket(None)
    before = price_basket(basket, base, when)
    after = price_basket(basket, watched, when)
    duty_before = float(before["total_duty"].sum() or 0.0)
    duty_after = float(after["total_duty"].sum() or 0.0)
    groups = [
        {"product_group": g, "duty_before": b, "duty_after": a}
        for g, b, a in zip(
            basket.filter(basket["hts"].is_not_null())["product_group"].to_list(),
            before["total_duty"].to_list(),
            after["total_duty"].to_list(),
            strict=True,
        )
    ]
    return {
        "file": str(path),
        "description": raw.get("description", ""),
        "measure_ids": [m.id for m in added],
        "entry_date": when.isoformat(),
        "duty_before": round(duty_before, 2),
        "duty_after": round(duty_after, 2),
        "impact": round(duty_after - duty_before, 2),
        "by_product_group": groups,
    }
