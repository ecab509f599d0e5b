"""Reading a user's file: bytes from a path or an upload, and JSON, with clean refusals.

A missing path, a directory, an unreadable file, bytes that are not UTF-8 and malformed JSON
are each an ``InvalidInput`` naming the input and the reason — never a traceback. Uploads
arrive as bytes, so an API answer never carries a server path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tiro.core.errors import InvalidInput
from tiro.core.validation import finite_tree

if TYPE_CHECKING:
    import polars as pl


#: Largest upload the HTTP routes read (64 MiB ≈ 2 M plain-CSV rows; parsing one costs ~33x
#: its size in memory, measured). The CLI reads files of any size from a path.
MAX_UPLOAD_BYTES = 64 * 1024 * 1024


def read_source(source: Path | str | bytes, *, field: str = "input") -> bytes:
    """The bytes of an upload, or of the file at a path (refused when not a readable file)."""
    if isinstance(source, bytes):
        return source
    path = Path(source)
    if not path.exists():
        raise InvalidInput(f"no such file: {path}", field=field)
    if path.is_dir():
        raise InvalidInput(f"{path} is a directory, not a file", field=field)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}", field=field) from None


def looks_like_json(data: bytes) -> bool:
    """True when the first non-blank byte opens a JSON object or list."""
    return data.lstrip()[:1] in (b"{", b"[")


def parse_json(data: bytes, *, field: str = "input") -> Any:
    """Parsed JSON with every number checked finite; a parse error names line and column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"not UTF-8 text (byte {exc.start})", field=field) from None
    try:
        doc = json.loads(text, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", field=field
        ) from None
    except RecursionError:
        raise InvalidInput("JSON nested too deeply", field=field) from None
    return finite_tree(doc, field)


def records_frame(records: list, *, what: str, field: str = "input") -> pl.DataFrame:
    """A list of flat JSON objects as a table of text cells, refused when it is anything else.

    A record whose value is itself a list or an object (``{"primaryValue": [1]}``) is named
    with its number and key rather than failing inside Polars.
    """
    import polars as pl

    if not isinstance(records, list) or not records:
        raise InvalidInput(f"JSON has no list of {what}", field=field)
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise InvalidInput(f"record {number} is not a JSON object", field=field)
        for key, value in record.items():
            if isinstance(value, dict | list):
                raise InvalidInput(
                    f"record {number}: {key!r} holds a list or object, not one value", field=field
                )
    try:
        return pl.DataFrame(records, infer_schema_length=None).cast(pl.String, strict=False)
    except pl.exceptions.PolarsError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InvalidInput(f"{what} cannot be read as a table: {reason}", field=field) from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose key repeats is refused: the later value would silently win."""
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise InvalidInput(f"JSON key {key!r} appears twice in one object", field="input")
        seen[key] = value
    return seen


def _no_constant(name: str) -> float:
    raise InvalidInput(f"{name} is not a number JSON allows", field="input")
