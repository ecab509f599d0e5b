"""A root command that imports a sub-app only when that sub-app's command runs.

Importing every domain's CLI module up front pulled SQLAlchemy, Alembic, Polars and the
tariff batch engine into ``tiro --version`` (seconds of start-up, issue 10), and let one
broken domain module break every command. The root group instead knows each sub-app by
name, module and one-line help; ``tiro --help`` lists them from that table, and the module
is imported when the command line names it (or when the docs walk the whole tree).

Typer 0.29 vendors its own click (``typer._click``); :class:`LazyGroup` only overrides
the public hooks of :class:`typer.core.TyperGroup` (``list_commands``, ``get_command``,
``resolve_command``), so it does not depend on which click that is.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from difflib import get_close_matches
from types import ModuleType
from typing import Any, ClassVar, NamedTuple

import typer
from typer.core import TyperGroup


class LazyApp(NamedTuple):
    """Where a sub-app lives and the one line ``tiro --help`` shows for it."""

    name: str
    module: str
    attr: str
    help: str


class _Mounted(dict):
    """The group's loaded commands; asking for a lazy one by name (``commands["trade"]``)
    loads it, as the eager group answered. Iteration shows only what is loaded, so walking
    the tree (as :func:`tiro.cli.finite_options.harden` does) imports nothing."""

    def __init__(self, group: LazyGroup, commands: dict[str, Any]) -> None:
        super().__init__(commands)
        self.group = group

    def __missing__(self, name: str) -> Any:
        if name in self.group.lazy_apps:
            return self.group.load(name)
        raise KeyError(name)


class LazyGroup(TyperGroup):
    """A Typer group whose sub-apps in :attr:`lazy_apps` are imported on first use.

    A loaded sub-app is passed through :func:`tiro.cli.finite_options.harden`, so its
    numeric options refuse NaN and infinities exactly as eagerly mounted ones do.
    """

    lazy_apps: ClassVar[dict[str, LazyApp]] = {}

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Mounted(self, dict(self.commands))

    def list_commands(self, ctx: Any) -> list[str]:
        """Eager commands first, then every lazy sub-app in declared order, none imported."""
        eager = [name for name in self.commands if name not in self.lazy_apps]
        return [*eager, *self.lazy_apps]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The loaded command, or for a sub-app not yet imported a stand-in with its help.

        Help listings call this for every name; the stand-in keeps them from importing.
        Running a command goes through :meth:`resolve_command`, which loads the real one.
        """
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        spec = self.lazy_apps.get(cmd_name)
        if spec is None:
            return None
        return TyperGroup(name=spec.name, help=spec.help)

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        """Import the named sub-app, then resolve as Typer does (with typo suggestions)."""
        if args and args[0] in self.lazy_apps:
            self.load(args[0])
        try:
            return super().resolve_command(ctx, args)
        except Exception as exc:
            message = getattr(exc, "message", None)
            if args and isinstance(message, str) and "Did you mean" not in message:
                matches = get_close_matches(args[0], self.list_commands(ctx))
                if matches:
                    names = ", ".join(repr(m) for m in matches)
                    exc.message = f"{message.rstrip('.')}. Did you mean {names}?"  # type: ignore[attr-defined]
            raise

    def load(self, name: str) -> Any:
        """Import sub-app ``name``, harden its numeric options, and mount it."""
        if name not in self.commands:
            from tiro.cli.finite_options import harden

            spec = self.lazy_apps[name]
            sub_app = getattr(importlib.import_module(spec.module), spec.attr)
            # get_group, as add_typer would: no --install-completion on a sub-app.
            command = typer.main.get_group(sub_app)
            command.name = name
            self.commands[name] = harden(command)
        return self.commands[name]

    def load_all(self) -> LazyGroup:
        """Import every sub-app: for the generated CLI reference and the docs tests."""
        for name in self.lazy_apps:
            self.load(name)
        return self


def deferred(module: str, name: str) -> Callable[..., Any]:
    """A stand-in for ``module.name`` that imports ``module`` at its first call.

    For a command module whose engines pull SQLAlchemy or NumPy: the import line at the top
    becomes ``name = deferred("tiro.x.service", "name")`` and the command bodies stay as
    they were, while loading the sub-app (to run a sibling command) costs nothing.
    """

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"``{module}.{name}``, imported at the first call."
    return call


class DeferredModule(ModuleType):
    """A stand-in for a module used as ``engine.function(...)``, imported at first use."""

    def __init__(self, module: str) -> None:
        super().__init__(module)
        self._deferred_name = module

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._deferred_name), attr)
