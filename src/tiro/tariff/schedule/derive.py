"""A revision tiro could not read, rebuilt from the last one it read and the lines known to be added
(파생 개정판): HTS 2026 Rev. 11 and later exist, but no public copy of their exports could be
read here (``index.yaml`` ``later_revisions`` says where we looked).

Rev. 11 (2026-07-01) was the annual statistical update: it established and deleted 10-digit
suffixes and changed no 8-digit line and no rate. Without it, a quote after 2026-07-01 refused
the new suffixes a measure names (Procl. 11052 Annex I: the polysilicon wafers 3818.00.00.40,
.45, .50, .91), so a loaded measure could never apply. The derived table is the base revision
plus each added code, with the rate cells of its 8-digit subheading (a statistical line takes the
rates of the line above it, as in ``build``) and a description that says its own text was not
read. Codes a later revision deleted stay (which ones is not known); suffixes it added that no
source names stay refused. The provenance file lists every added code with its source.

Run as ``python -m tiro.tariff.schedule.derive BASE.parquet PROVENANCE.yaml OUT.parquet``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.yaml_strict import load_yaml
from tiro.tariff.schedule.build import SCHEDULE_SCHEMA

NOT_READ = "(statistical line established by {revision}; its own text was not read)"


def derive(base: pl.DataFrame, added: list[str], revision: str) -> pl.DataFrame:
    """``base`` with the 10-digit codes ``added`` (dotted or digits), each under its 8-digit line."""
    digits = [code.replace(".", "") for code in added]
    bad = [c for c in digits if len(c) != 10 or not c.isdigit()]
    if bad:
        raise InvalidInput(f"not 10-digit codes: {', '.join(bad)}", field="added")
    known = set(base["hts"].to_list())
    present = [c for c in digits if c in known]
    if present:
        raise InvalidInput(f"already in the base revision: {', '.join(present)}", field="added")
    parents = base.filter(pl.col("hts").is_in([c[:8] for c in digits]))
    missing = sorted({c[:8] for c in digits} - set(parents["hts"].to_list()))
    if missing:
        raise InvalidInput(f"no 8-digit subheading {', '.join(missing)}", field="added")
    new = (
        pl.DataFrame({"hts": digits})
        .with_columns(pl.col("hts").str.slice(0, 8).alias("parent"))
        .join(parents, left_on="parent", right_on="hts", how="left")
        .select(
            "hts",
            (
                pl.col("hts").str.slice(0, 4)
                + "."
                + pl.col("hts").str.slice(4, 2)
                + "."
                + pl.col("hts").str.slice(6, 2)
                + "."
                + pl.col("hts").str.slice(8, 2)
            ).alias("htsno"),
            "chapter",
            (pl.col("indent") + 1).alias("indent"),
            (pl.col("description") + " > " + NOT_READ.format(revision=revision)).alias(
                "description"
            ),
            "general_rate_text",
            "special_rate_text",
            "other_rate_text",
            pl.lit("").alias("units"),
            pl.lit("").alias("footnotes"),
            pl.coalesce(pl.col("rate_hts"), pl.col("parent")).alias("rate_hts"),
        )
    )
    return pl.concat([base, new.cast(SCHEDULE_SCHEMA)]).sort("hts")


if __name__ == "__main__":  # pragma: no cover - a maintainer's build step
    base_file, provenance_file, out = (Path(a) for a in sys.argv[1:4])
    provenance = load_yaml(provenance_file) or {}
    codes = [entry["code"] for entry in provenance["added"]]
    title = str(provenance["title"]).split(" (")[0]  # "HTS 2026 Revision 11"
    table = derive(pl.read_parquet(base_file), codes, title)
    table.write_parquet(out, compression="zstd", compression_level=19, statistics=False)
    print(f"{table.height} lines -> {out}")
