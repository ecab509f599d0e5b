"""Migration 0009 builds exactly the library tables the models declare, and the database
itself refuses rows that contradict their state (both databases)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tiro.core import auth
from tiro.core.db import get_engine
from tiro.manufacturing.library.tables import (
    LibraryAsset,
    LibraryContract,
    LibraryMember,
    LibraryPolicy,
    LibraryRequest,
)
from tiro.models import metadata

TABLES = {
    "manufacturing_library_members",
    "manufacturing_library_assets",
    "manufacturing_library_policies",
    "manufacturing_library_contracts",
    "manufacturing_library_requests",
}


@pytest.mark.postgres
def test_migration_matches_models(db_url) -> None:
    with get_engine(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        names = set(sa.inspect(conn).get_table_names())
    assert [d for d in diff if any(t in repr(d) for t in TABLES)] == []
    assert names >= TABLES


def test_downgrade_removes_the_library_and_upgrade_restores_it(tmp_path) -> None:
    from alembic import command

    from tiro.core import migrate

    url = f"sqlite:///{tmp_path / 'm.db'}"
    migrate.upgrade(url)
    cfg = migrate.alembic_config(url)
    command.downgrade(cfg, "0008_energy_cases")
    assert not TABLES & set(sa.inspect(get_engine(url)).get_table_names())
    command.upgrade(cfg, "head")
    assert set(sa.inspect(get_engine(url)).get_table_names()) >= TABLES


def _asset(session) -> LibraryAsset:
    asset = LibraryAsset(name="a", organisation="o", description="d", source="s",
                         sensitivity="internal", schema=[], row_count=1, content_hash="a" * 64,
                         storage_path="1.parquet", mock=[], registered_by="x")  # fmt: skip
    session.add(asset)
    session.flush()
    return asset


def _refused(session, row) -> str:
    session.add(row)
    with pytest.raises((sa.exc.IntegrityError, sa.exc.DataError)) as info:
        session.flush()
    session.rollback()
    return str(info.value.orig)


@pytest.mark.postgres
def test_checks_refuse_rows_that_contradict_their_state(session, db_backend) -> None:
    asset_id = _asset(session).id
    session.commit()
    # a contract offered without a terms snapshot
    bad_offer = LibraryContract(asset_id=asset_id, organisation="c", purpose="p",
                                state="offered", requested_by="x")  # fmt: skip
    assert "offer_has_terms" in _refused(session, bad_offer)
    # a state outside the list
    bad_state = LibraryContract(asset_id=asset_id, organisation="c", purpose="p",
                                state="signed", requested_by="x", offered_by="o", terms={},
                                policy_version=1, expires_on=dt.date(2030, 1, 1))  # fmt: skip
    assert "state_known" in _refused(session, bad_state)
    # terminated without who terminated it
    bad_end = LibraryContract(asset_id=asset_id, organisation="c", purpose="p",
                              state="terminated", requested_by="x")  # fmt: skip
    assert "terminated_by_set" in _refused(session, bad_end)
    good = LibraryContract(asset_id=asset_id, organisation="c", purpose="p", state="requested",
                           requested_by="x")  # fmt: skip
    session.add(good)
    session.commit()
    base = {"contract_id": good.id, "asset_id": asset_id, "recipe_kind": "aggregate",
            "recipe": {}, "submitted_by": "x", "mock_run": {}}  # fmt: skip
    # a released request without a result; a pending one holding a result; withheld w/o reason
    assert "result_iff_released" in _refused(
        session, LibraryRequest(**base, state="released", decided_by="s", executed_by="s")
    )
    assert "result_iff_released" in _refused(
        session, LibraryRequest(**base, state="pending", result={"rows": []})
    )
    assert "reason_iff_withheld" in _refused(
        session, LibraryRequest(**base, state="withheld", decided_by="s", executed_by="s")
    )
    assert "decided_by_set" in _refused(session, LibraryRequest(**base, state="approved"))
    # policies: k and row limit at least 1
    policy = dict(asset_id=asset_id, version=1, terms={}, expires_on=dt.date(2030, 1, 1),
                  set_by="x")  # fmt: skip
    assert "k_positive" in _refused(session, LibraryPolicy(**policy, min_group_size=0, max_rows=5))
    assert "max_rows_positive" in _refused(
        session, LibraryPolicy(**policy, min_group_size=5, max_rows=0)
    )


@pytest.mark.postgres
def test_members_are_core_users_with_a_known_role(session, db_backend) -> None:
    auth.add_user(session=session, name="u1", role="analyst", actor="t")
    session.commit()
    assert "role_known" in _refused(
        session, LibraryMember(user_name="u1", organisation="o", role="king", added_by="t")
    )
    # not a core user: the foreign key refuses it
    message = _refused(
        session, LibraryMember(user_name="nobody", organisation="o", role="analyst", added_by="t")
    )
    assert "FOREIGN KEY" in message or "fk_mfg_lib_members_user" in message
