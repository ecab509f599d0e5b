"""The sandbox child: ``python -I -m tiro.manufacturing.library.sandbox.child RESULT_FD``.

Reads one request (JSON on stdin: the recipe and the data file's name inside its working
directory, which is the run's fresh temp directory), loads the data and what the recipe
needs, installs the audit hook, runs the recipe and writes one answer to the result pipe:

- ``F`` + Arrow IPC bytes — a table;
- ``J`` + JSON — a mapping (non-finite floats as null);
- ``E`` + JSON — a failure: ``{"code": ...}`` with a fixed vocabulary. Registered recipes
  (trusted code) add the error's field and message; for user code only the exception's
  builtin type name and line number are sent, since any text it makes could carry data.

Nothing is printed to stdout; the parent discards it.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import sys
import traceback
from typing import Any

MAX_REQUEST_BYTES = 1 << 20


def _read(name: str) -> Any:
    import polars as pl

    if name.endswith(".parquet"):
        return pl.read_parquet(name)
    if name.endswith(".csv"):
        return pl.read_csv(name)
    return pl.read_ipc(name)


def _preload(recipe: Any) -> None:
    """Import what the recipe will import, before the hook would see the imports."""
    from tiro.manufacturing.library.recipes import ModelRecipe, RuleScoreRecipe

    if isinstance(recipe, ModelRecipe | RuleScoreRecipe):
        from tiro.manufacturing.knowledge import rules  # noqa: F401
        from tiro.manufacturing.quality import workbench

        workbench.code_version()  # inspect + linecache, used by train
    if isinstance(recipe, ModelRecipe) and recipe.workbench_recipe().kind == "negbin":
        import statsmodels.api  # noqa: F401


def _encode(out: Any) -> bytes:
    import polars as pl

    from tiro.core.validation import json_safe

    if isinstance(out, pl.DataFrame):
        buffer = io.BytesIO()
        out.write_ipc(buffer, compression="uncompressed")
        return b"F" + buffer.getvalue()
    if isinstance(out, dict):
        return b"J" + json.dumps(json_safe(out), allow_nan=False, default=_scalar).encode()
    return _error({"code": "bad_output", "type": _builtin_name(type(out))})


def _scalar(value: Any) -> Any:
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return value.item()
    raise TypeError("not JSON")


def _builtin_name(cls: type) -> str:
    """A builtin type's name; anything else (a user class's name could carry data) is 'object'."""
    return cls.__name__ if getattr(builtins, cls.__name__, None) is cls else "object"


def _error(body: dict) -> bytes:
    return b"E" + json.dumps(body).encode()


def _user_line(exc: BaseException) -> int | None:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<analysis>"]
    return frames[-1].lineno if frames else None


def _run(tmp: str, fd: int) -> bytes:
    from tiro.core.errors import TiroError
    from tiro.manufacturing.library.recipes import UserCodeRecipe, validate_recipe
    from tiro.manufacturing.library.sandbox import guard
    from tiro.manufacturing.library.sandbox.execute import execute

    request = json.loads(sys.stdin.buffer.read(MAX_REQUEST_BYTES))
    recipe = validate_recipe(request["recipe"])
    frame = _read(request["data"])
    _preload(recipe)
    import tiro

    roots = [p for p in sys.path if p]
    roots += [sys.prefix, sys.base_prefix, os.path.dirname(os.path.dirname(tiro.__file__))]
    trusted = not isinstance(recipe, UserCodeRecipe)
    guard.install(tmp, fd, roots)
    try:
        return _encode(execute(recipe, frame))
    except MemoryError:
        return _error({"code": "memory"})
    except TiroError as exc:
        if trusted:
            return _error({"code": "recipe_error", "field": exc.field, "message": exc.message})
        return _error({"code": "error", "type": _builtin_name(type(exc)), "line": None})
    except BaseException as exc:
        return _error({"code": "error", "type": _builtin_name(type(exc)), "line": _user_line(exc)})


def main() -> None:
    """Entry point; always ends with ``os._exit`` so no user ``atexit`` handler runs."""
    fd = int(sys.argv[1])
    try:
        payload = _run(os.getcwd(), fd)
    except MemoryError:
        payload = _error({"code": "memory"})
    except BaseException:
        payload = _error({"code": "setup"})
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view) :]
    os._exit(0)


if __name__ == "__main__":
    main()
