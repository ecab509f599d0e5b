"""The sandbox's resource limits: a value with defaults from the parameter tree.

The limits are policy numbers (how long, how much memory, how large an answer), so they are
dated, sourced parameters (``manufacturing.library.sandbox_*``), not literals. The kernel
enforces them in the child: RLIMIT_CPU (SIGXCPU at the soft limit, SIGKILL a second later),
RLIMIT_AS (allocations fail: Python raises MemoryError, Rust aborts), RLIMIT_FSIZE (no file
the child writes may exceed the output cap: what it may write it may also return), and no
core dumps. The wall clock is the parent's job (it kills the process group).

RLIMIT_NPROC is not set: the kernel ignores it for real root (tiro may run as root in a
container, as on the build machine), and for any other user it counts every process and
thread the user owns system-wide, so a number low enough to stop a fork would also refuse the
API server's threads. Process creation is contained by the audit hook and, where available,
a PID namespace whose every process dies with the child (see :mod:`.isolation`).
"""

from __future__ import annotations

import datetime as dt
import math
import resource
from collections.abc import Callable
from dataclasses import dataclass

from tiro.core.errors import InvalidInput

_PARAM = "manufacturing.library.sandbox_"


@dataclass(frozen=True)
class Limits:
    """What one sandbox run may use."""

    cpu_seconds: float
    memory_mb: int
    wall_seconds: float
    max_output_bytes: int

    def __post_init__(self) -> None:
        checks = (
            ("cpu_seconds", 0 < self.cpu_seconds <= 3600),
            ("memory_mb", 64 <= self.memory_mb <= 1 << 20),
            ("wall_seconds", 0 < self.wall_seconds <= 3600),
            ("max_output_bytes", 1 <= self.max_output_bytes <= 1 << 30),
        )
        for name, ok in checks:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidInput("must be a number", field=name)
            if not (math.isfinite(value) and ok):
                raise InvalidInput(f"{value} is out of range", field=name)

    def as_dict(self) -> dict[str, float | int]:
        """JSON-ready form (recorded with each run)."""
        return {
            "cpu_seconds": self.cpu_seconds,
            "memory_mb": self.memory_mb,
            "wall_seconds": self.wall_seconds,
            "max_output_bytes": self.max_output_bytes,
        }


def default_limits(on: dt.date | None = None, scenario: str | None = None) -> Limits:
    """The limits in force on ``on`` (default today) from the parameter tree."""
    from tiro.core.parameters import get_params

    params = get_params(scenario)
    day = on or dt.date.today()
    return Limits(
        cpu_seconds=float(params.at(_PARAM + "cpu_seconds", day)),
        memory_mb=int(params.at(_PARAM + "memory_mb", day)),
        wall_seconds=float(params.at(_PARAM + "wall_seconds", day)),
        max_output_bytes=int(params.at(_PARAM + "max_output_bytes", day)),
    )


def preexec(limits: Limits) -> Callable[[], None]:
    """The function the forked child runs before exec: lower its own rlimits (soft = hard,
    so the child cannot raise them back)."""
    cpu = max(1, math.ceil(limits.cpu_seconds))
    memory = limits.memory_mb * 1024 * 1024
    fsize = limits.max_output_bytes

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply
