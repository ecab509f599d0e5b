"""Column-1 base rates (기본세율) for declaration lines, vectorised over Polars.

Every US duty starts from the HTS column-1 rate of the line's 8-digit subheading: the General
rate, or the Special rate of a programme the importer claims. For Korean goods that programme
is KORUS (special programme indicator ``KR``, HTS General Note 33). The deal headings of
2025-26 (9903.02.79/.80, 9903.94.60-.65, ...) compare the *column-1 rate* with 15%, counting
specific rates by their ad valorem equivalent (CBP CSMS 66987366), so the engine needs that AVE
per line: ``AVE = ad valorem + specific amount * quantity / customs value``.

Rate text is parsed once per distinct text (a few hundred at most), then joined back to the
lines, so pricing ten million lines costs a few joins and column arithmetic.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.tariff.schedule.cross_ref import cross_reference
from tiro.tariff.schedule.rate_text import ParsedRate, format_rate, parse_special, try_parse_rate
from tiro.tariff.schedule.usitc_json import HTS_TABLE_SCHEMA

KORUS_PROGRAMME = "KR"
"""HTS special programme indicator of the Korea-US FTA (General Note 33)."""

_PREFIX_LENGTHS = (10, 8, 6)

# Exact conversions between units of measure (definitions, not policy numbers):
# 1 t = 1000 kg, 1 lb = 0.45359237 kg, 1 m3 = 1000 liter, 1 bbl = 158.987294928 liter.
UNIT_FACTORS = pl.DataFrame(
    {
        "_qty_from": ["t", "g", "lb", "m3", "bbl", "liter", "kg", "liter"],
        "_qty_to": ["kg", "kg", "kg", "liter", "liter", "bbl", "t", "m3"],
        "_qty_factor": [
            1000.0,
            0.001,
            0.45359237,
            1000.0,
            158.987294928,
            1 / 158.987294928,
            0.001,
            0.001,
        ],
    }
)


@lru_cache(maxsize=1)
def _shipped_subset() -> pl.DataFrame:
    source = resources.files("tiro.data").joinpath("tariff/hts_subset.csv")
    with resources.as_file(source) as path:
        return pl.read_csv(path, schema=HTS_TABLE_SCHEMA)


def load_hts_subset() -> pl.DataFrame:
    """The curated HTS 2024 rate lines shipped with tiro (see ``hts_subset.provenance.yaml``):
    since issue 11 they price only entry dates before the first shipped revision (2025-01-01,
    ``schedule.py``); later dates read the full schedule of the revision in force. No measure
    starts that early today, so quotes no longer reach it; it stays as the 2024 record."""
    return _shipped_subset().clone()


def rate_lookup(subset: pl.DataFrame) -> pl.DataFrame:
    """Keys for longest-prefix matching: each rate line under its own code, plus 8- and 6-digit
    prefixes that are unambiguous (every rate line below shares one General and Special text).
    """
    lines = subset.select(
        pl.col("hts").alias("key"),
        pl.col("hts").alias("hts_matched"),
        "general_rate_text",
        "special_rate_text",
    )
    derived = []
    for length in (8, 6):
        grouped = (
            lines.with_columns(pl.col("hts_matched").str.slice(0, length).alias("key"))
            .group_by("key")
            .agg(
                pl.col("general_rate_text").n_unique().alias("_ng"),
                pl.col("special_rate_text").n_unique().alias("_ns"),
                pl.col("general_rate_text").first(),
                pl.col("special_rate_text").first(),
            )
            .filter((pl.col("_ng") == 1) & (pl.col("_ns") == 1))
            .select(
                "key", pl.col("key").alias("hts_matched"), "general_rate_text", "special_rate_text"
            )
        )
        derived.append(grouped)
    table = pl.concat([lines, *derived]).unique(subset="key", keep="first", maintain_order=True)
    return table.with_columns(pl.col("key").str.len_chars().alias("key_len"))


def _rate_parts(texts: pl.Series) -> pl.DataFrame:
    """Parse each distinct rate text once: ad valorem, single specific part, computability."""
    rows = []
    for text in texts.drop_nulls().unique().to_list():
        parsed = try_parse_rate(text)
        ok = parsed is not None and parsed.computable
        reference = None if ok else cross_reference(text)
        rows.append(
            {
                "column1_rate_text": text,
                "_rate_needs": "rate_text" if reference is None else reference.needs,
                "base_ad_valorem": float(parsed.ad_valorem) if ok else None,
                "base_specific_usd": (
                    float(parsed.specific_amount)
                    if ok and parsed.specific_amount is not None
                    else None
                ),
                "base_specific_unit": parsed.specific_unit if ok else None,
                "_rate_ok": ok,
            }
        )
    schema = {
        "column1_rate_text": pl.Utf8,
        "_rate_needs": pl.Utf8,
        "base_ad_valorem": pl.Float64,
        "base_specific_usd": pl.Float64,
        "base_specific_unit": pl.Utf8,
        "_rate_ok": pl.Boolean,
    }
    return pl.DataFrame(rows, schema=schema)


def _programme_rates(texts: pl.Series, programme: str) -> pl.DataFrame:
    """The programme's rate text for each distinct special-column text (null if not listed)."""
    rows = []
    for text in texts.drop_nulls().unique().to_list():
        rate = parse_special(text).get(programme)
        rows.append({"special_rate_text": text, "_programme_text": _as_text(rate)})
    return pl.DataFrame(rows, schema={"special_rate_text": pl.Utf8, "_programme_text": pl.Utf8})


def _as_text(rate: object) -> str | None:
    return format_rate(rate) if isinstance(rate, ParsedRate) else None


def _check_input(df: pl.DataFrame) -> None:
    for column in ("hts", "origin", "customs_value"):
        if column not in df.columns:
            raise InvalidInput("required column is missing", field=column)
    if df.select((pl.col("customs_value") < 0).any()).item():
        raise InvalidInput("must not be negative", field="customs_value")
    if "quantity" in df.columns and df.select((pl.col("quantity") < 0).any()).item():
        raise InvalidInput("must not be negative", field="quantity")


def _match(df: pl.DataFrame, lookup: pl.DataFrame) -> pl.DataFrame:
    """Join the rate line of the longest matching prefix (10, then 8, then 6 digits)."""
    out = df.with_columns(
        pl.col("hts").cast(pl.Utf8).str.replace_all(r"[^0-9]", "").alias("_digits")
    )
    for length in _PREFIX_LENGTHS:
        keys = lookup.filter(pl.col("key_len") == length).drop("key_len")
        keys = keys.rename({c: f"_{c}_{length}" for c in keys.columns if c != "key"})
        out = (
            out.with_columns(
                pl.when(pl.col("_digits").str.len_chars() >= length)
                .then(pl.col("_digits").str.slice(0, length))
                .alias("_hts_key")
            )
            .join(keys, left_on="_hts_key", right_on="key", how="left", maintain_order="left")
            .drop("_hts_key")
        )
    cols = ("hts_matched", "general_rate_text", "special_rate_text")
    return out.with_columns(
        pl.coalesce(*[pl.col(f"_{c}_{n}") for n in _PREFIX_LENGTHS]).alias(c) for c in cols
    ).drop([f"_{c}_{n}" for c in cols for n in _PREFIX_LENGTHS])


def join_unit_factors(df: pl.DataFrame) -> pl.DataFrame:
    """``df`` with ``_qty_factor``: the factor from the line's ``quantity_unit`` to the unit of
    its specific rate (``base_specific_unit``); null when the units are equal or unknown."""
    return df.join(
        UNIT_FACTORS,
        left_on=["quantity_unit", "base_specific_unit"],
        right_on=["_qty_from", "_qty_to"],
        how="left",
        maintain_order="left",
    )


def quantity_in_rate_unit(out: pl.DataFrame) -> pl.Expr:
    """The declared quantity in the unit of the specific rate (``out`` from
    ``join_unit_factors`` when it has ``quantity_unit``)."""
    if "quantity" not in out.columns:
        return pl.lit(None, dtype=pl.Float64)
    qty = pl.col("quantity").cast(pl.Float64)
    if "quantity_unit" not in out.columns:
        return qty
    same = pl.col("quantity_unit").is_null() | (
        pl.col("quantity_unit") == pl.col("base_specific_unit")
    )
    return pl.when(same).then(qty).otherwise(qty * pl.col("_qty_factor"))


def base_rates(
    df: pl.DataFrame,
    *,
    korus_claimed_col: str = "korus",
    subset: pl.DataFrame | None = None,
    programme: str = KORUS_PROGRAMME,
    lookup: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Add the column-1 base rate of each line.

    Input columns: ``hts`` (any 6-10 digit code, dots allowed), ``origin`` (ISO alpha-2),
    ``customs_value`` (USD), optional ``quantity`` (in the rate's unit, or in
    ``quantity_unit`` when given) and the KORUS claim column (missing or null = claimed, as
    issue 3 makes KORUS the default for Korean goods). Output adds ``hts_matched``,
    ``general_rate_text``, ``special_rate_text``, ``column1_rate_text``, ``column1_source``
    (``general`` or ``special:KR``), ``base_ad_valorem``, ``base_specific_usd``,
    ``base_specific_unit``, ``base_rate`` (fraction, AVE) and ``base_needs`` (null, or what is
    missing: ``hts_rate``, ``rate_text``, ``quantity:<unit>``, ``customs_value``).
    ``lookup`` is a ready ``rate_lookup`` (a shipped revision keeps its own), else built from
    ``subset``.
    """
    _check_input(df)
    if lookup is None:
        lookup = rate_lookup(load_hts_subset() if subset is None else subset)
    out = _match(df, lookup)
    claimed = (
        pl.col(korus_claimed_col).cast(pl.Boolean).fill_null(True)
        if korus_claimed_col in out.columns
        else pl.lit(True)
    )
    out = out.join(
        _programme_rates(out["special_rate_text"], programme),
        on="special_rate_text",
        how="left",
        maintain_order="left",
    )
    use_special = (
        (pl.col("origin").str.to_uppercase() == "KR")
        & claimed
        & pl.col("_programme_text").is_not_null()
    )
    out = out.with_columns(
        pl.when(use_special)
        .then(pl.col("_programme_text"))
        .otherwise(pl.col("general_rate_text"))
        .alias("column1_rate_text"),
        pl.when(pl.col("general_rate_text").is_null())
        .then(pl.lit(None, dtype=pl.Utf8))
        .when(use_special)
        .then(pl.lit(f"special:{programme}"))
        .otherwise(pl.lit("general"))
        .alias("column1_source"),
    )
    out = out.join(
        _rate_parts(out["column1_rate_text"]),
        on="column1_rate_text",
        how="left",
        maintain_order="left",
    )
    if "quantity_unit" in out.columns:
        out = join_unit_factors(out)
    qty = quantity_in_rate_unit(out)
    value = pl.col("customs_value").cast(pl.Float64)
    has_specific = pl.col("base_specific_usd").is_not_null()
    needs = (
        pl.when(pl.col("hts_matched").is_null())
        .then(pl.lit("hts_rate"))
        .when(~pl.col("_rate_ok"))
        .then(pl.col("_rate_needs"))
        .when(has_specific & qty.is_null())
        .then(pl.lit("quantity:") + pl.col("base_specific_unit"))
        .when(has_specific & (value <= 0))
        .then(pl.lit("customs_value"))
    )
    ave = pl.when(has_specific).then(
        pl.col("base_ad_valorem") + pl.col("base_specific_usd") * qty / value
    )
    out = out.with_columns(
        needs.alias("base_needs"),
        ave.otherwise(pl.col("base_ad_valorem")).alias("_ave"),
    )
    out = out.with_columns(
        pl.when(pl.col("base_needs").is_null()).then(pl.col("_ave")).alias("base_rate")
    )
    temporary = ("_digits", "_programme_text", "_rate_ok", "_rate_needs", "_qty_factor", "_ave")
    return out.drop([c for c in temporary if c in out.columns])
