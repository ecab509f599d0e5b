"""energy: inspection register (cases opened → inspected → sanctioned | cleared)

Revision ID: 0008_energy_cases
Revises: 0007_energy_prices
Create Date: 2026-12-05

Type and state from closed lists, dates forward, dates consistent with the state (CHECKs).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_energy_cases"
down_revision = "0007_energy_prices"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
T = "energy_inspection_cases"


def upgrade() -> None:
    op.create_table(
        T,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("case_type", sa.String(20), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("origin", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("opened_on", sa.Date, nullable=False),
        sa.Column("inspected_on", sa.Date, nullable=True),
        sa.Column("closed_on", sa.Date, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint(
            "case_type IN ('fake_fuel', 'collusion', 'hoarding', 'price_display')",
            name=f"ck_{T}_type_known",
        ),
        sa.CheckConstraint(
            "state IN ('opened', 'inspected', 'sanctioned', 'cleared')", name=f"ck_{T}_state_known"
        ),
        sa.CheckConstraint(
            "inspected_on IS NULL OR inspected_on >= opened_on",
            name=f"ck_{T}_inspected_after_opened",
        ),
        sa.CheckConstraint(
            "closed_on IS NULL OR (inspected_on IS NOT NULL AND closed_on >= inspected_on)",
            name=f"ck_{T}_closed_after_inspected",
        ),
        sa.CheckConstraint(
            "(state = 'opened' AND inspected_on IS NULL AND closed_on IS NULL)"
            " OR (state = 'inspected' AND inspected_on IS NOT NULL AND closed_on IS NULL)"
            " OR (state IN ('sanctioned', 'cleared') AND closed_on IS NOT NULL)",
            name=f"ck_{T}_dates_match_state",
        ),
    )
    op.create_index("ix_energy_inspection_cases_station", T, ["station_id", "case_type"])


def downgrade() -> None:
    op.drop_index("ix_energy_inspection_cases_station", table_name=T)
    op.drop_table(T)
