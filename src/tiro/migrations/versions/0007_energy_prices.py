"""energy: subsidy claims ledger (budgets per programme, claims submitted/approved/paid/rejected)

Revision ID: 0007_energy_prices
Revises: 0006_manufacturing
Create Date: 2026-12-05

Committed never above the budget and paid never above committed (CHECKs on the budget row);
a claim's approved amount never above what was claimed; one claim per programme, claimant and
reference; one claim per idempotency key.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_energy_prices"
down_revision = "0006_manufacturing"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "energy_subsidy_budgets",
        sa.Column("programme", sa.String(30), primary_key=True),
        sa.Column("budget_krw", sa.BigInteger, nullable=False),
        sa.Column("committed_krw", sa.BigInteger, nullable=False),
        sa.Column("paid_krw", sa.BigInteger, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        *_stamps(),
        sa.CheckConstraint("budget_krw >= 0", name="ck_energy_subsidy_budgets_budget_nonneg"),
        sa.CheckConstraint(
            "committed_krw >= 0 AND paid_krw >= 0",
            name="ck_energy_subsidy_budgets_counters_nonneg",
        ),
        sa.CheckConstraint(
            "committed_krw <= budget_krw",
            name="ck_energy_subsidy_budgets_committed_within_budget",
        ),
        sa.CheckConstraint(
            "paid_krw <= committed_krw", name="ck_energy_subsidy_budgets_paid_within_committed"
        ),
    )
    op.create_table(
        "energy_subsidy_claims",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "programme",
            sa.String(30),
            sa.ForeignKey(
                "energy_subsidy_budgets.programme",
                name="fk_energy_subsidy_claims_programme_energy_subsidy_budgets",
            ),
            nullable=False,
        ),
        sa.Column("claimant", sa.String(60), nullable=False),
        sa.Column("reference", sa.String(120), nullable=False),
        sa.Column("claim_key", sa.String(120), nullable=False),
        sa.Column("claimed_krw", sa.BigInteger, nullable=False),
        sa.Column("approved_krw", sa.BigInteger, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("submitted_on", sa.Date, nullable=False),
        sa.Column("decided_on", sa.Date, nullable=True),
        sa.Column("paid_on", sa.Date, nullable=True),
        *_stamps(),
        sa.UniqueConstraint("claim_key", name="uq_energy_subsidy_claims_claim_key"),
        sa.UniqueConstraint(
            "programme", "claimant", "reference", name="uq_energy_subsidy_claims_programme"
        ),
        sa.CheckConstraint(
            "status IN ('submitted', 'approved', 'paid', 'rejected')",
            name="ck_energy_subsidy_claims_status_known",
        ),
        sa.CheckConstraint("claimed_krw > 0", name="ck_energy_subsidy_claims_claimed_positive"),
        sa.CheckConstraint(
            "(status IN ('approved', 'paid') AND approved_krw IS NOT NULL AND approved_krw > 0 "
            "AND approved_krw <= claimed_krw) OR "
            "(status IN ('submitted', 'rejected') AND approved_krw IS NULL)",
            name="ck_energy_subsidy_claims_approved_amount",
        ),
        sa.CheckConstraint(
            "status <> 'rejected' OR reason IS NOT NULL",
            name="ck_energy_subsidy_claims_rejected_has_reason",
        ),
        sa.CheckConstraint(
            "status <> 'paid' OR paid_on IS NOT NULL", name="ck_energy_subsidy_claims_paid_has_date"
        ),
    )


def downgrade() -> None:
    op.drop_table("energy_subsidy_claims")
    op.drop_table("energy_subsidy_budgets")
