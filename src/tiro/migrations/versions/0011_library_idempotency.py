"""manufacturing library: idempotency keys for the creating routes (one answer per key)

Revision ID: 0011_library_idempotency
Revises: 0010_check_constraint_names
Create Date: 2026-12-05

A client retrying ``POST /contracts`` (or members, assets, upload, policy, requests) after a
timeout with the same ``Idempotency-Key`` gets the first answer back instead of a second
row. The key is unique per actor; the request hash (SHA-256 of route and body) tells a
replay from a reuse of the key for something else.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_library_idempotency"
down_revision = "0010_check_constraint_names"
branch_labels = None
depends_on = None

TABLE = "manufacturing_library_idempotency_keys"
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("route", sa.String(80), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("response", sa.JSON, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("actor", "key", name="uq_mfg_library_idempotency_actor_key"),
        # op.f: the names are final, the metadata's convention must not prefix them again
        sa.CheckConstraint("length(key) > 0", name=op.f(f"ck_{TABLE}_key_given")),
        sa.CheckConstraint("length(request_hash) = 64", name=op.f(f"ck_{TABLE}_hash_sha256")),
    )


def downgrade() -> None:
    op.drop_table(TABLE)
