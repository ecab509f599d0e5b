"""energy: SWAP loan dates in life-cycle order (CHECK constraints only)

Revision ID: 0003_energy_swap_chronology
Revises: 0002_energy
Create Date: 2026-12-05

Issue 9 item 7: the steps of one loan were accepted out of date order (a release in 2099,
arrival and closure in 2026). The service now refuses that; these constraints make the
database hold it too: loading ≤ release ≤ arrival ≤ closing, due date ≥ ETA, and each step's
date present exactly when the loan has reached that step. Rows that already break a rule are
listed by id before anything changes, so an upgrade never half-applies. SQLite cannot add a
constraint in place, so the table is rebuilt in batch mode (its other constraints kept).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_energy_swap_chronology"
down_revision = "0002_energy"
branch_labels = None
depends_on = None

TABLE = "energy_swap_loans"
#: Same text as tiro.energy.models.SWAP_CHRONOLOGY_RULES (a migration is frozen in time, so
#: it does not import the model).
RULES = {
    "released_after_loading": "released_on IS NULL OR released_on >= loading_date",
    "arrived_after_release": "arrived_on IS NULL OR "
    "(released_on IS NOT NULL AND arrived_on >= released_on)",
    "closed_after_arrival": "closed_on IS NULL OR "
    "(arrived_on IS NOT NULL AND closed_on >= arrived_on)",
    "due_after_eta": "due_date >= eta",
    "released_on_set_by_status": "(released_on IS NULL) = "
    "(status IN ('requested', 'loading_confirmed'))",
    "arrived_on_set_by_status": "(arrived_on IS NULL) = "
    "(status IN ('requested', 'loading_confirmed', 'released'))",
    "closed_on_set_by_status": "(closed_on IS NULL) = (status <> 'closed')",
}


def _name(rule: str) -> str:
    """The full name, as the metadata's naming convention gives ``rule`` (ck_<table>_<rule>)."""
    return op.f(f"ck_{TABLE}_{rule}")


def _refuse_broken_rows() -> None:
    bind = op.get_bind()
    broken = []
    for rule, sql in RULES.items():
        ids = bind.execute(sa.text(f"SELECT id FROM {TABLE} WHERE NOT ({sql})")).scalars().all()
        if ids:
            broken.append(f"{rule}: loans {', '.join(map(str, ids[:20]))}")
    if broken:
        raise RuntimeError(
            "energy_swap_loans rows break the life-cycle date order; correct them first — "
            + "; ".join(broken)
        )


def upgrade() -> None:
    _refuse_broken_rows()
    with op.batch_alter_table(TABLE) as batch:
        for rule, sql in RULES.items():
            batch.create_check_constraint(_name(rule), sql)  # op.f: named once, not twice


def downgrade() -> None:
    with op.batch_alter_table(TABLE) as batch:
        for rule in RULES:
            batch.drop_constraint(_name(rule), type_="check")
