"""core: CHECK constraints named once (ck_<table>_<rule>), as the model metadata names them

Revision ID: 0010_check_constraint_names
Revises: 0009_manufacturing_library
Create Date: 2026-12-05

Migrations 0001, 0002 and 0004-0008 gave CHECK constraints their full name
(``ck_users_role_known``) without ``op.f()``. env.py hands Alembic the model metadata, whose
naming convention ``ck_%(table_name)s_%(constraint_name)s`` was applied to that full name a
second time: the databases hold ``ck_users_ck_users_role_known``, and on PostgreSQL a name
longer than 63 characters was cut by SQLAlchemy to 55 characters plus ``_`` and four hex
digits of its MD5 (``ck_energy_inspection_cases_ck_energy_inspection_cases_c_440a``), so the
two backends did not even agree, and an error message named the doubled rule. Those migrations
have run on users' databases and stay as they are; this one renames what they made.

- PostgreSQL: ``ALTER TABLE … RENAME CONSTRAINT`` (in place, no data moves).
- SQLite has no way to rename a constraint, and rebuilding a parent table (``users``,
  ``petrochem_projects``, …) fails its children's foreign keys while ``foreign_keys=ON``
  (which a migration inside a transaction cannot switch off). A constraint's name is not part
  of the stored format, so the table's CREATE text in ``sqlite_schema`` is edited in place, as
  SQLite documents for storage-neutral changes (https://www.sqlite.org/lang_altertable.html,
  section 7): ``writable_schema``, the new text, ``schema_version`` + 1, then
  ``integrity_check``. Each old name must occur exactly once or nothing is changed.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op
from sqlalchemy.util import md5_hex

revision = "0010_check_constraint_names"
down_revision = "0009_manufacturing_library"
branch_labels = None
depends_on = None

#: The rules whose names were doubled, per table (read off a database at 0009; frozen here
#: because a migration does not import the models of a later day).
DOUBLED: dict[str, tuple[str, ...]] = {
    "users": ("role_known",),
    "energy_alert_decisions": ("kind_known", "level_known", "previous_known"),
    "energy_inspection_cases": (
        "closed_after_inspected",
        "dates_match_state",
        "inspected_after_opened",
        "state_known",
        "type_known",
    ),
    "energy_reserve_sites": ("cap",),
    "energy_site_stocks": ("balanced", "counters_nonneg", "floor_nonneg", "stock_above_floor"),
    "energy_subsidy_budgets": (
        "budget_nonneg",
        "committed_within_budget",
        "counters_nonneg",
        "paid_within_committed",
    ),
    "energy_subsidy_claims": (
        "approved_amount",
        "claimed_positive",
        "paid_has_date",
        "rejected_has_reason",
        "status_known",
    ),
    "energy_swap_loans": (
        "approved_within_confirmed_cargo",
        "eta_after_loading",
        "premium_le_due",
        "release_within_approved",
        "repaid_le_released",
        "request_within_cargo",
        "status_known",
        "volumes_positive",
    ),
    "invest_capital": ("amount_positive",),
    "invest_cash_flows": ("year_from_one",),
    "invest_projects": ("label_known", "state_known"),
    "invest_review_steps": ("reason_given", "to_state_known"),
    "manufacturing_model_aliases": ("version_positive",),
    "manufacturing_models": ("hash_sha256", "kind_known", "version_positive"),
    "manufacturing_rules": ("version_positive",),
    "petrochem_project_steps": ("role", "state"),
    "petrochem_project_units": ("action", "capacity_positive"),
    "petrochem_projects": ("complex", "state"),
    "petrochem_support_items": ("amount_nonneg", "disbursed_nonneg", "kind", "within_amount"),
}


def doubled_name(table: str, rule: str, max_length: int) -> str:
    """The name 0001-0008 gave the rule on a backend (SQLAlchemy's cut of an over-long name)."""
    name = f"ck_{table}_ck_{table}_{rule}"
    if len(name) > max_length:
        name = name[: max_length - 8] + "_" + md5_hex(name)[-4:]
    return name


def single_name(table: str, rule: str) -> str:
    """The name the model metadata's convention gives the rule."""
    return f"ck_{table}_{rule}"


def _pairs(max_length: int, *, forward: bool) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for table, rules in DOUBLED.items():
        for rule in rules:
            old, new = doubled_name(table, rule, max_length), single_name(table, rule)
            out.setdefault(table, []).append((old, new) if forward else (new, old))
    return out


def _rename_postgresql(forward: bool) -> None:
    max_length = op.get_bind().dialect.max_identifier_length
    for table, pairs in _pairs(max_length, forward=forward).items():
        for old, new in pairs:
            op.execute(f'ALTER TABLE "{table}" RENAME CONSTRAINT "{old}" TO "{new}"')


def _rewrite_sqlite(sql: str, table: str, pairs: list[tuple[str, str]]) -> str:
    for old, new in pairs:
        pattern = re.compile(rf'CONSTRAINT\s+(["`\[]?){re.escape(old)}(["`\]]?)\s+CHECK')
        sql, count = pattern.subn(lambda m, n=new: f"CONSTRAINT {m[1]}{n}{m[2]} CHECK", sql)
        if count != 1:
            raise RuntimeError(
                f"{table}: CHECK constraint {old} found {count} times in its CREATE text "
                "(expected once); the schema differs from what migrations 0001-0009 made, "
                "nothing was changed"
            )
    return sql


def _rename_sqlite(forward: bool) -> None:
    bind = op.get_bind()
    select = sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t")
    new_sql = {
        table: _rewrite_sqlite(bind.execute(select, {"t": table}).scalar_one(), table, pairs)
        for table, pairs in _pairs(10**6, forward=forward).items()
    }
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        update = sa.text("UPDATE sqlite_master SET sql = :s WHERE type = 'table' AND name = :t")
        for table, sql in new_sql.items():
            bind.execute(update, {"s": sql, "t": table})
        bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    problems = bind.exec_driver_sql("PRAGMA integrity_check").scalars().all()
    if problems != ["ok"]:
        raise RuntimeError(f"integrity_check after renaming CHECK constraints: {problems[:5]}")


def _rename(forward: bool) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _rename_postgresql(forward)
    elif dialect == "sqlite":
        _rename_sqlite(forward)
    else:
        raise RuntimeError(f"0010: no constraint rename for the {dialect} backend")


def upgrade() -> None:
    _rename(forward=True)


def downgrade() -> None:
    _rename(forward=False)
