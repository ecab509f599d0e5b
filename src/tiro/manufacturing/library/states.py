"""The two moves every library ledger makes: read a row as stored now, and change its state
only from the states a step expects.

Contracts and compute requests are state machines raced by people (two stewards approving,
two analysts executing): the move is one ``UPDATE … WHERE state IN (expected)``, so of two
racing steps exactly one changes a row and the other is told what the row became. The read
re-populates the identity map, so a refusal names the state another transaction just wrote.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tiro.core.errors import Conflict, NotFound


def fresh(session: Session, table: Any, row_id: int, *, label: str, field: str) -> Any:
    """The row as stored now (never a stale identity-map copy); NotFound names ``field``."""
    row = session.execute(
        select(table).where(table.id == row_id).execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"no {label} {row_id}", field=field)
    return row


def guarded_move(
    session: Session,
    table: Any,
    row_id: int,
    expected: tuple[str, ...],
    new_state: str,
    *,
    step: str,
    label: str,
    field: str,
    **values: Any,
) -> None:
    """Move the row to ``new_state`` only if it is still in an ``expected`` state."""
    moved = session.execute(
        update(table)
        .where(table.id == row_id, table.state.in_(expected))
        .values(state=new_state, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        now = fresh(session, table, row_id, label=label, field=field).state
        raise Conflict(f"{label} {row_id} is {now}; {step} needs {' or '.join(expected)}",
                       field=field)  # fmt: skip
