"""The pre-review workflow (예비검토): which move is allowed from which state.

submitted → screened → consulted → recommended → selected, with declined and withdrawn
reachable from every open state. The body that reviews is not decided here: each step
records the parameter ``invest.review.screening_body`` in force on its date (the interim
committee until the Special Act takes effect, then the Act's procedure).
"""

from __future__ import annotations

from tiro.core.errors import Conflict, InvalidInput

PATH = ("submitted", "screened", "consulted", "recommended", "selected")
ENDS = ("selected", "declined", "withdrawn")
NEXT: dict[str, tuple[str, ...]] = {
    state: (PATH[i + 1], "declined", "withdrawn") for i, state in enumerate(PATH[:-1])
}


def check_move(current: str, target: str) -> None:
    """Refuse a move the workflow does not allow from ``current`` (409, naming the allowed)."""
    known = (*PATH, "declined", "withdrawn")
    if target not in known:
        raise InvalidInput(f"unknown state {target!r} (states: {', '.join(known)})", field="to")
    allowed = NEXT.get(current, ())
    if target not in allowed:
        shown = ", ".join(allowed) if allowed else f"none: {current} is final"
        raise Conflict(
            f"a project in state {current!r} cannot move to {target!r} (allowed: {shown})",
            field="to",
        )
