"""``--help`` shows no type beside a plain flag.

Typer 0.29's rich help prints the Python type of every option, so ``--json``, ``--version``
and ``--korus/--no-korus`` read ``<bool>`` as if they took a value (issue 10). A flag takes
none; its type is left blank, every other option keeps its ``<int>``, ``<text>``, choices
and ranges. Typer has no setting for this, so the one method that formats the type is
wrapped once, when the CLI is imported.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperOption

_typer_display_type_rich = TyperOption.display_type_rich


def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
    """Typer's type label, or nothing for a flag (an explicit ``metavar`` still shows)."""
    if self.is_flag and not self.count and self.metavar is None:
        return None
    return _typer_display_type_rich(self, ctx)


if not getattr(TyperOption.display_type_rich, "__tiro__", False):
    display_type_rich.__tiro__ = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]
