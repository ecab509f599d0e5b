"""``--help`` shows no type beside a plain flag, and cuts no text at 80 columns.

Typer 0.29's rich help prints the Python type of every option, so ``--json``, ``--version``
and ``--korus/--no-korus`` read ``<bool>`` as if they took a value (issue 10). A flag takes
none; its type is left blank, every other option keeps its ``<int>``, ``<text>``, choices
and ranges. Typer has no setting for this, so the one method that formats the type is
wrapped once, when the CLI is imported. Help texts and option names fold rather than end
in "…" (see :func:`_fold_command_help`).
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperCommand, TyperGroup, TyperOption

_typer_display_type_rich = TyperOption.display_type_rich


def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
    """Typer's type label, or nothing for a flag (an explicit ``metavar`` still shows)."""
    if self.is_flag and not self.count and self.metavar is None:
        return None
    return _typer_display_type_rich(self, ctx)


if not getattr(TyperOption.display_type_rich, "__tiro__", False):
    display_type_rich.__tiro__ = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


def _fold_command_help() -> None:
    """Help texts fold instead of ending in "…".

    rich truncates a wrapped line of Korean and Latin text with "…" though it fits
    ("… change in percentag…" in ``tiro trade --help`` at 80 columns), and cuts a long
    token such as a CSV header in an option's help; with overflow "fold" both render
    whole. Done when help is first drawn: importing typer's rich help module up front
    would cost every ``tiro --version`` its import time.
    """
    from rich.text import Text
    from typer import rich_utils

    for name in ("_make_command_help", "_get_parameter_help"):
        make = getattr(rich_utils, name)
        if getattr(make, "__tiro__", False):
            continue

        def folding(*args: Any, _make: Any = make, **kwargs: Any) -> Any:
            out = _make(*args, **kwargs)
            for part in getattr(out, "renderables", [out]):  # a Text, or Columns of them
                if isinstance(part, Text):
                    part.overflow = "fold"
            return out

        folding.__tiro__ = True  # type: ignore[attr-defined]
        setattr(rich_utils, name, folding)
    # Option names too: "--product-naphtha-net-imports-kt" was cut to "--product-naph…".
    for name in ("highlighter", "negative_highlighter"):
        highlight = getattr(rich_utils, name)
        if not getattr(highlight, "__tiro__", False):
            setattr(rich_utils, name, _FoldingHighlighter(highlight))


class _FoldingHighlighter:
    """typer's option highlighter, its Text set to fold."""

    __tiro__ = True

    def __init__(self, highlight: Any) -> None:
        self.highlight = highlight

    def __call__(self, text: Any) -> Any:
        out = self.highlight(text)
        out.overflow = "fold"
        return out


def _folding(format_help: Any) -> Any:
    def format_help_folding(self: Any, ctx: Any, formatter: Any) -> Any:
        _fold_command_help()
        return format_help(self, ctx, formatter)

    format_help_folding.__tiro__ = True  # type: ignore[attr-defined]
    return format_help_folding


for _cls in (TyperCommand, TyperGroup):
    if not getattr(_cls.format_help, "__tiro__", False):
        _cls.format_help = _folding(_cls.format_help)  # type: ignore[method-assign]
