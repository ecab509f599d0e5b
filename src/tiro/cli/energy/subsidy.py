"""``tiro energy subsidy``: 원유 도입선 다변화 운임 지원 and 나프타 수입단가 차액 지원.

Thin shell over tiro.energy.subsidies.rules: parse, call, print.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import typer

from tiro.cli.energy.common import PARAMS_SCENARIO, parse_day
from tiro.cli.output import JSON_OPTION, console, details, emit, records
from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
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
