"""``tiro tariff``: US tariff on Korean goods — quote, batch, deal scenarios, measures browser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import typer

from tiro.cli.output import JSON_OPTION, console, details, emit, table
from tiro.cli.tariff_files import HTS_TABLE_OPTION, register
from tiro.core.errors import InvalidInput

# The tariff engines (Polars, the measure records) are imported inside each command, so
# that loading this sub-app costs nothing until a command runs (issue 10: start-up time).

app = typer.Typer(
    help="미국 관세 US tariff on Korean goods: quote a line, price a file, compare deal scenarios.",
    no_args_is_help=True,
)


def _render_quote(q: dict[str, Any]) -> None:
    """The duty lines as a table, the legal basis and the explanation as details below.

    A citation is a sentence: in a table cell at 80 columns it wrapped over 20 lines.
    """
    rows = [
        [
            ln["heading"] or "-",
            ln.get("program_label") or ln["program"],  # labels, not internal codes (issue 9)
            _pct(ln["rate"]),
            ln.get("basis_label") or ln["basis"],
            _usd(ln["basis_value"]),
            _usd(ln["duty"]),
        ]
        for ln in q["lines"]
    ]
    console.print(
        f"[bold]관세 견적 Quote[/bold] — HTS {q['hts']} · {q['origin']} · {q['entry_date']} · "
        f"USD {q['customs_value']:,.2f}",
        highlight=False,
    )
    cols = ["Heading 호", "Programme 제도", "Rate 세율", "Basis 과세기준", "Basis value",
            "Duty 관세"]  # fmt: skip
    console.print(table("", cols, rows))
    console.print(
        details(
            "",
            [
                ("품명 Description", q.get("hts_description") or "?"),
                (
                    f"기본세율 Base rate (column 1, {q.get('column1_source', '?')})",
                    f"{q.get('column1_rate_text') or '?'} = {_pct(q['base_rate'])}",
                ),
                ("기본관세 Base duty", _usd(q.get("base_duty"))),
                ("추가관세 Additional duty", _usd(q["additional_duty"])),
                ("총관세 Total duty", _usd(q["total_duty"])),
                ("총세율 Total rate", _pct(q["total_rate"])),
                ("세율표 Schedule", q.get("schedule_revision") or "?"),
            ],
        )
    )
    if q.get("not_modelled"):
        missing = "; ".join(e["label_en"] for e in q["not_modelled"])
        console.print(
            f"[red]미반영 Not modelled for origin {q['origin']}: {missing} — "
            "the total is a floor, not the duty[/red]"
        )
    if q["needs"]:
        console.print(f"[yellow]추가 정보 필요 Needs: {', '.join(q['needs'])}[/yellow]")
    basis = [
        (ln["heading"] or "-", " ".join(filter(None, [ln["citation"].get("title"),
                                                      ln["citation"].get("href")])))
        for ln in q["lines"]
    ]  # fmt: skip
    if basis:
        console.print(details("[bold]근거 Legal basis[/bold]", basis))
    console.print(details("[bold]설명 Explanation[/bold]", [("·", line) for line in q["explain"]]))


def _pct(value: float | None) -> str:
    return "?" if value is None else f"{value * 100:.2f}%"


def _usd(value: float | None) -> str:
    return "?" if value is None else f"{value:,.2f}"


@app.command("quote")
def quote_cmd(
    hts: str = typer.Option(..., "--hts", help="HTS code, 8 or 10 digits (dots allowed)."),
    origin: str = typer.Option("KR", "--origin", help="Country of origin, ISO 3166-1 alpha-2."),
    date: str = typer.Option(..., "--date", help="Entry date YYYY-MM-DD."),
    value: float = typer.Option(..., "--value", help="Customs value in USD."),
    quantity: float | None = typer.Option(None, "--quantity", help="Quantity, for specific rates."),
    unit: str | None = typer.Option(
        None, "--unit", help="Unit of --quantity (kg, t, liter, bbl...)."
    ),
    korus: bool | None = typer.Option(
        None, "--korus/--no-korus", help="KORUS claimed (default: yes for KR)."
    ),
    metal_share: float | None = typer.Option(
        None, "--metal-share", help="Metal share of value, 0-1."
    ),
    fact: list[str] = typer.Option(
        [],
        "--fact",
        help="Other facts NAME=true|false (civil_aircraft, advanced_chip, pharma_patented, listed_company, vehicle_part, civil_aircraft_use, pharma_use, auto_parts_certified, mhdv_parts_certified, uas_use, uas_thermal_imaging, uas_allied_components, mip_documented, usmca).",
    ),
    scenario: str | None = typer.Option(
        None, "--scenario", help="Scenario name or overlay YAML (default: actual)."
    ),
    hts_table: Path | None = HTS_TABLE_OPTION,
    mode: str | None = typer.Option(
        None,
        "--mode",
        help="Transport mode: ocean, air, truck, rail, mail, any letter case (the HMF needs it).",
    ),
    producer: str | None = typer.Option(
        None, "--producer", help="Producer, for AD/CVD deposits (unnamed in the order: all-others)."
    ),
    landed: bool = typer.Option(
        False, "--landed", help="Landed cost: value + duties + MPF + HMF + AD/CVD deposits."
    ),
    krw: bool = typer.Option(
        False, "--krw", help="Landed cost in KRW too, at the entry date's H.10 KRW/USD rate."
    ),
    krw_rate: float | None = typer.Option(
        None, "--krw-rate", help="Your own KRW per USD rate instead of the H.10 table."
    ),
    compare_korus: bool = typer.Option(
        False, "--compare-korus", help="KORUS claimed vs not claimed, side by side."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Quote the US duty on one line: every Chapter 99 heading with rate, basis, amount and legal basis."""
    from tiro.tariff.pricing.quote import parse_facts
    from tiro.tariff.pricing.quote import quote as run_quote
    from tiro.tariff.schedule.usitc_json import read_hts_table

    q = run_quote(
        hts=hts,
        origin=origin,
        entry_date=date,
        customs_value=value,
        quantity=quantity,
        unit=unit,
        korus=korus,
        metal_share=metal_share,
        facts=parse_facts(fact),
        scenario=scenario,
        hts_table=None if hts_table is None else read_hts_table(hts_table),
        broker={
            "mode": mode,
            "producer": producer,
            "landed": landed,
            "krw": krw,
            "krw_rate": krw_rate,
            "compare_korus": compare_korus,
        },
    )
    emit(q, as_json, _render_broker_quote)


@app.command("adcvd")
def adcvd_cmd(
    hts: str | None = typer.Option(None, "--hts", help="Only orders that may cover this code."),
    date: str | None = typer.Option(None, "--date", help="Date YYYY-MM-DD (default: today)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """AD/CVD orders on Korean goods in force on a date: case, product, HTS references, the
    all-others and company cash-deposit rates with their sources (반덤핑·상계관세)."""
    from tiro.cli.tariff_broker import render_orders
    from tiro.tariff.broker.adcvd import order_listing

    try:
        day = dt.date.today() if date is None else dt.date.fromisoformat(date)
    except ValueError:
        raise InvalidInput(f"not a date (YYYY-MM-DD): {date}", field="date") from None
    emit(order_listing(hts=hts, on=day), as_json, render_orders)


def _render_broker_quote(q: dict[str, Any]) -> None:
    """The quote, then what the broker adds (issue 11 item 3)."""
    from tiro.cli.tariff_broker import render_broker

    _render_quote(q)
    render_broker(q)


register(app)


@app.command("compare")
def compare_cmd(
    basket: Path | None = typer.Option(
        None,
        "--basket",
        help="Basket CSV/Parquet (hts, value_usd[, product_group]); default: Korea's 2024 exports to the US.",
    ),
    scenarios: str = typer.Option(
        "actual,no_deal,threat_2026_01", "--scenarios", help="Comma-separated scenario names."
    ),
    date: str | None = typer.Option(None, "--date", help="Entry date YYYY-MM-DD (default: today)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Price a basket under several scenarios side by side; totals by product group and HS chapter, and the deal's saving."""
    on = _date(date) if date else dt.date.today()
    from tiro.tariff.deal.compare import compare_basket, load_basket

    names = tuple(s.strip() for s in scenarios.split(",") if s.strip())
    result = compare_basket(load_basket(basket), scenarios=names, on=on)

    def render(r: dict[str, Any]) -> None:
        # A basket without product_group names its groups by HTS code: one column, not two.
        named = any(g["product_group"] != g["hts"] for g in r["by_product_group"])
        cols = [*(["Product group 품목"] if named else []), "HTS", "Value USD mn",
                *[f"{s} duty" for s in names]]  # fmt: skip
        rows = [
            [
                *([g["product_group"]] if named else []),
                g["hts"],
                f"{g['customs_value'] / 1e6:,.0f}",
                *[_usd_mn(g[f"duty_{s}"]) for s in names],
            ]
            for g in r["by_product_group"]
        ]
        console.print(
            table(f"관세 비교 Scenario comparison on {r['entry_date']} (USD mn)", cols, rows)
        )
        chap = [
            [
                c["hs_chapter"],
                f"{c['customs_value'] / 1e6:,.0f}",
                *[_usd_mn(c[f"duty_{s}"]) for s in names],
            ]
            for c in r["by_hs_chapter"]
        ]
        console.print(table("HS 류별 By HS chapter (USD mn)", ["HS", "Value", *names], chap))
        for s in names:
            t = r["totals"][s]
            waiting = t["value_waiting_for_facts"]
            note = (
                f" (+ USD {waiting / 1e6:,.0f} mn of lines waiting for a fact: ?)"
                if waiting
                else ""
            )
            console.print(f"{s}: duty USD {t['duty'] / 1e6:,.0f} mn, rate {_pct(t['rate'])}{note}")
        if "deal_saving" in r:
            console.print(
                f"[green]협상 효과 Deal saving (no_deal − actual): USD {r['deal_saving'] / 1e6:,.0f} mn[/green]"
            )
        if r["unpriced_value"]:
            groups = ", ".join(dict.fromkeys(g for g in r["unpriced_groups"] if g))
            console.print(
                f"미분류 잔여 Unpriced residual: USD {r['unpriced_value'] / 1e6:,.0f} mn "
                f"({groups or 'rows without an HTS line'}) — basket rows with no single HTS "
                "line (the rest of the published total: many goods at many rates), carried at "
                "their value with no duty; the duties and rates above cover the priced "
                f"USD {r['priced_value'] / 1e6:,.0f} mn only.",
                highlight=False,
            )

    emit(result, as_json, render)


def _usd_mn(value: float | None) -> str:
    return "?" if value is None else f"{value / 1e6:,.0f}"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"not a date (YYYY-MM-DD): {text}", field="date") from exc


@app.command("measures")
def measures_cmd(
    hts: str = typer.Option(..., "--hts", help="HTS code to list measures for."),
    origin: str = typer.Option("KR", "--origin", help="Country of origin, ISO alpha-2."),
    date: str | None = typer.Option(None, "--date", help="Only measures in force on this date."),
    watch: Path | None = typer.Option(
        None,
        "--watch",
        help="Candidate measure YAML (e.g. a Section 301 action): show its impact on the shipped basket.",
    ),
    scenario: str | None = typer.Option(None, "--scenario", help="Scenario name or overlay YAML."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List every measure that touches an HTS code over time (or on --date); --watch adds a candidate measure."""
    from tiro.tariff.measures.browser import measures_for_code, watch_impact

    result: dict[str, Any] = {
        "measures": measures_for_code(
            hts, origin=origin, on=_date(date) if date else None, scenario=scenario
        )
    }
    if watch is not None:
        result["watch"] = watch_impact(watch, on=_date(date) if date else None)

    def render(r: dict[str, Any]) -> None:
        # Eight columns do not fit 80: programme, basis and conditions join the label.
        rows = [
            [
                m["heading"] or "-",
                m["valid_from"],
                m["valid_to"] or "",
                m["rate"],
                " · ".join(
                    filter(None, [m["label_en"], m.get("program_label") or m["program"],
                                  f"on {m.get('basis_label') or m['basis']}",
                                  m["conditions"] and f"if {m['conditions']}"])
                ),
            ]
            for m in r["measures"]
        ]  # fmt: skip
        console.print(
            table(
                f"HTS {hts} 관련 조치 Measures touching {hts} ({origin})",
                ["Heading", "From", "To", "Rate", "조치 Measure · programme · basis · conditions"],
                rows,
            )
        )
        if "watch" in r:
            w = r["watch"]
            console.print(
                f"감시 조치 Watch: {w['measure_ids']} on {w['entry_date']}: basket duty "
                f"USD {w['duty_before'] / 1e6:,.0f} mn -> {w['duty_after'] / 1e6:,.0f} mn "
                f"(+{w['impact'] / 1e6:,.0f} mn)"
            )

    emit(result, as_json, render)
