"""The vintaged flow store: Parquet batches queried with DuckDB, never overwritten.

Each import is one Parquet file written to a temporary name and renamed into place, so an
import either lands whole or not at all (a failed validation writes nothing). A batch may add
new vintages of flows already held, but never a second copy of the same flow, vintage and
release date: that would silently overwrite history, so it is refused as a conflict.

The clash check and the rename run under an exclusive lock on ``<store>/.lock``
(``fcntl.flock``), so two processes importing the same flow cannot both pass the check; the
caller's audit row is written and committed inside the same lock (``stage``/``commit``), and
a failure of either removes the batch, so data and audit trail land together or not at all.

"Latest vintage as of a date" is one SQL window over every batch — the same query runs on the
embedded store under the data directory and on any large Parquet file set (``source=``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from tiro.core.errors import Conflict, InvalidInput
from tiro.trade.schema import FLASH_VINTAGES, FLOW_COLUMNS, KEY, VINTAGE_RANK

STORED = [c.name for c in FLOW_COLUMNS]


@dataclass(frozen=True)
class BatchReceipt:
    """What an import added: its batch id, file and row count."""

    batch_id: str
    path: str
    rows: int
    vintages: dict[str, int]


def default_root() -> Path:
    """``<data_dir>/trade/flows`` from the core settings."""
    from tiro.core.settings import get_settings

    return Path(get_settings().data_dir) / "trade" / "flows"


class FlowStore:
    """Append-only store of validated flow tables (see module docstring)."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else default_root()

    @property
    def glob(self) -> str:
        return str(self.root / "batch-*.parquet")

    def has_data(self) -> bool:
        return self.root.exists() and any(self.root.glob("batch-*.parquet"))

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the store's exclusive lock (blocking) for a check-then-write section."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def append(
        self,
        flows: pl.DataFrame,
        *,
        label: str = "",
        stage: Callable[[BatchReceipt], None] | None = None,
        commit: Callable[[], None] | None = None,
    ) -> BatchReceipt:
        """Add a validated batch atomically; refuse any row already held (same vintage).

        ``stage`` runs after the batch is written but before it is visible (write the audit
        row there); ``commit`` runs once it is visible (commit that row). If either raises,
        the batch file is removed and the error passes on: nothing of the import remains.
        """
        if flows.is_empty():
            raise InvalidInput("the batch has no rows", field="input")
        batch = flows.select(STORED)
        with self.locked():
            if self.has_data():
                clash = self._clashes(batch)
                if clash is not None:
                    raise Conflict(
                        f"{clash['period']} {clash['reporter']}->{clash['partner']} "
                        f"{clash['product']} {clash['flow']} ({clash['basis']}) is already "
                        f"stored as vintage {clash['vintage']} released "
                        f"{clash['release_date']}; stored vintages are never overwritten",
                        field="vintage",
                    )
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
            batch_id = f"{stamp}-{uuid.uuid4().hex[:8]}"
            final = self.root / f"batch-{batch_id}.parquet"
            tmp = self.root / f".tmp-{batch_id}.parquet"
            counts = dict(batch.group_by("vintage").len().iter_rows())
            receipt = BatchReceipt(batch_id, str(final), batch.height, counts)
            try:
                batch.with_columns(pl.lit(label).alias("batch_label")).write_parquet(tmp)
                if stage is not None:
                    stage(receipt)
                os.replace(tmp, final)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
            try:
                if commit is not None:
                    commit()
            except BaseException:
                final.unlink(missing_ok=True)
                raise
        return receipt

    def _clashes(self, batch: pl.DataFrame) -> dict | None:
        keys = ", ".join((*KEY, "vintage", "release_date"))
        con = duckdb.connect()
        con.register("batch", batch.to_arrow())
        try:
            row = con.execute(
                f"SELECT {keys} FROM batch INTERSECT SELECT {keys} "
                f"FROM read_parquet({_quoted(self.glob)}, union_by_name=true) LIMIT 1"
            ).fetchone()
        except duckdb.Error as exc:
            raise unreadable_store(exc) from None
        finally:
            con.close()
        return dict(zip((*KEY, "vintage", "release_date"), row, strict=True)) if row else None

    def all_vintages(self, **filters: str) -> pl.DataFrame:
        """Every stored vintage side by side, oldest release first."""
        return query_flows(self.glob, as_of=None, latest=False, **filters)

    def latest(
        self, as_of: dt.date | None = None, *, include_flash: bool = False, **filters: str
    ) -> pl.DataFrame:
        """For each flow, the newest vintage released on or before ``as_of``."""
        return query_flows(
            self.glob, as_of=as_of, latest=True, include_flash=include_flash, **filters
        )


def query_flows(
    source: str | pl.DataFrame,
    *,
    as_of: dt.date | None,
    latest: bool,
    include_flash: bool = False,
    **filters: str,
) -> pl.DataFrame:
    """Run the vintage query over a Parquet glob (the store or any large file set).

    ``source`` may also be an in-memory flow table (the shipped facts, an uploaded file):
    the same SQL runs over it.

    Flash vintages cover only days 1–10 or 1–20, so they are not month totals and are left
    out of "latest" unless asked for. Ties on release date go to the later vintage kind.
    """
    unknown = set(filters) - {*KEY, "vintage"}
    if unknown:
        raise InvalidInput(f"cannot filter on {', '.join(sorted(unknown))}", field="filter")
    where = ["1=1"]
    params: list[object] = []
    for name, value in filters.items():
        if value is not None:
            where.append(f"{name} = ?")
            params.append(value)
    if as_of is not None:
        where.append("release_date <= ?")
        params.append(as_of)
    if latest and not include_flash:
        where.append("vintage NOT IN (" + ", ".join(f"'{v}'" for v in FLASH_VINTAGES) + ")")
    rank = (
        "CASE vintage " + " ".join(f"WHEN '{v}' THEN {r}" for v, r in VINTAGE_RANK.items()) + " END"
    )
    cols = ", ".join(STORED)
    origin = (
        "flows_in"
        if isinstance(source, pl.DataFrame)
        else (f"read_parquet({_quoted(source)}, union_by_name=true)")
    )
    sql = f"SELECT {cols} FROM {origin} WHERE {' AND '.join(where)}"
    if latest:
        part = ", ".join(KEY)
        sql += f" QUALIFY row_number() OVER (PARTITION BY {part} ORDER BY release_date DESC, {rank} DESC) = 1"
    sql += f" ORDER BY {', '.join(KEY)}, release_date"
    con = duckdb.connect()
    if isinstance(source, pl.DataFrame):
        con.register("flows_in", source.select(STORED).to_arrow())
    try:
        frame = con.sql(sql, params=params).pl()
    except duckdb.IOException:
        return pl.DataFrame(schema={c.name: c.dtype for c in FLOW_COLUMNS})
    except duckdb.Error as exc:
        raise unreadable_store(exc) from None
    finally:
        con.close()
    return frame


def _quoted(path: str) -> str:
    """A path as an SQL string literal (a quote in a directory name cannot break the SQL)."""
    return "'" + path.replace("'", "''") + "'"


def unreadable_store(exc: Exception) -> Conflict:
    """A batch file the store cannot read (truncated, not Parquet): named by its file name
    only, so no server directory reaches an API answer."""
    text = str(exc)
    found = re.search(r"batch-[^'\"/\s]+\.parquet", text)
    name = found.group(0) if found else "a batch file"
    return Conflict(
        f"the flow store cannot read {name} ({type(exc).__name__}); move it aside or restore "
        "it from a backup",
        field="store",
    )
