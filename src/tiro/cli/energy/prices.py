"""``tiro energy fuel-tax`` and ``tiro energy price-cap``: 유류세 and 최고가격제.

Thin shell over tiro.energy.prices (fuel_tax, price_cap): parse, call, print.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import typer

from tiro.cli.energy.common import PARAMS_SCENARIO, parse_day
from tiro.cli.output import JSON_OPTION, console, details, emit, records
from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.energy.prices.cap_history import cap_history
from tiro.energy.prices.cpi_effect import cpi_effect
from tiro.energy.prices.cpi_path import cpi_effect_indexed
from tiro.energy.prices.fuel_tax import cut_history, fuel_tax
from tiro.energy.prices.price_cap import check_supply_prices, international_comparison, next_cap
from tiro.energy.prices.reference_price import reference_price

price_cap_app = typer.Typer(
    help="최고가격제 Maximum supply prices: the reset rule, supply-price checks, comparison.",
    no_args_is_help=True,
)

PRODUCT = typer.Option(..., "--product", help="gasoline, diesel, kerosene or lpg_butane.")
DATE = typer.Option(..., "--date", help="Date, YYYY-MM-DD.")


def _details(title: str, data: dict) -> None:
    console.print(details(title, [(k, str(v)) for k, v in data.items()]))


def fuel_tax_cmd(
    product: str = PRODUCT,
    date: str = DATE,
    cut: float | None = typer.Option(
        None, "--cut", help="Cut to apply instead of the one in force (0 = no cut, 0.07 = 7%)."
    ),
    history: bool = typer.Option(False, "--history", help="Add every dated cut and its total."),
    scenario: str | None = PARAMS_SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """유류세 Fuel tax per litre on a date: 교통·에너지·환경세 (or 개별소비세), 교육세, 주행세, VAT.

    The total is truncated to whole won, as the published figures are (763 gasoline, 523
    diesel at the 7%/10% cut).
    """
    params = get_params(scenario)
    data = fuel_tax(params=params, product=product, on=parse_day(date, "--date"), cut=cut)
    if history:
        data["history"] = cut_history(params, product)
    emit(data, as_json, lambda d: _details(f"유류세 fuel tax {d['product']} {d['date']}", d))


@price_cap_app.command("next")
def price_cap_next(
    product: str = typer.Option(..., "--product", help="gasoline, diesel or kerosene."),
    date: str = DATE,
    intl_change: float | None = typer.Option(
        None, "--intl-change", help="Change in international product prices (0.05 = +5%)."
    ),
    scenario: str | None = PARAMS_SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """다음 최고가격 The cap for the period after DATE: (P1 - taxes) x (1 + change) + taxes."""
    data = next_cap(
        params=get_params(scenario),
        product=product,
        on=parse_day(date, "--date"),
        intl_change=intl_change,
    )
    emit(data, as_json, lambda d: _details(f"최고가격 next cap {d['product']}", d))


@price_cap_app.command("check")
def price_cap_check(
    file: Path = typer.Argument(..., help="CSV: date, refiner, product, supply_price (KRW/L)."),
    scenario: str | None = PARAMS_SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """공급가격 점검 Refiners' supply prices against the published cap; breaches with the amount."""
    try:
        frame = pl.read_csv(file, comment_prefix="#", try_parse_dates=True)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise InvalidInput(f"cannot read {file}: {exc}".splitlines()[0], field="file") from None
    if "date" in frame.columns and frame["date"].dtype != pl.Date:
        raise InvalidInput("the date column must hold YYYY-MM-DD dates", field="date")
    if "supply_price" in frame.columns:
        frame = frame.with_columns(pl.col("supply_price").cast(pl.Float64, strict=False))
    data = check_supply_prices(get_params(scenario), frame)

    def render(d: dict) -> None:
        console.print(records(f"최고가격 점검 {d['checked']} rows", d["rows"]))
        console.print(f"breaches: {len(d['breaches'])}")

    emit(data, as_json, render)


@price_cap_app.command("compare")
def price_cap_compare(as_json: bool = JSON_OPTION) -> None:
    """국제 비교 Pump-price rise since pre-war: KR / US / UK (report 3 ②, sourced facts)."""
    data = international_comparison()
    emit(data, as_json, lambda d: console.print(records("전쟁 전 대비 상승률", d)))


def _pairs(values: list[str], field: str) -> dict[str, float] | None:
    """``product=KRW`` options as a mapping; a malformed one names its option."""
    if not values:
        return None
    out: dict[str, float] = {}
    for item in values:
        product, _, number = item.partition("=")
        try:
            out[product.strip()] = float(number)
        except ValueError:
            raise InvalidInput(f"{item!r} is not PRODUCT=KRW", field=field) from None
    return out


@price_cap_app.command("cpi")
def price_cap_cpi(
    month: str = typer.Option(..., "--month", help="Month, YYYY-MM."),
    capped: list[str] = typer.Option(
        [], "--capped", help="PRODUCT=KRW/L capped price (default: the published cap)."
    ),
    uncapped: list[str] = typer.Option(
        [], "--uncapped", help="PRODUCT=KRW/L uncapped price (default: refiners' 3/11 prices)."
    ),
    method: str = typer.Option(
        "frozen",
        "--method",
        help="frozen: uncapped = refiners' 3/11 prices; indexed: moved with each round's "
        "international change, day by day over the month.",
    ),
    scenario: str | None = PARAMS_SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """물가 효과 First-round CPI effect of the cap (pp), beside the official -0.6 / -1.2 pp."""
    params = get_params(scenario)
    if method not in ("frozen", "indexed"):
        raise InvalidInput(f"unknown method {method!r}: frozen or indexed", field="--method")
    if method == "indexed":
        if capped or uncapped:
            raise InvalidInput("--capped/--uncapped apply to the frozen method", field="--method")
        data = cpi_effect_indexed(params=params, month=month)
    else:
        data = cpi_effect(
            params=params,
            month=month,
            capped=_pairs(capped, "--capped"),
            uncapped=_pairs(uncapped, "--uncapped"),
        )

    def render(d: dict) -> None:
        console.print(records(f"물가 효과 CPI effect {d['month']}", d["products"]))
        summary = {k: v for k, v in d.items() if k != "products"}
        _details("estimate vs report (pp)", summary)

    emit(data, as_json, render)


@price_cap_app.command("history")
def price_cap_history(
    product: str = typer.Option(..., "--product", help="gasoline, diesel or kerosene."),
    until: str | None = typer.Option(None, "--until", help="Last date, YYYY-MM-DD (today)."),
    intl_change: float | None = typer.Option(
        None, "--intl-change", help="Cumulative change since pre-war for computed rounds."
    ),
    scenario: str | None = PARAMS_SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """차수별 최고가격 Every cap round: published where found, computed (labelled) where not."""
    data = cap_history(
        params=get_params(scenario),
        product=product,
        until=parse_day(until, "--until"),
        intl_change=intl_change,
    )

    def render(d: dict) -> None:
        console.print(records(f"최고가격 차수 {d['product']} to {d['until']}", d["rounds"]))
        console.print(d["assumption"])
        last = d["status"][-1]
        console.print(f"last confirmed in force: {last['date']} ({last['source']})")

    emit(data, as_json, render)


@price_cap_app.command("reference")
def price_cap_reference(
    product: str = PRODUCT,
    date: str = DATE,
    mops_usd_bbl: float = typer.Option(..., help="Singapore product price (MOPS), USD/bbl."),
    krw_per_usd: float = typer.Option(..., help="Exchange rate, KRW per USD."),
    freight_krw_per_litre: float = typer.Option(..., help="Freight and insurance, KRW/L."),
    margin_krw_per_litre: float = typer.Option(..., help="Refining and marketing margin, KRW/L."),
    scenario: str | None = PARAMS_SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """비용 기준가격 Cost-built price from MOPS, FX, freight, tariff, levy, taxes, margin, VAT."""
    data = reference_price(
        params=get_params(scenario),
        product=product,
        on=parse_day(date, "--date"),
        mops_usd_bbl=mops_usd_bbl,
        krw_per_usd=krw_per_usd,
        freight_krw_per_litre=freight_krw_per_litre,
        margin_krw_per_litre=margin_krw_per_litre,
    )
    emit(data, as_json, lambda d: _details(f"기준가격 reference {d['product']} {d['date']}", d))
