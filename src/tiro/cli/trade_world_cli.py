"""``tiro trade concentration|complexity|rca|similarity|complementarity|diversification|rank``.

Indicators over a world table (many reporters × products) in the WITS and Growth Lab
definitions: HHI and the UNCTAD index named apart (집중도), Balassa RCA (현시비교우위),
Finger–Kreinin similarity (수출유사도), complementarity (무역보완도), DX (다변화), economic
complexity (경제복잡성) and Korea's rank among exporters (수출 순위).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import typer

from tiro.cli.lazy import deferred
from tiro.cli.output import JSON_OPTION, console, emit, table
from tiro.cli.trade_options import PERIOD, SCENARIO, bn, known_flow
from tiro.core.parameters import get_params
from tiro.trade import concentration as conc
from tiro.trade import ranking, similarity
from tiro.trade.schema import period_end

# SQLAlchemy and the flow store load when a command needs them (issue 10: start-up time).
latest_flows = deferred("tiro.trade.service", "latest_flows")
run_complexity = deferred("tiro.trade.complexity", "complexity")  # NumPy
read_input = deferred("tiro.trade.service", "read_input")

app = typer.Typer(help="Concentration, RCA, similarity, complexity and rank over a world table.")

WORLD = typer.Option(..., "--input", help="Plain CSV world table.")


def _exports(input_: Path, period: str, flow: str = "X") -> pl.DataFrame:
    """Each reporter's trade with the world per product, each product once (the WLD row,
    else its partners summed once: ``tiro.trade.partner_levels``; TOTAL rows left out)."""
    from tiro.trade.service import world_exports

    flows = latest_flows(source=read_input(input_), period=period, flow=flow)
    return world_exports(flows, flow=flow)


@app.command("concentration")
def concentration_cmd(
    input_: Path = typer.Option(..., "--input", help="Plain CSV of flows."),
    period: str = PERIOD,
    reporter: str = typer.Option(..., "--reporter", help="Reporter ISO alpha-3."),
    over: str = typer.Option("product", "--over", help="product or partner."),
    flow: str = typer.Option("X", "--flow", help="X or M."),
    as_json: bool = JSON_OPTION,
) -> None:
    """집중도 HHI, normalised HHI and UNCTAD concentration index (named apart)."""
    known_flow(flow)
    flows = latest_flows(source=read_input(input_), period=period, reporter=reporter, flow=flow)
    out = conc.concentration_over(flows, over=over)
    emit(
        out,
        as_json,
        lambda r: console.print(
            table(f"{reporter} {period} concentration over {over}", list(r), [list(r.values())])
        ),
    )


@app.command("complexity")
def complexity_cmd(
    input_: Path = typer.Option(..., "--input", help="Plain CSV of exports by reporter, product."),
    period: str = PERIOD,
    normalization: str = typer.Option(
        "growthlab", "--normalization", help="growthlab (PCI on ECI's mean/sd), self or none."
    ),
    ddof: int = typer.Option(
        0, "--ddof", min=0, max=1, help="Degrees of freedom of the sd: 0 (population) or 1."
    ),
    scenario: str = SCENARIO,
    as_json: bool = JSON_OPTION,
) -> None:
    """경제복잡성 ECI/PCI, diversity and ubiquity in the Growth Lab's definitions."""
    exports = _exports(input_, period).filter(pl.col("reporter") != "WLD")
    threshold = float(get_params(scenario).at("trade.complexity.rca_threshold", period_end(period)))
    result = run_complexity(exports, threshold=threshold, normalization=normalization, ddof=ddof)
    out = {
        "locations": result.locations.select("loc", "diversity", "eci").to_dicts(),
        "products": result.products.select("prod", "ubiquity", "pci").to_dicts(),
    }
    emit(
        out,
        as_json,
        lambda r: console.print(
            table(
                f"ECI {period}",
                ["loc", "diversity", "eci"],
                [[x["loc"], x["diversity"], f"{x['eci']:.3f}"] for x in r["locations"]],
            )
        ),
    )


@app.command("rca")
def rca_cmd(
    input_: Path = WORLD,
    period: str = PERIOD,
    reporter: str = typer.Option(None, "--reporter", help="Only this reporter."),
    as_json: bool = JSON_OPTION,
) -> None:
    """현시비교우위 Balassa RCA by reporter and product."""
    table_ = similarity.rca(_exports(input_, period))
    if reporter:
        table_ = table_.filter(pl.col("reporter") == reporter)
    emit(table_.to_dicts(), as_json)


@app.command("similarity")
def similarity_cmd(
    input_: Path = WORLD,
    period: str = PERIOD,
    a: str = typer.Option(..., "--a", help="First exporter."),
    b: str = typer.Option(..., "--b", help="Second exporter."),
    as_json: bool = JSON_OPTION,
) -> None:
    """수출유사도 Finger–Kreinin export similarity of two exporters (0–100)."""
    value = similarity.export_similarity(_exports(input_, period), a, b)
    emit({"period": period, "a": a, "b": b, "export_similarity": value}, as_json)


@app.command("complementarity")
def complementarity_cmd(
    input_: Path = typer.Option(..., "--input", help="Plain CSV world table (X and M)."),
    period: str = PERIOD,
    exporter: str = typer.Option(..., "--exporter", help="Exporting country."),
    importer: str = typer.Option(..., "--importer", help="Importing country."),
    as_json: bool = JSON_OPTION,
) -> None:
    """무역보완도 Trade complementarity of an exporter with an importer (0–100)."""
    value = similarity.trade_complementarity(
        _exports(input_, period, "X"), _exports(input_, period, "M"), exporter, importer
    )
    out = {"period": period, "exporter": exporter, "importer": importer}
    emit({**out, "trade_complementarity": value}, as_json)


@app.command("diversification")
def diversification_cmd(
    input_: Path = WORLD,
    period: str = PERIOD,
    as_json: bool = JSON_OPTION,
) -> None:
    """다변화 WITS diversification index DX per exporter (0 = world structure)."""
    emit(conc.diversification_dx(_exports(input_, period)).to_dicts(), as_json)


@app.command("rank")
def rank_cmd(
    input_: Path = typer.Option(..., "--input", help="World table: reporters' exports to WLD."),
    period: str = typer.Option(..., "--period", help="Period, or START:END month window."),
    reporter: str = typer.Option("KOR", "--reporter", help="Country to place."),
    as_json: bool = JSON_OPTION,
) -> None:
    """수출 순위 Rank of a country among exporters in a world table."""
    from tiro.trade.periods import month_range

    start, _, end = period.partition(":")
    periods = month_range(start, end, field="period") if end else [start]
    flows = latest_flows(source=read_input(input_))
    out = ranking.rank_of(ranking.rank_exporters(flows, periods=periods), reporter)
    emit(
        out,
        as_json,
        lambda r: console.print(
            f"{r['reporter']} ranks {r['rank']} of {r['of']} ({bn(r['value'])} bn)"
        ),
    )
