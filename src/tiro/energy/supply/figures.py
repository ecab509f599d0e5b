"""Supply balance: shipped public figures, and a seeded sample that agrees with them.

Public facts ship as CSV files under `tiro/data/energy/` with a provenance header (KNOC stock
days, Middle-East shares 2021-2023 and the report's 70%→50%, annual crude imports, the envoy
volumes, the IEA 2026 collective action). Where detail is not public (monthly imports by
origin region, arrivals of the envoy volumes) a deterministic generator fills it in; every
generated row carries `provenance = "sample"` and its totals match the published aggregates
it is built around (annual volume and Middle-East share).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from tiro.core.errors import InvalidInput, NotFound
from tiro.energy.schemas import (
    ALL_TABLES,
    CRUDE_IMPORTS,
    MIDDLE_EAST_SHARE,
    PROCUREMENT,
    STOCK_DAYS_PUBLISHED,
)
from tiro.energy.supply.balance import imports_by_region

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "energy"
SAMPLE = "sample"
SEED = 20260527  # the report's date: the sample is the same on every machine
#: Non-Middle-East regions and their split of non-ME crude in the sample (assumption, sample).
OTHER_REGIONS = {"americas": 0.5, "asia_pacific": 0.25, "africa": 0.15, "europe_cis": 0.10}
REPORT_DATE = date(2026, 5, 27)
#: Years with a monthly balance: the published annual anchors and the 2026 sample path.
BALANCE_YEARS = (2022, 2023, 2026)


def _data(name: str) -> pl.DataFrame:
    return pl.read_csv(DATA_DIR / name, comment_prefix="#", try_parse_dates=True)


def published_stock_days() -> pl.DataFrame:
    """KNOC's published government/private stock days (IEA basis)."""
    return STOCK_DAYS_PUBLISHED.validate(_data("stock_days_published.csv"))


def middle_east_share_published() -> pl.DataFrame:
    """Published Middle-East shares of crude imports, with their sources."""
    return MIDDLE_EAST_SHARE.validate(_data("middle_east_share.csv"))


def iea_release() -> pl.DataFrame:
    """The 2026 IEA collective action: total, confirmed plans by region, Korea's share."""
    return _data("iea_release_2026.csv")


def _annual_anchor(year: int) -> tuple[float, float]:
    totals = _data("annual_crude_imports.csv").filter(pl.col("year") == year)
    shares = middle_east_share_published().filter(pl.col("period") == str(year))
    if totals.is_empty() or shares.is_empty():
        raise NotFound(f"no published annual total and share for {year}", field="year")
    return float(totals["volume_kbbl"][0]), float(shares["share"][0])


def sample_crude_imports(year: int, *, seed: int = SEED) -> pl.DataFrame:
    """Monthly crude imports by origin region (sample), summing to the published aggregates.

    For a year with a published total and Middle-East share (2022, 2023) the twelve months
    add up to that total and share exactly; for 2026 the months follow `sample_path_2026.csv`
    (May anchored in the report) on a 2023 normal month.
    """
    if year not in BALANCE_YEARS:
        raise NotFound(
            f"no monthly balance for {year}; years: {', '.join(map(str, BALANCE_YEARS))}",
            field="year",
        )
    rng = np.random.default_rng(seed + year)
    if year == 2026:
        path = _data("sample_path_2026.csv")
        normal = _annual_anchor(2023)[0] / 12
        months = path["month"].to_list()
        total = path["volume_vs_normal"].to_numpy() * normal
        me = total * path["middle_east_share"].to_numpy()
    else:
        annual, share = _annual_anchor(year)
        months = [date(year, m, 1) for m in range(1, 13)]
        weights = rng.uniform(0.9, 1.1, 12)
        total = annual * weights / weights.sum()
        me_w = total * rng.uniform(0.95, 1.05, 12)
        me = annual * share * me_w / me_w.sum()
    other = total - me
    split = np.array(list(OTHER_REGIONS.values()))
    noise = rng.uniform(0.8, 1.2, (len(months), split.size)) * split
    other_parts = other[:, None] * noise / noise.sum(axis=1, keepdims=True)
    regions = ["middle_east", *OTHER_REGIONS]
    volumes = np.column_stack([me, other_parts])
    frame = pl.DataFrame(
        {
            "month": np.repeat(np.array(months, dtype="datetime64[D]"), len(regions)),
            "origin": regions * len(months),
            "region": regions * len(months),
            "volume_kbbl": volumes.ravel(),
            "provenance": SAMPLE,
        }
    )
    return CRUDE_IMPORTS.validate(frame)


def monthly_balance(year: int) -> pl.DataFrame:
    """Crude imports by region per month, total, Middle-East share, and ratio to a normal month."""
    normal = _annual_anchor(2023)[0] / 12
    return (
        imports_by_region(sample_crude_imports(year))
        .with_columns((pl.col("total_kbbl") / normal).alias("vs_normal_month"))
        .select(pl.exclude("provenance"), "provenance")
    )


def middle_east_share_table() -> pl.DataFrame:
    """Published shares plus the share computed from each year's sample (which must agree)."""
    published = middle_east_share_published().with_columns(pl.lit("published").alias("kind"))
    computed = []
    for year in (2022, 2023):
        s = sample_crude_imports(year)
        share = (
            s.filter(pl.col("region") == "middle_east")["volume_kbbl"].sum()
            / s["volume_kbbl"].sum()
        )
        computed.append({"period": f"{year} (from sample)", "share": share, "provenance": SAMPLE})
    sample = pl.DataFrame(computed).with_columns(pl.lit("computed").alias("kind"))
    return pl.concat([published, sample], how="vertical_relaxed")


def procurement_status(path: str | Path | None = None, *, seed: int = SEED) -> pl.DataFrame:
    """Envoy volumes contracted (report) vs arrived: from `path` if given, else a sample.

    A real arrivals file has the PROCUREMENT schema columns. Without it, arrivals are drawn
    once (seeded) as a share of the contracted volume and labelled `sample`.
    """
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise InvalidInput(f"no such file: {p}", field="file")
        raw, first_line = _read_user_csv(p)
        frame = PROCUREMENT.validate(raw, line_offset=first_line)
    else:
        base = _data("procurement_contracted.csv")
        rng = np.random.default_rng(seed)
        share = rng.uniform(0.35, 0.95, base.height)
        frame = PROCUREMENT.validate(
            base.with_columns(
                (pl.col("contracted") * pl.Series(share)).round(0).alias("arrived"),
                pl.lit(REPORT_DATE).alias("as_of"),
                (pl.col("provenance") + " / arrived: " + SAMPLE).alias("provenance"),
            )
        )
    if frame.filter(pl.col("arrived") > pl.col("contracted")).height:
        raise InvalidInput("arrived exceeds contracted", field="arrived")
    return frame.with_columns(
        (pl.col("arrived") / pl.col("contracted")).alias("arrived_share"),
        (pl.col("contracted") - pl.col("arrived")).alias("outstanding"),
    )


def load_table(name: str, path: str | Path) -> pl.DataFrame:
    """Read a user's CSV for one of the declared tables and validate it against its schema.

    This is how real KNOC / Petronet figures (monthly imports by origin, refinery runs, demand,
    stocks) come in: same columns and units as the shipped samples, checked the same way.
    """
    schemas = {t.name: t for t in ALL_TABLES}
    if name not in schemas:
        raise InvalidInput(f"unknown table; one of {', '.join(schemas)}", field="table")
    p = Path(path)
    if not p.is_file():
        raise InvalidInput(f"no such file: {p}", field="file")
    frame, first_line = _read_user_csv(p)
    return schemas[name].validate(frame, line_offset=first_line)


def _read_user_csv(path: Path) -> tuple[pl.DataFrame, int]:
    """A user's CSV and the file line of its first data row (after leading # comments)."""
    try:
        with path.open(encoding="utf-8") as handle:
            comments = 0
            for line in handle:
                if not line.startswith("#"):
                    break
                comments += 1
        frame = pl.read_csv(path, comment_prefix="#", try_parse_dates=True)
    except (pl.exceptions.PolarsError, UnicodeDecodeError, OSError) as exc:
        reason = " ".join(str(exc).split())[:200]
        raise InvalidInput(f"not a readable CSV: {reason}", field="file") from None
    return frame, comments + 2
