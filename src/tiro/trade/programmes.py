"""Export-support programmes (수출 지원): budgets, targets and commitments as of a date.

The report's support figures — finance for tariff-hit firms (13.6조원), supply-chain guarantees
(2.4조원 in six sector tranches), preferential bank finance (15조원), Middle-East war vouchers
(335억원) and insurance (6.9조원), trade finance to 2030 (187조원) — are budgets set by a
package on a date; tiro holds them as parameters (``trade.programmes.<id>``) and the steps
taken as dated records, so "how much is committed by date D" is a computation, not a quote.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources

import polars as pl

from tiro.core.errors import InvalidInput, ParameterDateError
from tiro.core.parameters import ParameterTree

PREFIX = "trade.programmes."
_DATA = "tiro.data.trade.programmes"


def _read(name: str) -> pl.DataFrame:
    with resources.as_file(resources.files(_DATA) / name) as path:
        return pl.read_csv(path, comment_prefix="#", infer_schema_length=0)


def load_programmes() -> pl.DataFrame:
    """The programme register (what each programme is, which package launched it)."""
    return _read("programmes.csv").with_columns(pl.col("announced").str.to_date())


def load_commitments() -> pl.DataFrame:
    """Dated steps: tranche launches (no amount) and stated running totals."""
    return _read("commitments.csv").with_columns(
        pl.col("date").str.to_date(),
        pl.col("amount_krw_bn").cast(pl.Float64),
        pl.col("cumulative") == "true",
    )


def status(on: dt.date, *, params: ParameterTree) -> pl.DataFrame:
    """Per programme on a date: budget or target, committed so far, utilisation, steps."""
    register = load_programmes()
    if on < register["announced"].min():
        raise InvalidInput(f"no programme was announced by {on}", field="date")
    steps = load_commitments().filter(pl.col("date") <= on)
    latest_total = (
        steps.filter(pl.col("cumulative"))
        .sort("date")
        .group_by("programme_id")
        .agg(committed_krw_bn=pl.col("amount_krw_bn").last(), committed_on=pl.col("date").last())
    )
    step_counts = (
        steps.filter(~pl.col("cumulative"))
        .group_by("programme_id")
        .agg(steps=pl.len(), last_step=pl.col("step").sort_by("date").last())
    )
    budgets = []
    for pid in register["id"]:
        leaf = params.leaf(PREFIX + pid)
        try:
            value = params.at(PREFIX + pid, on)
        except ParameterDateError:
            value = None
        budgets.append({"id": pid, "budget": value, "unit": leaf.unit})
    table = pl.DataFrame(budgets, schema={"id": pl.Utf8, "budget": pl.Float64, "unit": pl.Utf8})
    return (
        register.join(table, on="id", how="left")
        .join(latest_total, left_on="id", right_on="programme_id", how="left")
        .join(step_counts, left_on="id", right_on="programme_id", how="left")
        .with_columns(
            pl.col("steps").fill_null(0),
            announced_by_date=pl.col("announced") <= on,
            utilisation=pl.when(pl.col("unit") == "currency-KRW-bn").then(
                pl.col("committed_krw_bn") / pl.col("budget")
            ),
        )
        .sort("announced", "id")
    )


def totals(frame: pl.DataFrame) -> dict[str, float]:
    """Money programmes summed by kind (KRW bn); count targets are not money and stay out."""
    money = frame.filter((pl.col("unit") == "currency-KRW-bn") & pl.col("budget").is_not_null())
    by_kind = money.group_by("kind").agg(pl.col("budget").sum()).sort("kind")
    return dict(zip(by_kind["kind"], by_kind["budget"], strict=True))
