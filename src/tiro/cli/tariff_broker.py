"""Human output of what a broker adds to a tariff quote: fees, AD/CVD, landed cost, KORUS
claimed vs not (issue 11 item 3). The JSON answer carries the same keys unchanged."""

from __future__ import annotations

from typing import Any

from tiro.cli.output import console, details, table


def _usd(value: float | None) -> str:
    return "?" if value is None else f"{value:,.2f}"


def _krw(value: float | None) -> str:
    return "?" if value is None else f"{value:,.0f}"


def render_broker(q: dict[str, Any]) -> None:
    """Fees, AD/CVD orders, landed cost and the KORUS comparison, each only when present."""
    fees = q.get("fees")
    if fees:
        hmf = "needs --mode" if fees["hmf"] is None else _usd(fees["hmf"])
        console.print(
            details(
                "[bold]수수료 Fees[/bold]",
                [
                    ("MPF 상품처리수수료", f"{_usd(fees['mpf'])} ({fees['mpf_rule']})"),
                    (f"HMF 항만유지수수료 ({fees['mode'] or '?'})", hmf),
                ],
            )
        )
    adcvd = q.get("adcvd") or {}
    if adcvd.get("orders"):
        rows = [
            [
                o["case"],
                o["product"],
                o["company"] or ("all others" if o["rate_basis"] else "-"),
                "?" if o["rate"] is None else f"{o['rate'] * 100:.2f}%",
                _usd(o["deposit"]),
            ]
            for o in adcvd["orders"]
        ]
        cols = ["Case 사건", "Product 품목", "Company 업체", "Deposit rate", "Deposit 예치금"]
        console.print(
            table("반덤핑·상계관세 AD/CVD (HTS match; the written scope decides)", cols, rows)
        )
        if adcvd["needs"]:
            console.print(f"[yellow]AD/CVD needs: {', '.join(adcvd['needs'])}[/yellow]")
    landed = q.get("landed")
    if landed:
        usd, krw = landed["usd"], landed.get("krw") or {}
        labels = [
            ("customs_value", "과세가격 Customs value"),
            ("duties", "관세 Duties"),
            ("mpf", "MPF"),
            ("hmf", "HMF"),
            ("adcvd_deposits", "AD/CVD deposits"),
            ("total", "도착원가 Landed cost"),
        ]
        rows = [
            [label, _usd(usd[key]), _krw(krw.get(key)) if krw else "-"] for key, label in labels
        ]
        fx = landed.get("fx")
        rate = (
            ""
            if fx is None
            else f" — KRW {fx['krw_per_usd']:,.2f}/USD ({fx['rate_date'] or 'your rate'})"
        )
        console.print(table(f"도착원가 Landed cost{rate}", ["", "USD", "KRW"], rows))
        if fx is not None and fx.get("source"):
            console.print(f"환율 출처 FX source: {fx['source']}")
        if landed["needs"]:
            console.print(f"[yellow]Landed cost needs: {', '.join(landed['needs'])}[/yellow]")
    comparison = q.get("korus_comparison")
    if comparison:
        keys = [
            ("column1_rate_text", "Column 1 rate"),
            ("total_duty", "Total duty"),
            ("mpf", "MPF"),
            ("landed_usd", "Landed USD"),
        ]
        rows = [
            [
                label,
                str(comparison["claimed"][k]),
                str(comparison["not_claimed"][k]),
                str(comparison["saving_from_claim"].get(k, "")),
            ]
            for k, label in keys
        ]
        cols = ["", "KORUS claimed", "Not claimed", "Saving 절감"]
        console.print(table("KORUS 특혜 신청 비교 KORUS claimed vs not", cols, rows))


def render_orders(orders: list[dict[str, Any]]) -> None:
    """One table row per rate: the all-others rate, then each named company's."""
    rows = []
    for o in orders:
        rates = [("all others", o["all_others"]), *[(c["name"], c) for c in o["companies"]]]
        for who, r in rates:
            rate = "?" if r["rate"] is None else f"{r['rate'] * 100:.2f}%"
            rows.append([o["case"], o["product"], who, rate, r["from"] or "not loaded"])
    cols = ["Case 사건", "Product 품목", "Company 업체", "Deposit rate", "From 적용일"]
    console.print(table("반덤핑·상계관세 AD/CVD orders on goods of Korea", cols, rows))
