"""The restructuring-project workflow (사업재편계획 승인 절차): states and allowed moves.

draft submitted → final submitted → under deliberation → approved | rejected →
implementing → completed. Nothing else is a legal move; the service refuses it (409).
Who may take each step is the dated parameter ``petrochem.workflow.step_roles`` (기업활력법:
the company files, the committee deliberates, the ministry approves); another role is
refused (field ``role``, exit 2 / 400).
"""

from __future__ import annotations

import datetime as dt

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree

STATES = (
    "draft_submitted",
    "final_submitted",
    "under_deliberation",
    "approved",
    "rejected",
    "implementing",
    "completed",
)

NEXT: dict[str, tuple[str, ...]] = {
    "draft_submitted": ("final_submitted",),
    "final_submitted": ("under_deliberation",),
    "under_deliberation": ("approved", "rejected"),
    "approved": ("implementing",),
    "implementing": ("completed",),
    "rejected": (),
    "completed": (),
}

APPROVED = ("approved", "implementing", "completed")
"""States in which a project's cuts are decided (counted as approved, fixed in the optimiser)."""

PROPOSED = ("draft_submitted", "final_submitted", "under_deliberation")

ACTIONS = ("close", "suspend", "convert")

ROLES = ("company", "ministry", "committee")
"""Who acts at a step: the companies file, the ministry/committee decides."""


def allowed(current: str | None, target: str) -> bool:
    """Whether a project in ``current`` (None: not yet filed) may move to ``target``."""
    if current is None:
        return target == "draft_submitted"
    return target in NEXT.get(current, ())


STEP_ROLES = "petrochem.workflow.step_roles"


def roles_for(params: ParameterTree, to_state: str, on: dt.date) -> tuple[str, ...]:
    """The acting roles that may move a project to ``to_state`` on ``on`` (the law in force then)."""
    return tuple(params.at(STEP_ROLES, on).get(to_state) or ())


def check_role(params: ParameterTree, to_state: str, role: str, on: dt.date) -> None:
    """Refuse a step taken by a role the rule does not give it to (a company approving itself).

    The acting role is who did the step in the real procedure, not the tiro user recording it.
    """
    may = roles_for(params, to_state, on)
    if role not in may:
        who = " or ".join(may) or "no role"
        raise InvalidInput(
            f"a {role} cannot take the step to {to_state}: only {who} may ({STEP_ROLES} on {on})",
            field="role",
        )
