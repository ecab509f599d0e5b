"""Customs user fees on an entry (통관 수수료): merchandise processing fee and harbor maintenance fee.

A broker adds two fees to the duty of a formal entry (class code 499):

- **MPF** (상품처리수수료): ``clip(value x rate, minimum, maximum)`` per entry, 19 U.S.C. 58c(a)(9),
  19 CFR 24.23(b)(1). The minimum and maximum move every fiscal year on 1 October (FAST Act
  inflation adjustment); originating goods under a free trade agreement that waives the fee pay
  nothing — for KORUS 19 U.S.C. 58c(b)(19), i.e. when the KORUS claim (SPI "KR") is made.
- **HMF** (항만유지수수료): ``value x rate`` on ocean cargo only, no floor or cap, not waived by
  KORUS (26 U.S.C. 4461; 19 CFR 24.24).

Every number is a dated parameter under ``tariff.fees``; the functions are Polars expressions over
a table of entries (one row per entry) so one call prices one quote or a million entries. Each
row is one entry: an entry of several lines pays the MPF on their summed value, once — pricing
lines one by one would apply the minimum and maximum per line, which CBP does not.
Informal entries (value under $2,500, flat fee) and the prorating of a mixed KORUS/non-KORUS
entry (19 CFR 24.23(c)(1)) are not modelled: a quote is a formal entry of one line.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree

MODES = ("ocean", "air", "truck", "rail", "mail")
"""Transport modes a quote may declare (the vocabulary; which ones pay the HMF is a parameter)."""
MPF = "tariff.fees.mpf_"
HMF = "tariff.fees.hmf_"


def check_mode(mode: str | None) -> str | None:
    """The declared transport mode, lower-cased, or None; anything else is the caller's error."""
    if mode is None:
        return None
    clean = str(mode).strip().lower()
    if clean not in MODES:
        raise InvalidInput(
            f"unknown transport mode {mode!r}; known: {', '.join(MODES)}", field="mode"
        )
    return clean


def fee_frame(entries: pl.DataFrame, params: ParameterTree) -> pl.DataFrame:
    """``entries`` (customs_value, entry_date, mode, spi) with the fee columns added:
    ``mpf_ad_valorem`` (before the limits), ``mpf_minimum``, ``mpf_maximum``, ``mpf_exempt``,
    ``mpf``, ``hmf_rate``, ``hmf`` (null where the mode is not declared: the fee then needs it).

    ``spi`` is the special programme indicator claimed on the line (``KR`` for KORUS, null for
    none); an SPI listed in ``tariff.fees.mpf_exempt_spi`` on the entry date waives the MPF."""
    dates = entries["entry_date"].cast(pl.Date).unique().drop_nulls().sort()
    per_day = pl.DataFrame({"_day": dates}).with_columns(  # the parameters, once per date
        params.lookup(MPF + "rate", dates).alias("_mpf_rate"),
        params.lookup(MPF + "minimum", dates).alias("mpf_minimum"),
        params.lookup(MPF + "maximum", dates).alias("mpf_maximum"),
        params.lookup(HMF + "rate", dates).alias("hmf_rate"),
        _code_list(params, MPF + "exempt_spi", dates).alias("_exempt_spi"),
        _code_list(params, HMF + "modes", dates).alias("_hmf_modes"),
    )
    frame = (
        entries.with_columns(pl.col("entry_date").cast(pl.Date).alias("_day"))
        .join(per_day, on="_day", how="left", maintain_order="left")
        .drop("_day")
    )
    value = pl.col("customs_value")
    ad_valorem = value * pl.col("_mpf_rate")
    exempt = pl.col("spi").is_not_null() & pl.col("_exempt_spi").list.contains(pl.col("spi"))
    mpf = (
        pl.when(exempt)
        .then(0.0)
        .otherwise(ad_valorem.clip(pl.col("mpf_minimum"), pl.col("mpf_maximum")))
    )
    hmf = (
        pl.when(pl.col("mode").is_null())
        .then(None)
        .when(pl.col("_hmf_modes").list.contains(pl.col("mode")))
        .then(value * pl.col("hmf_rate"))
        .otherwise(0.0)
    )
    return frame.with_columns(
        ad_valorem.round(2).alias("mpf_ad_valorem"),
        exempt.alias("mpf_exempt"),
        mpf.round(2).alias("mpf"),
        hmf.round(2).alias("hmf"),
    ).drop("_mpf_rate", "_exempt_spi", "_hmf_modes")


def _code_list(params: ParameterTree, path: str, dates: pl.Series) -> pl.Series:
    """A code-list leaf in force on each date (few values in time: mapped per distinct date)."""
    distinct = dates.unique()
    table = pl.DataFrame(
        {
            "_d": distinct,
            "_v": [list(params.at(path, d) or []) for d in distinct.to_list()],
        },
        schema={"_d": pl.Date, "_v": pl.List(pl.Utf8)},
    )
    return pl.DataFrame({"_d": dates}).join(table, on="_d", how="left", maintain_order="left")["_v"]


def entry_fees(
    *,
    customs_value: float,
    entry_date: Any,
    mode: str | None,
    korus_claimed: bool,
    params: ParameterTree,
) -> dict[str, Any]:
    """The fees of one single-line formal entry, with the parameters that produced them.

    The same rule as ``fee_frame`` on scalars: a quote is one entry, and a one-row frame costs
    milliseconds a quote's latency budget does not have (tests hold the two paths equal)."""
    mode = check_mode(mode)
    used = {
        name: params.explain(path, entry_date)
        for name, path in (
            ("rate", MPF + "rate"),
            ("minimum", MPF + "minimum"),
            ("maximum", MPF + "maximum"),
            ("exempt_spi", MPF + "exempt_spi"),
            ("hmf_rate", HMF + "rate"),
            ("hmf_modes", HMF + "modes"),
        )
    }
    value = float(customs_value)
    low, high = used["minimum"].value, used["maximum"].value
    ad_valorem = value * used["rate"].value
    exempt = korus_claimed and "KR" in (used["exempt_spi"].value or [])
    mpf = 0.0 if exempt else min(max(ad_valorem, low), high)
    hmf_rate = used["hmf_rate"].value
    hmf = None
    if mode is not None:
        hmf = round(value * hmf_rate, 2) if mode in (used["hmf_modes"].value or []) else 0.0
    if exempt:
        mpf_rule = "exempt: KORUS originating goods (SPI KR), 19 U.S.C. 58c(b)(19)"
    elif ad_valorem < low:
        mpf_rule = "minimum per entry"
    elif ad_valorem > high:
        mpf_rule = "maximum per entry"
    else:
        mpf_rule = "ad valorem"
    mpf = round(mpf, 2)
    return {
        "mode": mode,
        "mpf": mpf,
        "mpf_rule": mpf_rule,
        "mpf_ad_valorem": round(ad_valorem, 2),
        "mpf_minimum": low,
        "mpf_maximum": high,
        "hmf": hmf,
        "hmf_rate": hmf_rate,
        "fees_total": None if hmf is None else round(mpf + hmf, 2),
        "needs": [] if mode is not None else ["mode"],
        "parameters": [e.as_dict() for e in used.values()],
    }
