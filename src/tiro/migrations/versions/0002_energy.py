"""energy: reserve sites and stocks, refiners, SWAP loans and requests, alert decisions

Revision ID: 0002_energy
Revises: 0001_core
Create Date: 2026-11-25

The CHECK constraints carry the SWAP ledger invariants (floor, balance, loan within its
confirmed cargo) so the database itself refuses a row that breaks them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_energy"
down_revision = "0001_core"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
BBL = sa.BigInteger
LOAN_STATUSES = "'requested', 'loading_confirmed', 'released', 'arrived', 'closed'"
LEVELS = "'정상', '관심', '주의', '경계', '심각'"


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    ]


def _sites_and_refiners() -> None:
    op.create_table(
        "energy_reserve_sites",
        sa.Column("code", sa.String(30), primary_key=True),
        sa.Column("name_ko", sa.String(60), nullable=False),
        sa.Column("name_en", sa.String(60), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("capacity_bbl", BBL, nullable=True),
        sa.Column("capacity_source", sa.Text, nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "capacity_bbl IS NULL OR capacity_bbl > 0", name="ck_energy_reserve_sites_cap"
        ),
    )
    op.create_table(
        "energy_refiners",
        sa.Column("code", sa.String(30), primary_key=True),
        sa.Column("name_ko", sa.String(60), nullable=False),
        sa.Column("name_en", sa.String(60), nullable=False),
        sa.Column("refinery", sa.String(120), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        *_stamps(),
    )
    op.create_table(
        "energy_site_stocks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "site_code", sa.String(30), sa.ForeignKey("energy_reserve_sites.code"), nullable=False
        ),
        sa.Column("grade", sa.String(60), nullable=False),
        sa.Column("stock_bbl", BBL, nullable=False),
        sa.Column("floor_bbl", BBL, nullable=False),
        sa.Column("released_bbl", BBL, nullable=False),
        sa.Column("repaid_bbl", BBL, nullable=False),
        sa.Column("outstanding_bbl", BBL, nullable=False),
        sa.Column("premium_received_bbl", BBL, nullable=False),
        sa.Column("data_label", sa.String(20), nullable=False),
        *_stamps(),
        sa.UniqueConstraint("site_code", "grade", name="uq_energy_site_stocks_site_grade"),
        sa.CheckConstraint("floor_bbl >= 0", name="ck_energy_site_stocks_floor_nonneg"),
        sa.CheckConstraint(
            "stock_bbl >= floor_bbl", name="ck_energy_site_stocks_stock_above_floor"
        ),
        sa.CheckConstraint(
            "released_bbl >= 0 AND repaid_bbl >= 0 AND outstanding_bbl >= 0 "
            "AND premium_received_bbl >= 0",
            name="ck_energy_site_stocks_counters_nonneg",
        ),
        sa.CheckConstraint(
            "released_bbl = repaid_bbl + outstanding_bbl", name="ck_energy_site_stocks_balanced"
        ),
    )


def _loans() -> None:
    op.create_table(
        "energy_swap_loans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("request_key", sa.String(120), nullable=False),
        sa.Column(
            "refiner_code", sa.String(30), sa.ForeignKey("energy_refiners.code"), nullable=False
        ),
        sa.Column(
            "site_code", sa.String(30), sa.ForeignKey("energy_reserve_sites.code"), nullable=False
        ),
        sa.Column("grade", sa.String(60), nullable=False),
        sa.Column("vessel", sa.String(120), nullable=False),
        sa.Column("origin", sa.String(80), nullable=False),
        sa.Column("cargo_grade", sa.String(60), nullable=False),
        sa.Column("cargo_bbl", BBL, nullable=False),
        sa.Column("loading_date", sa.Date, nullable=False),
        sa.Column("eta", sa.Date, nullable=False),
        sa.Column("requested_bbl", BBL, nullable=False),
        sa.Column("bl_number", sa.String(80), nullable=True),
        sa.Column("confirmed_cargo_bbl", BBL, nullable=True),
        sa.Column("approved_bbl", BBL, nullable=True),
        sa.Column("released_bbl", BBL, nullable=False),
        sa.Column("repaid_bbl", BBL, nullable=False),
        sa.Column("premium_due_bbl", BBL, nullable=False),
        sa.Column("premium_repaid_bbl", BBL, nullable=False),
        sa.Column("released_on", sa.Date, nullable=True),
        sa.Column("arrived_on", sa.Date, nullable=True),
        sa.Column("closed_on", sa.Date, nullable=True),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        *_stamps(),
        sa.UniqueConstraint("request_key", name="uq_energy_swap_loans_request_key"),
        sa.CheckConstraint(
            f"status IN ({LOAN_STATUSES})", name="ck_energy_swap_loans_status_known"
        ),
        sa.CheckConstraint(
            "cargo_bbl > 0 AND requested_bbl > 0", name="ck_energy_swap_loans_volumes_positive"
        ),
        sa.CheckConstraint(
            "requested_bbl <= cargo_bbl", name="ck_energy_swap_loans_request_within_cargo"
        ),
        sa.CheckConstraint("eta >= loading_date", name="ck_energy_swap_loans_eta_after_loading"),
        sa.CheckConstraint(
            "approved_bbl IS NULL OR (confirmed_cargo_bbl IS NOT NULL "
            "AND approved_bbl > 0 AND approved_bbl <= confirmed_cargo_bbl "
            "AND approved_bbl <= requested_bbl)",
            name="ck_energy_swap_loans_approved_within_confirmed_cargo",
        ),
        sa.CheckConstraint(
            "released_bbl = 0 OR (approved_bbl IS NOT NULL AND released_bbl <= approved_bbl)",
            name="ck_energy_swap_loans_release_within_approved",
        ),
        sa.CheckConstraint(
            "repaid_bbl >= 0 AND repaid_bbl <= released_bbl",
            name="ck_energy_swap_loans_repaid_le_released",
        ),
        sa.CheckConstraint(
            "premium_repaid_bbl >= 0 AND premium_repaid_bbl <= premium_due_bbl",
            name="ck_energy_swap_loans_premium_le_due",
        ),
    )
    op.create_index("ix_energy_swap_loans_site_grade", "energy_swap_loans", ["site_code", "grade"])
    op.create_table(
        "energy_swap_requests",
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("operation", sa.String(30), nullable=False),
        sa.Column("payload_hash", sa.String(64), nullable=False),
        sa.Column("loan_id", sa.Integer, sa.ForeignKey("energy_swap_loans.id"), nullable=True),
        sa.Column("response", sa.JSON, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )


def _alerts() -> None:
    op.create_table(
        "energy_alert_decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("resource", sa.String(30), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("previous_level", sa.String(10), nullable=False),
        sa.Column("decided_on", sa.Date, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("recommended_level", sa.String(10), nullable=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("indicators", sa.JSON, nullable=True),
        sa.Column("source_href", sa.Text, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint(
            "resource", "decided_on", "level", name="uq_energy_alert_decisions_resource_day_level"
        ),
        sa.CheckConstraint(f"level IN ({LEVELS})", name="ck_energy_alert_decisions_level_known"),
        sa.CheckConstraint(
            f"previous_level IN ({LEVELS})", name="ck_energy_alert_decisions_previous_known"
        ),
        sa.CheckConstraint(
            "kind IN ('confirm', 'override', 'record')", name="ck_energy_alert_decisions_kind_known"
        ),
    )
    op.create_index(
        "ix_energy_alert_decisions_resource_day",
        "energy_alert_decisions",
        ["resource", "decided_on"],
    )


def upgrade() -> None:
    _sites_and_refiners()
    _loans()
    _alerts()


def downgrade() -> None:
    op.drop_index("ix_energy_alert_decisions_resource_day", table_name="energy_alert_decisions")
    op.drop_table("energy_alert_decisions")
    op.drop_table("energy_swap_requests")
    op.drop_index("ix_energy_swap_loans_site_grade", table_name="energy_swap_loans")
    op.drop_table("energy_swap_loans")
    op.drop_table("energy_site_stocks")
    op.drop_table("energy_refiners")
    op.drop_table("energy_reserve_sites")
