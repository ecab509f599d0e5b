"""Assets: data sets the library holds, as Parquet files inside its own data directory.

An asset is registered by an owner of its organisation from a shipped dataset name
(tiro.manufacturing.quality.datasets) or from a table the caller already read (the CLI reads a
user's CSV/Parquet file; the API takes an upload body, never a server path). The library
keeps its own copy at ``<data_dir>/library/assets/<id>.parquet`` (read-only to the file
system), records the SHA-256 of that file, and re-checks it before any job runs: a file that
changed on disk is refused, not computed on. Members see the asset's metadata and its mock
twin (schema-true synthetic rows, :mod:`tiro.manufacturing.library.mock`), never its rows.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiro.core.errors import Conflict, InvalidInput, NotFound
from tiro.core.settings import get_settings
from tiro.core.validation import finite_frame, json_safe
from tiro.manufacturing.library.members import (
    Actor,
    actor_name,
    audit,
    require,
    resolve,
    run_step,
    text,
)
from tiro.manufacturing.library.tables import SENSITIVITIES, LibraryAsset

if TYPE_CHECKING:
    import polars as pl

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.:-]{0,79}$")
MAX_COLUMNS = 500
FILE_MODE = 0o440


def library_dir() -> Path:
    """Where asset files live: inside the configured data directory, nowhere else."""
    return get_settings().data_dir / "library" / "assets"


def asset_path(asset: LibraryAsset) -> Path:
    """The asset's Parquet file (its stored name is relative to :func:`library_dir`)."""
    return library_dir() / asset.storage_path


def file_hash(data: bytes) -> str:
    """SHA-256 of the stored file's bytes: what was registered is what runs."""
    return hashlib.sha256(data).hexdigest()


def json_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-plain dicts (dates as ISO text, non-finite floats as null)."""
    return json.loads(json.dumps(json_safe(frame.to_dicts()), default=str))


def get_asset(session: Session, ref: str | int) -> LibraryAsset:
    """An asset by id or name; an unknown one is refused naming ``asset``."""
    key = str(ref).strip()
    query = select(LibraryAsset)
    query = (
        query.where(LibraryAsset.id == int(key))
        if key.isdigit()
        else query.where(LibraryAsset.name == key)
    )
    asset = session.execute(query).scalar_one_or_none()
    if asset is None:
        raise NotFound(f"no asset {key!r} in the library", field="asset")
    return asset


def verified_bytes(asset: LibraryAsset) -> bytes:
    """The asset file's bytes, refused if missing or not the bytes registered."""
    path = asset_path(asset)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Conflict(
            f"asset {asset.name}: its file is missing or unreadable ({exc.strerror})",
            field="asset",
        ) from None
    digest = file_hash(data)
    if digest != asset.content_hash:
        raise Conflict(
            f"asset {asset.name}: file content hash {digest[:12]}… is not the registered "
            f"{asset.content_hash[:12]}… — the file changed on disk; nothing was run",
            field="content_hash",
        )
    return data


def refresh_mock(asset: LibraryAsset, public_categories: tuple[str, ...]) -> None:
    """Draw the mock twin again, with the real labels of the columns a policy declares not
    sensitive (the owner's decision; every other column stays synthetic)."""
    import io

    import polars as pl

    from tiro.manufacturing.library.mock import mock_twin

    frame = pl.read_parquet(io.BytesIO(verified_bytes(asset)))
    asset.mock = json_rows(mock_twin(frame, public_categories=public_categories))


def read_table_file(path: Path) -> pl.DataFrame:
    """A user's own CSV or Parquet file (CLI), read by the same rule as an API upload."""
    if not path.is_file():
        raise InvalidInput(f"{path} is not a readable file", field="file")
    return read_table(path.read_bytes(), path.suffix, path.name)


def read_table(data: bytes, suffix: str, name: str) -> pl.DataFrame:
    """A CSV or Parquet table from its bytes, refused by name when unreadable.

    Polars renames a repeated CSV header (``a``, ``a_duplicated_0``) instead of failing:
    a table whose columns cannot be told apart is refused here, like the price files.
    """
    import io

    import polars as pl

    suffix = suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise InvalidInput(f"{name}: only .csv and .parquet files are accepted", field="file")
    try:
        if suffix == ".csv":
            frame = pl.read_csv(io.BytesIO(data), infer_schema_length=10_000)
        else:
            frame = pl.read_parquet(io.BytesIO(data))
    except Exception as exc:  # polars raises several kinds for a malformed file
        reason = " ".join(str(exc).split())[:200]
        raise InvalidInput(f"{name} could not be read: {reason}", field="file") from None
    twice = [c for c in frame.columns if "_duplicated_" in c]
    if twice:
        column = twice[0].split("_duplicated_")[0]
        raise InvalidInput(f"{name}: the column {column!r} is repeated", field="file")
    return frame


def _check_frame(frame: pl.DataFrame) -> None:
    import polars as pl

    if frame.width == 0 or frame.height == 0:
        raise InvalidInput("the table has no rows or no columns", field="file")
    if frame.width > MAX_COLUMNS:
        raise InvalidInput(f"more than {MAX_COLUMNS} columns", field="file")
    for name, dtype in frame.schema.items():
        if not name.strip() or len(name) > 120:
            raise InvalidInput(f"column name {name!r} is blank or too long", field="file")
        if dtype == pl.Object or isinstance(dtype, pl.List | pl.Struct | pl.Array):
            raise InvalidInput(f"column {name!r} has a nested type {dtype}", field="file")
    try:
        finite_frame(frame)
    except InvalidInput as exc:  # name the file, and the column and line in the message
        raise InvalidInput(exc.one_line(), field="file") from None


def asset_dict(asset: LibraryAsset, *, mock: bool = True) -> dict[str, Any]:
    """Catalogue metadata (and the synthetic mock twin): never a real row."""
    out = {"id": asset.id, "name": asset.name, "organisation": asset.organisation,
           "description": asset.description, "source": asset.source,
           "sensitivity": asset.sensitivity, "schema": asset.schema, "rows": asset.row_count,
           "content_hash": asset.content_hash, "storage": f"library/assets/{asset.storage_path}",
           "label": asset.label, "registered_by": asset.registered_by}  # fmt: skip
    if mock:
        out["mock"] = {"rows": asset.mock, "label": "synthetic mock twin (not real rows)"}
    return out


def register_asset(
    *,
    session: Session,
    actor: str | Actor,
    name: str,
    organisation: str,
    frame: pl.DataFrame | Callable[[], pl.DataFrame],
    source: str,
    description: str | None = None,
    sensitivity: str = "confidential",
    label: str | None = None,
) -> dict[str, Any]:
    """Copy a table (or the table ``frame()`` loads) into the library as a new asset."""
    from tiro.manufacturing.library.mock import mock_twin

    payload = {"name": name, "organisation": organisation, "source": source,
               "sensitivity": sensitivity}  # fmt: skip

    def act() -> dict[str, Any]:
        who = resolve(session, actor)
        org = text(organisation, "organisation")
        require(who, ("owner",), org, f"register an asset for {org}")
        asset_name = text(name, "name", 80)
        if not NAME_PATTERN.match(asset_name):
            raise InvalidInput(
                "use lower-case letters, digits and _ . : - (at most 80)", field="name"
            )
        if sensitivity not in SENSITIVITIES:
            raise InvalidInput(f"one of {', '.join(SENSITIVITIES)}", field="sensitivity")
        if session.execute(select(LibraryAsset.id).where(LibraryAsset.name == asset_name)).first():
            raise Conflict(f"an asset named {asset_name!r} exists", field="name")
        table = frame() if callable(frame) else frame
        _check_frame(table)
        twin = mock_twin(table)
        asset = LibraryAsset(
            name=asset_name, organisation=org, source=text(source, "source", 200),
            description=text(description or source, "description", 2000),
            sensitivity=sensitivity, row_count=table.height, content_hash="0" * 64,
            schema=[{"name": c, "dtype": str(t)} for c, t in table.schema.items()],
            storage_path="pending", mock=json_rows(twin), label=label, registered_by=who.name,
        )  # fmt: skip
        session.add(asset)
        session.flush()
        asset.storage_path = f"{asset.id}.parquet"
        asset.content_hash = _store(table, asset_path(asset))
        session.flush()
        audit(session, who.name, "asset.register", "asset", asset.id,
              after=asset_dict(asset, mock=False))  # fmt: skip
        return asset_dict(asset)

    return run_step(session, actor=actor_name(actor), step="asset.register", entity="asset",
                    entity_id=name, payload=payload, action=act)  # fmt: skip


def _store(frame: pl.DataFrame, path: Path) -> str:
    """Write the Parquet file atomically, make it read-only, return its SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    frame.write_parquet(tmp)
    data = tmp.read_bytes()
    os.chmod(tmp, FILE_MODE)
    os.replace(tmp, path)
    return file_hash(data)


def register_dataset(
    *,
    session: Session,
    actor: str | Actor,
    dataset: str,
    organisation: str,
    name: str | None = None,
    description: str | None = None,
    sensitivity: str = "confidential",
    label: str | None = None,
) -> dict[str, Any]:
    """Register one of the shipped datasets (``rpart:solder``, …) as an asset."""
    from tiro.manufacturing.quality import datasets

    return register_asset(
        session=session, actor=actor, name=name or str(dataset).lower(),
        organisation=organisation, frame=lambda: datasets.load(dataset),
        source=f"dataset {dataset}", description=description, sensitivity=sensitivity,
        label=label,
    )  # fmt: skip
