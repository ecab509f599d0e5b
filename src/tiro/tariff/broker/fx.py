"""The won-dollar rate of an entry date (원/달러 환율): a dated table, one rule, no guessing.

The table is the Federal Reserve's H.10 noon buying rate in New York (FRED DEXKOUS, KRW per USD),
shipped in ``data/tariff/fx/krw_per_usd_h10.csv`` with its provenance. After the last H.10 rate a
public copy gave, the days that copy lacks are continued by a second, separately sourced table:
the ECB reference-rate cross rate (``krw_per_usd_ecb_cross.csv``, KRW per EUR / USD per EUR), never
mixed with H.10 on one day, and every rate says which source it came from. The rule for any
calendar date is: **the last rate published on or before that date** — a Saturday, Sunday or
holiday takes the previous business day's rate, as a broker converting on the day would. A date
before the table, or later than the last rate by more than ``tariff.fx.max_gap_days``, has no
rate: that is an error naming the date's field and the last rate's date as stale, never a stale
or extrapolated rate used silently. A caller who has its own rate (a bank's, the Korea Customs
Service's weekly rate) passes it and it is used as given, labelled as the caller's.

(CBP itself converts foreign-currency invoices *into* dollars at the rate of the date of
exportation, 19 CFR 159.32; this table goes the other way, to show a Korean exporter the landed
cost in won.)
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

from tiro.core.errors import InvalidInput, ParameterFileError
from tiro.core.parameters import ParameterTree

FX_DIR = Path(__file__).resolve().parents[2] / "data" / "tariff" / "fx"
FX_FILE = FX_DIR / "krw_per_usd_h10.csv"
CROSS_FILE = FX_DIR / "krw_per_usd_ecb_cross.csv"
SOURCE = "Federal Reserve H.10 noon buying rate (FRED DEXKOUS), KRW per USD"
SOURCE_HREF = "https://fred.stlouisfed.org/series/DEXKOUS"
CROSS_SOURCE = (
    "ECB euro reference rates, cross rate KRW per EUR / USD per EUR (not H.10: used only after "
    "the H.10 table ends; differs from H.10 by 0.14% median)"
)
CROSS_HREF = (
    "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/"
    "html/index.en.html"
)
_SOURCES = {"h10": (SOURCE, SOURCE_HREF), "ecb_cross": (CROSS_SOURCE, CROSS_HREF)}
MAX_OWN_RATE = 100_000.0
"""A caller's KRW/USD rate above this is a typo (the won has traded near 1,000-2,000)."""


@dataclass(frozen=True)
class FxRate:
    """KRW per USD used for a date, the date it was published and where it came from."""

    krw_per_usd: float
    rate_date: dt.date | None
    for_date: dt.date
    source: str
    href: str | None = None

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "krw_per_usd": self.krw_per_usd,
            "rate_date": None if self.rate_date is None else self.rate_date.isoformat(),
            "for_date": self.for_date.isoformat(),
            "source": self.source,
            "href": self.href,
        }


@lru_cache(maxsize=2)  # the H.10 table and the ECB cross-rate table
def fx_table(path: Path = FX_FILE) -> pl.DataFrame:
    """The shipped table (date, krw_per_usd), checked once: dates strictly rising, rates finite
    and positive — a broken file is a packaging error, not a user's."""
    table = pl.read_csv(path, schema={"date": pl.Date, "krw_per_usd": pl.Float64})
    rates = table["krw_per_usd"]
    if (
        table.height == 0
        or rates.null_count()
        or not (rates > 0).all()
        or not rates.is_finite().all()
    ):
        raise ParameterFileError(f"{path.name}: every rate must be a positive number", field="fx")
    if not (table["date"].diff().drop_nulls() > dt.timedelta(0)).all():
        raise ParameterFileError(f"{path.name}: dates must be unique and ascending", field="fx")
    return table


@lru_cache(maxsize=1)
def rate_table() -> pl.DataFrame:
    """The rates a date is converted at (date, krw_per_usd, source): every H.10 row, then the ECB
    cross rates of the days after the last H.10 rate only (``source`` ``h10`` / ``ecb_cross``)."""
    h10 = fx_table().with_columns(pl.lit("h10").alias("source"))
    cross = fx_table(CROSS_FILE).filter(pl.col("date") > h10["date"].max())
    return pl.concat([h10, cross.with_columns(pl.lit("ecb_cross").alias("source"))])


def rates_on(
    dates: pl.Series, params: ParameterTree, table: pl.DataFrame | None = None
) -> pl.DataFrame:
    """For each date: ``rate_date`` (last published on or before it), ``krw_per_usd`` and, for the
    shipped tables, its ``source``; null where the table has no usable rate (before it, or a gap
    longer than the parameter allows). One backward as-of join: a million dates cost one sort."""
    table = rate_table() if table is None else table
    days = dates.cast(pl.Date)
    left = pl.DataFrame({"_row": pl.int_range(len(days), eager=True), "for_date": days})
    joined = left.sort("for_date").join_asof(
        table.rename({"date": "rate_date"}),
        left_on="for_date",
        right_on="rate_date",
        strategy="backward",
    )
    max_gap = params.lookup("tariff.fx.max_gap_days", joined["for_date"])
    stale = (joined["for_date"] - joined["rate_date"]).dt.total_days() > max_gap
    return (
        joined.with_columns(
            pl.when(stale).then(None).otherwise(pl.col("rate_date")).alias("rate_date"),
            pl.when(stale).then(None).otherwise(pl.col("krw_per_usd")).alias("krw_per_usd"),
            *(
                [pl.when(stale).then(None).otherwise(pl.col("source")).alias("source")]
                if "source" in joined.columns
                else []
            ),
        )
        .sort("_row")
        .drop("_row")
    )


def rate_on(
    day: dt.date,
    params: ParameterTree,
    *,
    own_rate: float | None = None,
    field: str = "entry_date",
) -> FxRate:
    """The KRW/USD rate for one date (module rule), or the caller's own rate when given."""
    if own_rate is not None:
        if not math.isfinite(own_rate) or not 0 < own_rate <= MAX_OWN_RATE:
            raise InvalidInput(
                f"the KRW per USD rate must be a number above 0 and at most {MAX_OWN_RATE:,.0f}",
                field="krw_rate",
            )
        return FxRate(float(own_rate), None, day, "given by the caller")
    dates, rates, sources = _columns()
    if day < dates[0]:
        raise InvalidInput(
            f"no KRW/USD rate for {day}: the H.10 table starts {dates[0]}; give your own rate "
            "(krw_rate)",
            field=field,
        )
    i = bisect_right(dates, day) - 1  # the last rate published on or before the day
    gap = params.at("tariff.fx.max_gap_days", day)
    age = (day - dates[i]).days
    if age > gap:
        raise InvalidInput(
            f"no KRW/USD rate for {day}: the last rate tiro ships is {rates[i]:,.2f} on "
            f"{dates[i]} ({_SOURCES[sources[i]][0].split(',')[0]}), {age} days earlier: stale "
            f"(more than {gap} days), not used; give your own rate (krw_rate)",
            field=field,
        )
    return FxRate(rates[i], dates[i], day, *_SOURCES[sources[i]])


@lru_cache(maxsize=1)
def _columns() -> tuple[list[dt.date], list[float], list[str]]:
    """The shipped rates as Python lists, for one date's lookup by bisection (a quote)."""
    table = rate_table()
    return table["date"].to_list(), table["krw_per_usd"].to_list(), table["source"].to_list()
