"""``tiro energy allocate``: 필수품목 우선 공급 — scarce feedstock by priority tier.

Thin shell over tiro.energy.allocation (io reads the request, engine solves the HiGHS LP).
"""

from __future__ import annotations

from pathlib import Path

import typer

from tiro.cli.energy.common import PARAMS_SCENARIO, fmt
from tiro.cli.output import JSON_OPTION, console, emit, table
from tiro.core.parameters import get_params
from tiro.energy.allocation.io import load_request, run_allocation


def allocate_cmd(
    file: Path = typer.Argument(..., help="Allocation request YAML (see data/energy/allocation/)."),
    scenario: str | None = PARAMS_SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """필수품목 우선 공급 Allocate scarce feedstock by priority tier (HiGHS linear programme)."""
    result = run_allocation(load_request(file), params=get_params(scenario))

    def render(r: dict) -> None:
        console.print(f"[bold]{r['name']}[/bold] ({r['data_label']}) {r['product']} {r['date']}")
        limits = ", ".join(f"{k} {v:,.0f}" for k, v in r["regional_limits"].items()) or "none"
        console.print(
            f"공급 supply {r['supply']:,.0f} {r['unit']}; 지역 한도 regional limits: {limits}"
        )
        # Ten fields per customer do not fit 80 columns: the figures go in one table, the
        # names and items (prose) in a second one keyed by the same id.
        rows = [
            [
                c["customer_id"],
                c["tier"],
                c["region"],
                fmt(c["demand"]),
                fmt(c["minimum"]),
                fmt(c["allocated"]),
                fmt(c["unmet"]),
                f"{c['fill_ratio']:.1%}",
            ]
            for c in r["customers"]
        ]
        cols = ["id", "등급 tier", "지역 region", "수요 demand", "최소 min",
                "배정 allocated", "미충족 unmet", "fill"]  # fmt: skip
        console.print(table(f"배정 결과 allocation ({r['unit']})", cols, rows))
        names = [[c["customer_id"], c["name"], c["item"]] for c in r["customers"]]
        console.print(table("수요처 customers", ["id", "수요처 customer", "품목 item"], names))
        tiers = [
            [
                t["tier"],
                f"{t['tier_ko']} {t['tier_en']}",
                fmt(t["demand"]),
                fmt(t["allocated"]),
                fmt(t["unmet"]),
                f"{t['fill_ratio']:.1%}",
            ]
            for t in r["tiers"]
        ]
        cols = ["tier", "등급 name", "수요 demand", "배정 allocated", "미충족 unmet", "fill"]
        console.print(table("등급별 by tier", cols, tiers))

    emit(result, as_json, render)
