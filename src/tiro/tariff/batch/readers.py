"""Reading a user's file without crashing on it: every read error becomes a refusal naming the field.

Polars, PyArrow and the YAML parser raise their own exceptions on an empty CSV, a ragged row,
bytes that are not UTF-8, a truncated Parquet file or a YAML syntax error; a user should get
one line that says which file is wrong and why (issue 9 item 21), never a traceback or a 500,
and never a server path in an API answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from tiro.core.errors import InvalidInput, TiroError

_REASONS = (
    (re.compile(r"utf-?8", re.IGNORECASE), "is not valid UTF-8 text"),
    (re.compile(r"empty (CSV|data)|no data", re.IGNORECASE), "is empty"),
    (
        re.compile(r"more fields than|ragged|expected \d+ fields", re.IGNORECASE),
        "has a row with more fields than its header (a ragged CSV)",
    ),
    (
        re.compile(r"parquet|footer|magic|thrift|out of specification", re.IGNORECASE),
        "is not a readable Parquet file",
    ),
)


def reason_of(exc: BaseException, path: Path | None = None) -> str:
    """A short reason for a read error, without the server's path."""
    text = " ".join(str(exc).split())
    for pattern, reason in _REASONS:
        if pattern.search(text):
            return reason
    if path is not None:
        text = text.replace(str(path), path.name)
    text = re.sub(r"(/[^\s:'\"]+)+", "<path>", text)
    return f"cannot be read ({type(exc).__name__}: {text[:160]})"


@contextmanager
def refusing_bad_content(field: str, path: Path | None = None) -> Iterator[None]:
    """Turn a reader's exception into ``InvalidInput(field=...)``; tiro's own errors pass."""
    try:
        yield
    except TiroError:
        raise
    except UnicodeDecodeError:
        raise InvalidInput("the file is not valid UTF-8 text", field=field) from None
    except (pl.exceptions.PolarsError, OSError, ValueError, TypeError, KeyError) as exc:
        raise InvalidInput(f"the file {reason_of(exc, path)}", field=field) from None
    except Exception as exc:  # pyarrow / yaml errors have no common base we can import cheaply
        if type(exc).__module__.split(".")[0] in ("pyarrow", "yaml", "polars"):
            raise InvalidInput(f"the file {reason_of(exc, path)}", field=field) from None
        raise


def writable_target(path: Path, field: str) -> Path:
    """``path`` if a file can be written there: its folder exists and it is not a folder."""
    if path.is_dir():
        raise InvalidInput(f"{path.name} is a folder, not a file", field=field)
    if not path.parent.is_dir():
        raise InvalidInput(f"the folder {path.parent} does not exist", field=field)
    return path
