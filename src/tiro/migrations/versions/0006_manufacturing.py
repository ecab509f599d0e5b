"""manufacturing: model registry (versions, aliases) and versioned tacit-knowledge rules

Revision ID: 0006_manufacturing
Revises: 0005_invest
Create Date: 2026-12-05

A model version is written once; a version number is positive, its kind known and its dataset
hash a SHA-256 (64 hex characters) — CHECK constraints.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_manufacturing"
down_revision = "0005_invest"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
KINDS = "'classification', 'poisson', 'negbin', 'linear', 'weibull'"


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "manufacturing_models",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("dataset", sa.String(80), nullable=False),
        sa.Column("dataset_hash", sa.String(64), nullable=False),
        sa.Column("code_version", sa.String(60), nullable=False),
        sa.Column("recipe", sa.JSON, nullable=False),
        sa.Column("metrics", sa.JSON, nullable=False),
        sa.Column("coefficients", sa.JSON, nullable=False),
        sa.Column("registered_by", sa.String(120), nullable=False),
        *_stamps(),
        sa.UniqueConstraint("name", "version", name="uq_manufacturing_models_name_version"),
        sa.CheckConstraint("version >= 1", name="ck_manufacturing_models_version_positive"),
        sa.CheckConstraint(f"kind IN ({KINDS})", name="ck_manufacturing_models_kind_known"),
        sa.CheckConstraint("length(dataset_hash) = 64", name="ck_manufacturing_models_hash_sha256"),
    )
    op.create_table(
        "manufacturing_model_aliases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("alias", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        *_stamps(),
        sa.UniqueConstraint("name", "alias", name="uq_manufacturing_model_aliases_name_alias"),
        sa.CheckConstraint("version >= 1", name="ck_manufacturing_model_aliases_version_positive"),
    )
    op.create_table(
        "manufacturing_rules",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("rule_id", sa.String(60), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("author", sa.String(120), nullable=False),
        sa.Column("statement", sa.Text, nullable=False),
        sa.Column("dataset", sa.String(80), nullable=False),
        sa.Column("conditions", sa.JSON, nullable=False),
        sa.Column("outcome", sa.JSON, nullable=False),
        sa.Column("recorded_by", sa.String(120), nullable=False),
        *_stamps(),
        sa.UniqueConstraint("rule_id", "version", name="uq_manufacturing_rules_rule_id_version"),
        sa.CheckConstraint("version >= 1", name="ck_manufacturing_rules_version_positive"),
    )


def downgrade() -> None:
    op.drop_table("manufacturing_rules")
    op.drop_table("manufacturing_model_aliases")
    op.drop_table("manufacturing_models")
