"""invest: MOU project registry, capital and cash flows by year, pre-review steps

Revision ID: 0005_invest
Revises: 0004_petrochem
Create Date: 2026-12-05

States, positive capital calls and a reason on every step are CHECK constraints.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_invest"
down_revision = "0004_petrochem"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
STATES = "'submitted', 'screened', 'consulted', 'recommended', 'selected', 'declined', 'withdrawn'"


def upgrade() -> None:
    op.create_table(
        "invest_projects",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(160), nullable=False),
        sa.Column("sector", sa.String(40), nullable=False),
        sa.Column("sponsor", sa.String(160), nullable=False),
        sa.Column("korean_suppliers", sa.JSON, nullable=False),
        sa.Column("us_spv", sa.String(160), nullable=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("submitted_on", sa.Date, nullable=False),
        sa.Column("notes", sa.Text, nullable=True),
        sa.Column("documents", sa.JSON, nullable=False),
        sa.Column("data_label", sa.String(20), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("name", name="uq_invest_projects_name"),
        sa.CheckConstraint(f"state IN ({STATES})", name="ck_invest_projects_state_known"),
        sa.CheckConstraint(
            "data_label IN ('sample', 'user', 'public')", name="ck_invest_projects_label_known"
        ),
    )
    op.create_table(
        "invest_capital",
        sa.Column("project_id", sa.Integer, sa.ForeignKey("invest_projects.id"), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("amount_usd", sa.BigInteger, nullable=False),
        sa.CheckConstraint("amount_usd > 0", name="ck_invest_capital_amount_positive"),
    )
    op.create_table(
        "invest_cash_flows",
        sa.Column("project_id", sa.Integer, sa.ForeignKey("invest_projects.id"), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("amount_usd", sa.BigInteger, nullable=False),
        sa.CheckConstraint("year >= 1", name="ck_invest_cash_flows_year_from_one"),
    )
    op.create_table(
        "invest_review_steps",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("invest_projects.id"), nullable=False),
        sa.Column("on", sa.Date, nullable=False),
        sa.Column("from_state", sa.String(20), nullable=True),
        sa.Column("to_state", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("body", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.CheckConstraint(f"to_state IN ({STATES})", name="ck_invest_review_steps_to_state_known"),
        sa.CheckConstraint("length(reason) > 0", name="ck_invest_review_steps_reason_given"),
    )
    op.create_index("ix_invest_review_steps_project_id", "invest_review_steps", ["project_id"])


def downgrade() -> None:
    op.drop_index("ix_invest_review_steps_project_id", table_name="invest_review_steps")
    op.drop_table("invest_review_steps")
    op.drop_table("invest_cash_flows")
    op.drop_table("invest_capital")
    op.drop_table("invest_projects")
