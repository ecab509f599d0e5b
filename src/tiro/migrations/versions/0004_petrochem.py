"""petrochem: restructuring projects, their units and dated steps, support items

Revision ID: 0004_petrochem
Revises: 0003_energy_swap_chronology
Create Date: 2026-12-05

The workflow's states, actions and roles, positive capacities and disbursements within their
item are CHECK constraints, so the database refuses a row that breaks them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_petrochem"
down_revision = "0003_energy_swap_chronology"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
STATES = (
    "'draft_submitted', 'final_submitted', 'under_deliberation', 'approved', 'rejected', "
    "'implementing', 'completed'"
)


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "petrochem_projects",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("complex", sa.String(20), nullable=False),
        sa.Column("participants", sa.JSON, nullable=False),
        sa.Column("conversion", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("state", sa.String(30), nullable=False),
        sa.Column("state_since", sa.Date, nullable=False),
        *_stamps(),
        sa.CheckConstraint(f"state IN ({STATES})", name="ck_petrochem_projects_state"),
        sa.CheckConstraint(
            "complex IN ('yeosu', 'daesan', 'ulsan')", name="ck_petrochem_projects_complex"
        ),
    )
    op.create_table(
        "petrochem_project_units",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "project_id", sa.String(40), sa.ForeignKey("petrochem_projects.id"), nullable=False
        ),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("capacity_kt", sa.Integer, nullable=False),
        sa.Column("until", sa.Date, nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        *_stamps(),
        sa.UniqueConstraint("project_id", "unit", name="uq_petrochem_project_units_project_unit"),
        sa.CheckConstraint(
            "action IN ('close', 'suspend', 'convert')", name="ck_petrochem_project_units_action"
        ),
        sa.CheckConstraint("capacity_kt > 0", name="ck_petrochem_project_units_capacity_positive"),
    )
    op.create_table(
        "petrochem_project_steps",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "project_id", sa.String(40), sa.ForeignKey("petrochem_projects.id"), nullable=False
        ),
        sa.Column("state", sa.String(30), nullable=False),
        sa.Column("on", sa.Date, nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("documents", sa.JSON, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("inferred", sa.Boolean, nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        *_stamps(),
        sa.UniqueConstraint("project_id", "state", name="uq_petrochem_project_steps_project_state"),
        sa.CheckConstraint(f"state IN ({STATES})", name="ck_petrochem_project_steps_state"),
        sa.CheckConstraint(
            "role IN ('company', 'ministry', 'committee')", name="ck_petrochem_project_steps_role"
        ),
    )
    op.create_table(
        "petrochem_support_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "project_id", sa.String(40), sa.ForeignKey("petrochem_projects.id"), nullable=False
        ),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("instrument", sa.Text, nullable=False),
        sa.Column("amount_krw", sa.BigInteger, nullable=True),
        sa.Column("condition", sa.JSON, nullable=True),
        sa.Column("disbursed_krw", sa.BigInteger, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "kind IN ('finance', 'tax', 'regulation', 'cost', 'rnd')",
            name="ck_petrochem_support_items_kind",
        ),
        sa.CheckConstraint(
            "amount_krw IS NULL OR amount_krw >= 0", name="ck_petrochem_support_items_amount_nonneg"
        ),
        sa.CheckConstraint(
            "disbursed_krw >= 0", name="ck_petrochem_support_items_disbursed_nonneg"
        ),
        sa.CheckConstraint(
            "amount_krw IS NULL OR disbursed_krw <= amount_krw",
            name="ck_petrochem_support_items_within_amount",
        ),
    )


def downgrade() -> None:
    for table in (
        "petrochem_support_items",
        "petrochem_project_steps",
        "petrochem_project_units",
        "petrochem_projects",
    ):
        op.drop_table(table)
