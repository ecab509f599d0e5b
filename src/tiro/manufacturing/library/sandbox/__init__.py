"""Compute-to-data sandbox: run a recipe on an asset in a separate, limited process.

``run(recipe, data_path, limits=...)`` → :class:`SandboxResult`. See :mod:`.runner` for the
process, :mod:`.isolation` for the namespaces, :mod:`.guard` for the audit hook and
:mod:`.limits` for the rlimits and their parameters. The names are loaded lazily so the
child, which imports :mod:`.guard` from this package, does not load the parent's runner.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Limits", "SandboxResult", "default_limits", "run", "run_frame"]


def __getattr__(name: str) -> Any:
    if name in ("Limits", "default_limits"):
        from tiro.manufacturing.library.sandbox import limits

        return getattr(limits, name)
    if name in ("SandboxResult", "run", "run_frame"):
        from tiro.manufacturing.library.sandbox import runner

        return getattr(runner, name)
    raise AttributeError(name)
