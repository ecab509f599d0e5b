"""Shared builders for the data-library tests: people, the solder asset, a finalised contract.

People (core role → library role):
  admin  admin     (acts as any organisation's steward)
  olivia operator  owner of hanbit-pcb (the data owner)
  sam    operator  steward of hanbit-pcb
  ana    analyst   analyst of max-lab (the permitted consumer)
  otto   analyst   analyst of rival-co (not permitted by the policy)
  aud    viewer    auditor of hanbit-pcb
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tiro.core import auth
from tiro.core.audit import verify_chain
from tiro.core.db import get_engine, session_factory
from tiro.core.models import AuditEntry

OWNER_ORG, CONSUMER, RIVAL = "hanbit-pcb", "max-lab", "rival-co"
PURPOSE = "quality_improvement"
PEOPLE = (
    ("admin", "admin", None, None),
    ("olivia", "operator", OWNER_ORG, "owner"),
    ("sam", "operator", OWNER_ORG, "steward"),
    ("ana", "analyst", CONSUMER, "analyst"),
    ("otto", "analyst", RIVAL, "analyst"),
    ("aud", "viewer", OWNER_ORG, "auditor"),
)
BY_MASK = {"kind": "aggregate", "group_by": ["Mask"],
           "metrics": [{"column": "skips", "fn": "mean"}]}  # fmt: skip


@pytest.fixture
def lib(configured: str) -> Iterator[Session]:
    """A session on a fresh database with the six people; the chain must verify afterwards."""
    from tiro.manufacturing.library import members

    session = session_factory(get_engine(configured))()
    for name, role, _, _ in PEOPLE:
        auth.add_user(session=session, name=name, role=role, actor="test")
    session.commit()
    for name, _, org, role in PEOPLE:
        if org:
            members.add_member(session=session, actor="admin", user=name, organisation=org,
                               role=role)  # fmt: skip
    yield session
    session.rollback()
    report = verify_chain(session)
    session.close()
    assert report.ok, f"audit chain broken after the test: {report}"


def solder(session: Session, *, k: int = 5, days: int = 30, models=("poisson", "user_code")) -> int:
    """rpart:solder registered by its owner with a policy for max-lab; returns the asset id."""
    from tiro.manufacturing.library import assets, policies

    asset = assets.register_dataset(session=session, actor="olivia", dataset="rpart:solder",
                                    organisation=OWNER_ORG)  # fmt: skip
    policies.set_policy(
        session=session, actor="olivia", asset=asset["id"], purposes=[PURPOSE],
        organisations=[OWNER_ORG, CONSUMER], expires_on=dt.date.today() + dt.timedelta(days),
        min_group_size=k, max_rows=100, allowed_model_types=list(models),
    )  # fmt: skip
    return asset["id"]


def finalised(session: Session, asset_id: int) -> int:
    """A contract of max-lab on the asset, taken through every step; returns its id."""
    from tiro.manufacturing.library import contracts

    c = contracts.request_contract(session=session, actor="ana", asset=asset_id, purpose=PURPOSE)
    contracts.offer(session=session, actor="olivia", contract_id=c["id"])
    contracts.agree(session=session, actor="ana", contract_id=c["id"])
    contracts.finalise(session=session, actor="sam", contract_id=c["id"])
    return c["id"]


def approved(session: Session, contract_id: int, recipe: dict[str, Any] = BY_MASK) -> int:
    """A request submitted by ana and approved by sam; returns its id."""
    from tiro.manufacturing.library import requests

    r = requests.submit(session=session, actor="ana", contract_id=contract_id, recipe=recipe)
    requests.approve(session=session, actor="sam", request_id=r["id"])
    return r["id"]


def actions(session: Session, like: str = "manufacturing.library.%") -> list[str]:
    """Audit actions of the library, oldest first."""
    rows = session.execute(
        select(AuditEntry.action).where(AuditEntry.action.like(like)).order_by(AuditEntry.id)
    ).scalars()
    return list(rows)


def count(session: Session, table: Any) -> int:
    """Rows in a table (to show a refusal changed nothing)."""
    return session.execute(select(func.count()).select_from(table)).scalar_one()
