"""Reading a user's file: bytes from a path or an upload, and JSON, with clean refusals.

A missing path, a directory, an unreadable file, bytes that are not UTF-8 and malformed JSON
are each an ``InvalidInput`` naming the input and the reason — never a traceback. Uploads
arrive as bytes, so an API answer never carries a server path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tiro.core.errors import InvalidInput
from tiro.core.validation import finite_tree


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
        doc = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", field=field
        ) from None
    except RecursionError:
        raise InvalidInput("JSON nested too deeply", field=field) from None
    return finite_tree(doc, field)


def _no_constant(name: str) -> float:
    raise InvalidInput(f"{name} is not a number JSON allows", field="input")
