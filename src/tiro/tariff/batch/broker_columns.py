"""What a broker pays besides duty, as optional batch columns (통관 수수료·반덤핑 예치금).

``tiro tariff batch --columns ...,mpf,hmf,adcvd_deposit`` adds, per priced line:

* ``mpf`` — the merchandise processing fee (``broker.fees.fee_frame``: ad valorem with a floor
  and a ceiling *per entry*, waived for goods that claim KORUS). Without an ``entry_id`` column
  every line is its own entry, so the floor and the ceiling apply per line. With ``entry_id``
  the lines of one entry are summed first: the entry's fee is
  ``clip(rate x value of its lines that do not claim KORUS, minimum, maximum)``, priced on the
  entry's earliest entry date, and each such line carries its share of that fee in proportion to
  its value (an entry of zero value: equal shares), rounded to the cent — so the column sums to
  the entries' fees up to those cents. Lines that claim KORUS pay 0. Lines of one entry may be
  anywhere in the file: the batch then writes its output in two passes (the second joins the
  entries' fees), which costs a second write. Only priced lines count: a bad row is in no entry.
* ``hmf`` — the harbor maintenance fee, ``value x rate`` when the line's ``mode`` is one that
  pays it (ocean), 0 for another mode; a line with a blank mode gets null (the fee needs it).
  Asking for ``hmf`` from a file without a ``mode`` column is refused (``field=columns``).
* ``adcvd_cases``, ``adcvd_deposit``, ``adcvd_needs`` — antidumping/countervailing orders that
  cover the line and their cash deposits (``broker.adcvd_frame``); the deposit is null while the
  ``producer`` or a rate is unknown, and ``adcvd_needs`` says which.

Fee numbers are the dated parameters under ``tariff.fees``; the orders are the shipped AD/CVD
data. A mode that is not one of ``broker.fees.MODES`` is a row error naming ``mode``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from tiro.core.errors import InvalidInput

FEE_COLUMNS = ("mpf", "hmf")
ADCVD_COLUMNS = ("adcvd_cases", "adcvd_deposit", "adcvd_needs")
BROKER_COLUMNS = (*FEE_COLUMNS, *ADCVD_COLUMNS)
"""Output columns a batch computes only when ``--columns`` asks for them."""
ENTRY_KEYS = ("_mpf_entry", "_mpf_base", "_mpf_day")
"""Per-line inputs of the entry-level MPF, carried to the second pass and dropped there."""


def wanted(columns: Sequence[str] | None) -> tuple[str, ...]:
    """The broker columns among the chosen output columns (none by default)."""
    return () if columns is None else tuple(c for c in columns if c in BROKER_COLUMNS)


def check_inputs(chosen: Sequence[str], input_columns: Sequence[str]) -> None:
    """Refuse a broker column the input cannot feed (today: ``hmf`` without ``mode``)."""
    if "hmf" in chosen and "mode" not in input_columns:
        raise InvalidInput(
            "hmf needs a mode column in the input (ocean, air, truck, rail or mail)",
            field="columns",
        )


def per_entry(chosen: Sequence[str], input_columns: Sequence[str]) -> bool:
    """Whether the MPF is priced per entry (two passes): asked for, and lines carry entry_id."""
    return "mpf" in chosen and "entry_id" in input_columns


def _korus_claimed(lines: pl.DataFrame) -> pl.Expr:
    """The KORUS claim the engine applies (origin KR, ``korus`` not declared false): SPI KR."""
    claimed = pl.col("origin").cast(pl.Utf8) == "KR"
    if "korus" in lines.columns:
        claimed = claimed & pl.col("korus").fill_null(True)
    return claimed


def broker_columns(
    lines: pl.DataFrame, chosen: Sequence[str], params: object, *, entries: bool
) -> pl.DataFrame:
    """``lines`` (priced, one chunk) with the chosen broker columns; with ``entries`` the MPF
    is left to ``entry_fees_pass`` and its per-line inputs (``ENTRY_KEYS``) are added instead."""
    from tiro.tariff.broker.fees import fee_frame

    out = lines
    if any(c in FEE_COLUMNS for c in chosen):
        mode = (
            pl.col("mode").cast(pl.Utf8).str.strip_chars().str.to_lowercase().replace("", None)
            if "mode" in lines.columns
            else pl.lit(None, dtype=pl.Utf8)
        )
        entry = lines.select(
            "customs_value",
            "entry_date",
            mode.alias("mode"),
            pl.when(_korus_claimed(lines)).then(pl.lit("KR")).alias("spi"),
        )
        fees = fee_frame(entry, params)  # type: ignore[arg-type]
        if "hmf" in chosen:
            out = out.with_columns(fees["hmf"])
        if "mpf" in chosen and not entries:
            out = out.with_columns(fees["mpf"])
        if "mpf" in chosen and entries:
            out = out.with_columns(
                # a line without an entry id is an entry of its own
                pl.coalesce(
                    pl.col("entry_id").cast(pl.Utf8),
                    pl.lit("\x00line ") + pl.col("line_id").cast(pl.Utf8),
                ).alias("_mpf_entry"),
                pl.when(fees["mpf_exempt"]).then(None).otherwise(pl.col("customs_value"))
                .alias("_mpf_base"),
                pl.col("entry_date").alias("_mpf_day"),
            )  # fmt: skip
    if any(c in ADCVD_COLUMNS for c in chosen):
        from tiro.tariff.broker.adcvd_frame import adcvd_frame

        given = ["hts", "origin", "entry_date", "customs_value"]
        if "producer" in lines.columns:
            given.append("producer")
        found = adcvd_frame(lines.select(given))
        out = out.with_columns(found.select(c for c in ADCVD_COLUMNS if c in chosen))
    return out


def entry_fees_pass(
    interim: Path, out: Path, columns: Sequence[str], params: object, compression: str
) -> None:
    """Second pass of a per-entry MPF: the entries' fees from the interim file's lines, shared
    out to their lines by value, written to ``out`` in the chosen column order."""
    from tiro.tariff.broker.fees import fee_frame

    lf = pl.scan_parquet(interim)
    base = pl.col("_mpf_base")
    totals = (
        lf.group_by("_mpf_entry")
        .agg(
            base.sum().alias("customs_value"),
            pl.col("_mpf_day").min().alias("entry_date"),
            base.is_not_null().sum().alias("_payers"),
        )
        .collect()
    )
    entries = totals.with_columns(
        pl.lit(None, dtype=pl.Utf8).alias("mode"),
        pl.when(pl.col("_payers") == 0).then(pl.lit("KR")).alias("spi"),
    )
    fees = fee_frame(entries, params).select(  # type: ignore[arg-type]
        "_mpf_entry", pl.col("mpf").alias("_entry_mpf"), pl.col("customs_value").alias("_total"), "_payers"
    )  # fmt: skip
    share = (
        pl.when(base.is_null())
        .then(0.0)
        .when(pl.col("_total") > 0)
        .then(pl.col("_entry_mpf") * base / pl.col("_total"))
        .otherwise(pl.col("_entry_mpf") / pl.col("_payers"))
        .round(2)
    )
    lf.join(fees.lazy(), on="_mpf_entry", how="left", maintain_order="left").with_columns(
        share.alias("mpf")
    ).select(list(columns)).sink_parquet(out, compression=compression, statistics=False)  # type: ignore[arg-type]
