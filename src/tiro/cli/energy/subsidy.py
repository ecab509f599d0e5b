"""``tiro energy subsidy``: 원유 도입선 다변화 운임 지원 and 나프타 수입단가 차액 지원.

Thin shell over tiro.energy.subsidies.rules: parse, call, print.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import typer

from tiro.cli.energy.common import ACTOR, KEY, PARAMS_SCENARIO, parse_day
from tiro.cli.output import JSON_OPTION, cli_actor, console, details, emit, records
from tiro.core.db import session_scope
from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.energy.subsidies import claims
from tiro.energy.subsidies.conversion import conversion_support
from tiro.energy.subsidies.rules import freight_refund, naphtha_allocation

subsidy_app = typer.Typer(
    help="수입 보조금 Import subsidies: freight refund, naphtha differential.",
    no_args_is_help=True,
)


@subsidy_app.command("freight")
def subsidy_freight(
    excess_krw_per_litre: float = typer.Option(
        ..., "--excess-krw-per-litre", help="Freight above Middle-East crude, KRW/L (>= 0)."
    ),
    date: str = typer.Option(..., "--date", help="Date, YYYY-MM-DD."),
    contract_years: float | None = typer.Option(None, help="Contract length, years."),
    volume_mbbl_per_year: float | None = typer.Option(None, help="Contract volume, Mbbl/yr."),
    scenario: str | None = PARAMS_SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """운임 차액 환급 Refund of excess freight, capped at the import levy (16 KRW/L)."""
    data = freight_refund(
        params=get_params(scenario),
        excess_krw_per_litre=excess_krw_per_litre,
        on=parse_day(date, "--date"),
        contract_years=contract_years,
        volume_mbbl_per_year=volume_mbbl_per_year,
    )
    emit(
        data,
        as_json,
        lambda d: console.print(details("운임 지원", [(k, str(v)) for k, v in d.items()])),
    )


@subsidy_app.command("conversion")
def subsidy_conversion(
    capex_krw: int = typer.Option(..., "--capex-krw", min=0, help="Conversion capex, KRW."),
    added_capacity_bbl_day: float = typer.Option(
        ..., "--added-capacity-bbl-day", min=0, help="Capacity added for non-ME crude, bbl/day."
    ),
    rd_krw: int = typer.Option(0, "--rd-krw", min=0, help="Technology-development cost, KRW."),
    date: str = typer.Option(..., "--date", help="Date, YYYY-MM-DD."),
    scenario: str | None = PARAMS_SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """설비 전환 지원 Support for a refinery converting to non-Middle-East crude (SAMPLE rates)."""
    data = conversion_support(
        params=get_params(scenario),
        on=parse_day(date, "--date"),
        capex_krw=capex_krw,
        added_capacity_bbl_day=added_capacity_bbl_day,
        rd_krw=rd_krw,
    )
    rows = [(k, str(v)) for k, v in data.items() if k != "parameters"]
    emit(data, as_json, lambda d: console.print(details("설비 전환 지원 (sample)", rows)))


@subsidy_app.command("naphtha")
def subsidy_naphtha(
    file: Path = typer.Argument(
        ..., help="CSV: claimant, tonnes, import_price_usd_t, krw_per_usd."
    ),
    date: str = typer.Option(..., "--date", help="Date, YYYY-MM-DD."),
    budget_used_krw: int = typer.Option(0, min=0, help="Budget already committed, KRW."),
    scenario: str | None = PARAMS_SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """나프타 차액 지원 Per-claim differential and pro-rata payment within the budget."""
    try:
        frame = pl.read_csv(file, comment_prefix="#")
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise InvalidInput(f"cannot read {file}: {exc}".splitlines()[0], field="file") from None
    numeric = ["tonnes", "import_price_usd_t", "krw_per_usd"]
    frame = frame.with_columns(
        [pl.col(c).cast(pl.Float64, strict=False) for c in numeric if c in frame.columns]
    )
    for column in numeric:
        if column in frame.columns and frame[column].null_count():
            raise InvalidInput(f"{column} must be a number on every row", field=column)
    data = naphtha_allocation(
        params=get_params(scenario),
        claims=frame,
        on=parse_day(date, "--date"),
        budget_used_krw=budget_used_krw,
    )

    def render(d: dict) -> None:
        console.print(records("나프타 차액 지원 claims", d["claims"]))
        summary = {k: v for k, v in d.items() if k != "claims"}
        console.print(details("예산 budget", [(k, str(v)) for k, v in summary.items()]))

    emit(data, as_json, render)


claims_app = typer.Typer(
    help="보조금 청구 Claims ledger: submitted -> approved -> paid | rejected.",
    no_args_is_help=True,
)
subsidy_app.add_typer(claims_app, name="claims")
PROGRAMME = typer.Option("naphtha", "--programme", help="Programme (naphtha).")
CLAIM_ID = typer.Argument(..., min=1, help="Claim id.")


def _claim_line(d: dict) -> None:
    console.print(details(f"claim {d['id']}", [(k, str(v)) for k, v in d.items()]))


@claims_app.command("list")
def claims_list(programme: str = PROGRAMME, as_json: bool = JSON_OPTION) -> None:
    """Budget (committed, paid, remaining) and every claim of the programme."""
    with session_scope() as session:
        data = claims.ledger(session=session, programme=programme)

    def render(d: dict) -> None:
        if d["budget"]:
            console.print(details("예산 budget", [(k, str(v)) for k, v in d["budget"].items()]))
        console.print(records("청구 claims", d["claims"]))

    emit(data, as_json, render)


@claims_app.command("submit")
def claims_submit(
    key: str = KEY,
    claimant: str = typer.Option(..., help="Who claims (company)."),
    reference: str = typer.Option(..., help="Invoice or cargo the claim is for."),
    claimed_krw: int = typer.Option(..., min=1, help="Amount claimed, whole won."),
    date: str = typer.Option(..., "--date", help="Submission date, YYYY-MM-DD."),
    programme: str = PROGRAMME,
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """Submit a claim (idempotent by --key; a reference claimed twice is refused)."""
    with session_scope() as session:
        data = claims.submit(session=session, params=get_params(), key=key,
                             actor=cli_actor(actor), programme=programme, claimant=claimant,
                             reference=reference, claimed_krw=claimed_krw,
                             on=parse_day(date, "--date"))  # fmt: skip
    emit(data, as_json, _claim_line)


@claims_app.command("approve")
def claims_approve(
    claim_id: int = CLAIM_ID,
    date: str = typer.Option(..., "--date", help="Approval date, YYYY-MM-DD."),
    amount_krw: int | None = typer.Option(None, min=1, help="Amount (default: all claimed)."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """Approve within the budget left; refused naming what is left when it does not fit."""
    with session_scope() as session:
        data = claims.approve(session=session, actor=cli_actor(actor), claim_id=claim_id,
                              on=parse_day(date, "--date"), amount_krw=amount_krw)  # fmt: skip
    emit(data, as_json, _claim_line)


@claims_app.command("pay")
def claims_pay(
    claim_id: int = CLAIM_ID,
    date: str = typer.Option(..., "--date", help="Payment date, YYYY-MM-DD."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """Pay an approved claim once."""
    with session_scope() as session:
        data = claims.pay(session=session, actor=cli_actor(actor), claim_id=claim_id,
                          on=parse_day(date, "--date"))  # fmt: skip
    emit(data, as_json, _claim_line)


@claims_app.command("reject")
def claims_reject(
    claim_id: int = CLAIM_ID,
    reason: str = typer.Option(..., help="Why (kept on the claim and audited)."),
    date: str = typer.Option(..., "--date", help="Decision date, YYYY-MM-DD."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """Reject a submitted claim with the reason."""
    with session_scope() as session:
        data = claims.reject(session=session, actor=cli_actor(actor), claim_id=claim_id,
                             on=parse_day(date, "--date"), reason=reason)  # fmt: skip
    emit(data, as_json, _claim_line)
