"""Every numeric CLI option refuses NaN, infinities and absurd sizes, without per-option code.

Click reads ``--value nan`` or ``--volume 1e19`` as a number; the engines behind would turn
them into wrong verdicts or overflows. Rather than remember a check on each option, the
command tree is walked once when a (sub-)app is loaded and each command's callback is
wrapped so that every float or integer it receives passes
:func:`tiro.core.validation.finite`, with the option's flag as the field name.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


def _flag(command: Any, name: str) -> str:
    for param in getattr(command, "params", ()):
        if param.name == name:
            opts = getattr(param, "opts", None) or [name]
            return max(opts, key=len)
    return name


def _check(value: Any, field: str) -> None:
    if isinstance(value, float | int) and not isinstance(value, bool):
        from tiro.core.validation import finite  # pydantic: only once a number is checked

        finite(value, field)
    elif isinstance(value, list | tuple):
        for item in value:
            _check(item, field)


def _guard(command: Any, callback: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(callback)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        for name, value in kwargs.items():
            _check(value, _flag(command, name))
        return callback(*args, **kwargs)

    guarded.__tiro_finite__ = True  # type: ignore[attr-defined]
    return guarded


def harden(command: Any) -> Any:
    """Guard ``command`` and its sub-commands; walking twice guards once."""
    callback = getattr(command, "callback", None)
    if callback is not None and not getattr(callback, "__tiro_finite__", False):
        command.callback = _guard(command, callback)
    for sub in getattr(command, "commands", {}).values():
        harden(sub)
    return command
