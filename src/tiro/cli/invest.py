"""``tiro invest``: the Korea–US strategic investment MOU (한미 전략적 투자 MOU).

Thin shell over tiro.invest: parse, call a service or engine, print (a table, or ``--json``).
Registry changes are audited as ``--actor`` (else TIRO_USER / the OS user).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from tiro.cli.output import JSON_OPTION, console, emit, plain_zero, table
from tiro.core.errors import InvalidInput
from tiro.core.validation import finite
from tiro.invest.limits import (
    MAX_CASH_FLOW_YEARS,
    check_amount,
    check_discount_rate,
    check_year,
)

app = typer.Typer(
    help="한미 전략적 투자 MOU: project pipeline, pre-review, reasonableness, capital calls.",
    no_args_is_help=True,
)

SCENARIO = typer.Option(None, "--scenario", help="Parameter scenario (name or YAML file).")
ACTOR = typer.Option(None, "--actor", help="Who the change is audited as.")
ON = typer.Option(None, "--on", help="Date of the step, YYYY-MM-DD (default today).")


def _day(value: str | None, field: str) -> dt.date:
    if value is None:
        from tiro.invest.calendar import today

        return today()
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{value!r} is not a date (YYYY-MM-DD)", field=field) from None


def _numbers(text: str, field: str) -> list[float]:
    """``1,2.5,-3`` as numbers; an empty list or a word is refused naming the option."""
    parts = [p.strip() for p in (text or "").split(",")]
    if not text or not text.strip() or any(p == "" for p in parts):
        raise InvalidInput("needs a comma-separated list of numbers, e.g. 60,60,60", field=field)
    out = []
    for index, part in enumerate(parts):
        try:
            number = float(part)
        except ValueError:
            raise InvalidInput(f"item {index + 1}: {part!r} is not a number", field=field) from None
        out.append(finite(number, field))
    return out


def _params(scenario: str | None):  # type: ignore[no-untyped-def]
    from tiro.core.parameters import get_params

    return get_params(scenario)


def _money(value: float) -> str:
    return plain_zero(f"{value:,.2f}")


@app.command("reasonableness")
def reasonableness_cmd(
    principal: float | None = typer.Option(None, "--principal", help="Principal paid at year 0."),
    cash_flows: str | None = typer.Option(
        None, "--cash-flows", help="Project cash flows, years 1..N, comma-separated."
    ),
    project: str | None = typer.Option(
        None, "--project", help="Take principal and cash flows from a registry project."
    ),
    discount_rate: float | None = typer.Option(
        None, "--discount-rate", help="Annual rate for the NPV (default: parameter)."
    ),
    on: str | None = typer.Option(None, "--on", help="Date of the terms (default today)."),
    scenario: str | None = SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """상업적 합리성 Korea's and the US's cash flows, recovery year, NPV, IRR, verdict."""
    from tiro.invest.terms import discount_rate_on, split_on
    from tiro.invest.waterfall import reasonableness

    day, params = _day(on, "--on"), _params(scenario)
    if project is not None:
        if principal is not None or cash_flows is not None:
            raise InvalidInput(
                "give --project or --principal/--cash-flows, not both", field="--project"
            )
        from tiro.core.db import session_scope
        from tiro.invest.service import describe, get_project

        with session_scope() as session:
            data = describe(get_project(session=session, ref=project))
        principal, flows = float(data["principal_usd"]), [float(v) for v in data["cash_flows"]]
    else:
        if principal is None:
            raise InvalidInput("is required (or --project)", field="--principal")
        flows = _numbers(cash_flows or "", "--cash-flows")
    if len(flows) > MAX_CASH_FLOW_YEARS:
        raise InvalidInput(
            f"at most {MAX_CASH_FLOW_YEARS} years of cash flows", field="--cash-flows"
        )
    if discount_rate is None:
        rate = discount_rate_on(params, day)
    else:
        rate = check_discount_rate(discount_rate, "--discount-rate")
    result = reasonableness(principal, flows, rate=rate, split=split_on(params, day))

    def render(r: dict) -> None:
        rows = [
            [str(t), _money(k + u), _money(k), _money(u)]
            for t, (k, u) in enumerate(
                zip(r["korea_cash_flows"], r["us_cash_flows"], strict=True), 1
            )
        ]
        console.print(table("waterfall (years from 1)", ["year", "cash flow", "Korea", "US"], rows))
        irr = (
            "null (principal never recovered)"
            if r["irr"] is None
            else plain_zero(f"{r['irr']:.4%}")
        )
        verdict = "yes" if r["commercially_reasonable"] else "NO"
        shown_rate = plain_zero(f"{rate:.2%}")
        console.print(
            f"principal {_money(r['principal'])}; recovered in year "
            f"{r['principal_recovered_year'] or 'never'}; NPV at {shown_rate} {_money(r['npv'])}; "
            f"IRR {irr}; commercially reasonable: {verdict}"
        )

    emit(result, as_json, render)


@app.command("schedule")
def schedule_cmd(
    pipeline: Path | None = typer.Option(
        None,
        "--pipeline",
        help="CSV project,priority,requested_year,amount_usd (default: registry).",
    ),
    cap: float | None = typer.Option(None, "--cap", help="What-if annual cap in USD."),
    defer: list[str] = typer.Option(
        [], "--defer", help="FX adjustment request PROJECT=YEAR: pay it from that year (repeat)."
    ),
    scenario: str | None = SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """자본 납입 일정 Capital calls under the annual cap (a linear programme through HiGHS)."""
    from tiro.invest.calendar import today
    from tiro.invest.io import read_pipeline
    from tiro.invest.schedule import solve
    from tiro.invest.terms import annual_cap

    if cap is not None:
        cap = check_amount(cap, "--cap")
    earliest = {}
    for item in defer:
        name, sep, year = item.rpartition("=")
        if not sep or not name.strip() or not year.strip().isdigit():
            raise InvalidInput(f"{item!r} is not PROJECT=YEAR", field="--defer")
        earliest[name.strip()] = check_year(int(year), "--defer")
    params = _params(scenario)
    if pipeline is None:
        from tiro.core.db import session_scope
        from tiro.invest.service import registry_pipeline

        with session_scope() as session:
            frame = registry_pipeline(session=session)
    else:
        frame = read_pipeline(pipeline)
    plan = solve(
        frame, (lambda y: cap) if cap else (lambda y: annual_cap(params, y)), earliest=earliest,
        first_year=today().year,
    )  # fmt: skip
    result = plan.contract()

    def render(r: dict) -> None:
        rows = [[c["project"], str(c["year"]), _money(c["amount"])] for c in r["calls"]]
        console.print(table("capital calls", ["project", "year", "USD"], rows))
        years = [
            [y, _money(t), _money(plan.caps[y]), f"{t / plan.caps[y]:.1%}"]
            for y, t in r["by_year"].items()
        ]
        console.print(table("by year", ["year", "USD", "cap", "used"], years))
        for d in r["deferred"]:
            console.print(
                f"deferred: {d['project']} {_money(d['amount'])} {d['from_year']} → {d['to_year']}"
            )
        if "first_year" in r:
            console.print(f"calls start in {r['first_year']['year']}: {r['first_year']['reason']}")

    emit(result, as_json, render)


@app.command("due-date")
def due_date_cmd(
    notice: str = typer.Option(..., "--notice", help="Date of the US notice, YYYY-MM-DD."),
    scenario: str | None = SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """납입 기한 Payment due date: notice + N US business days (federal holidays skipped)."""
    from tiro.invest.calendar import add_us_business_days
    from tiro.invest.terms import due_business_days

    day = _day(notice, "--notice")
    days = due_business_days(_params(scenario), day)
    result = {"notice": day.isoformat(), "business_days": days,
              "due": add_us_business_days(day, days).isoformat()}  # fmt: skip
    emit(
        result,
        as_json,
        lambda r: console.print(f"notice {r['notice']} + {days} US business days → due {r['due']}"),
    )


from tiro.cli import invest_registry  # noqa: E402  (registers projects/submit/advance)

invest_registry.register(app)
