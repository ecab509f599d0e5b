"""One guard against numbers no policy can mean: NaN, infinities and absurd magnitudes.

Every boundary — CLI options, API bodies and query strings, CSV/JSON/YAML readers and
parameter overlays — passes its numbers through here, so a ``nan`` never becomes a silent
"no limit", a ``null`` in an answer or a bare ``NaN`` in JSON output. Each refusal names the
field, so a user knows where to look.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from tiro.core.errors import InvalidInput

if TYPE_CHECKING:
    import polars as pl

#: Largest magnitude tiro accepts for any quantity (barrels, dollars, tonnes, ...). Above
#: it a value is a typo, and it no longer fits a signed 64-bit column of the smallest unit.
MAX_MAGNITUDE = 1e15


class InputModel(BaseModel):
    """Base of every API body and user-file model: unknown keys and non-finite floats refused.

    An unknown key is refused rather than dropped, because a dropped key silently changes
    what was asked (``indicators: {"foo": 1}`` would be a decision on no evidence).
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def _plausible(value: float) -> float:
    if abs(value) > MAX_MAGNITUDE:
        raise ValueError(f"{value:g} is out of range (at most {MAX_MAGNITUDE:g} in size)")
    return value


#: A float that is finite and of plausible size, for pydantic fields. The size bound is a
#: validator, not ``ge``/``le``: pydantic keeps one bound per kind, so a field's own
#: ``Field(ge=0)`` would silently replace (or be replaced by) a magnitude bound.
FiniteFloat = Annotated[float, Field(allow_inf_nan=False), AfterValidator(_plausible)]


def finite(value: float | int | None, field: str, *, max_abs: float = MAX_MAGNITUDE) -> Any:
    """``value`` unchanged if it is finite and at most ``max_abs`` in size; else InvalidInput."""
    if value is None or isinstance(value, bool):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{value!r} is not a number", field=field) from None
    except OverflowError:
        raise InvalidInput("is too large", field=field) from None
    if math.isnan(number):
        raise InvalidInput("must be a number, not NaN", field=field)
    if math.isinf(number):
        raise InvalidInput("must be finite, not infinity", field=field)
    if abs(number) > max_abs:
        raise InvalidInput(f"{value} is out of range (at most {max_abs:g} in size)", field=field)
    return value


def finite_tree(data: Any, field: str = "") -> Any:
    """Check every number in a nested dict/list (parsed JSON or YAML); return it unchanged."""
    if isinstance(data, Mapping):
        for key, value in data.items():
            finite_tree(value, f"{field}.{key}" if field else str(key))
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            finite_tree(value, f"{field}[{index}]")
    elif isinstance(data, float | int) and not isinstance(data, bool):
        finite(data, field or "value")
    return data


def finite_frame(
    frame: pl.DataFrame,
    columns: Iterable[str] | None = None,
    *,
    line_offset: int = 2,
    max_abs: float = MAX_MAGNITUDE,
) -> pl.DataFrame:
    """Refuse a table whose float columns hold NaN, infinities or absurd magnitudes.

    The first offending cell is named as ``column`` with its file line (header = line 1,
    so the first data row is ``line_offset`` = 2).
    """
    import polars as pl

    names = list(columns) if columns is not None else list(frame.columns)
    for name in names:
        series = frame.get_column(name)
        if not series.dtype.is_numeric():
            continue
        values = series.cast(pl.Float64, strict=False)
        bad = values.is_nan() | values.is_infinite() | (values.abs() > max_abs)
        bad = bad.fill_null(False)
        if bad.any():
            index = int(bad.arg_max())
            value = values[index]
            reason = (
                "NaN"
                if math.isnan(value)
                else "infinity"
                if math.isinf(value)
                else f"{value:g} is out of range (at most {max_abs:g} in size)"
            )
            raise InvalidInput(
                f"line {index + line_offset}: {reason} is not an accepted value", field=name
            )
    return frame


def json_safe(data: Any) -> Any:
    """Nested data with non-finite floats replaced by ``None``, so JSON output stays RFC 8259.

    Inputs are refused before they reach an engine; this is the last line for a value an
    engine legitimately leaves undefined (a ratio over an empty period).
    """
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, Mapping):
        return {key: json_safe(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [json_safe(value) for value in data]
    return data
