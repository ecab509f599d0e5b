"""Idempotency-Key on the library's creating routes: a retried POST is answered once.

Same user, same key, same request: the first answer again, with no second row and no
second audit entry. Same key, another request: 409 problem+json naming the header. Keys are
per user. Two requests racing with one key make exactly one row, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from sqlalchemy import func, select
from tests.manufacturing.library.library_factories import CONSUMER, OWNER_ORG, PEOPLE, PURPOSE

L = "/api/v1/manufacturing/library"
KEY = "Idempotency-Key"
pytestmark = pytest.mark.postgres


@pytest.fixture
def h(configured: str) -> dict[str, dict[str, str]]:
    """The library people with bearer headers, the solder asset and a policy for max-lab."""
    from tiro.core import auth
    from tiro.core.db import get_engine, session_scope
    from tiro.manufacturing.library import assets, members, policies

    headers = {}
    with session_scope(get_engine(configured)) as s:
        for name, role, _, _ in PEOPLE:
            auth.add_user(session=s, name=name, role=role, actor="test")
            headers[name] = {"Authorization": f"Bearer {auth.issue_token(session=s, name=name, actor='test')}"}  # fmt: skip
    with session_scope(get_engine(configured)) as s:
        for name, _, org, role in PEOPLE:
            if org:
                members.add_member(session=s, actor="admin", user=name, organisation=org, role=role)  # fmt: skip
        asset = assets.register_dataset(
            session=s, actor="olivia", dataset="rpart:solder", organisation=OWNER_ORG
        )
        policies.set_policy(
            session=s, actor="olivia", asset=asset["id"], purposes=[PURPOSE],
            organisations=[OWNER_ORG, CONSUMER], expires_on=dt.date.today() + dt.timedelta(30),
            min_group_size=5, max_rows=100, allowed_model_types=["poisson"],
        )  # fmt: skip
    return headers


def _count(configured: str, table: Any, *where: Any) -> int:
    from tiro.core.db import get_engine, session_scope

    with session_scope(get_engine(configured)) as s:
        return s.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def _audits(configured: str, action: str) -> int:
    from tiro.core.models import AuditEntry

    return _count(configured, AuditEntry, AuditEntry.action == action)


def _contracts(configured: str) -> int:
    from tiro.manufacturing.library.tables import LibraryContract

    return _count(configured, LibraryContract)


def _ask(client, who: dict, key: str | None, purpose: str = PURPOSE):  # type: ignore[no-untyped-def]
    headers = who | ({KEY: key} if key is not None else {})
    body = {"asset": "rpart:solder", "purpose": purpose, "organisation": CONSUMER}
    return client.post(f"{L}/contracts", headers=headers, json=body)


def test_a_retried_contract_request_is_answered_once(api_client, h, configured: str) -> None:
    first = _ask(api_client, h["ana"], "retry-1")
    again = _ask(api_client, h["ana"], "retry-1")
    assert first.status_code == again.status_code == 201, again.text
    assert again.json() == first.json() and first.json()["state"] == "requested"
    assert _contracts(configured) == 1
    assert _audits(configured, "manufacturing.library.contract.request") == 1
    # without the header a retry is a second request (the behaviour the key exists for)
    _ask(api_client, h["ana"], None)
    _ask(api_client, h["ana"], None)
    assert _contracts(configured) == 3


def test_the_same_key_with_another_body_is_a_409_naming_the_header(
    api_client, h, configured: str
) -> None:
    assert _ask(api_client, h["ana"], "k-1").status_code == 201
    r = _ask(api_client, h["ana"], "k-1", purpose="marketing")
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["field"] == KEY and "k-1" in body["detail"] and "new key" in body["detail"]
    assert _contracts(configured) == 1
    # the refusal is audited like every library refusal; nothing else happened
    assert _audits(configured, "manufacturing.library.contract.request.refused") == 1
    assert _audits(configured, "manufacturing.library.contract.request") == 1


def test_keys_are_per_user(api_client, h, configured: str) -> None:
    from tiro.manufacturing.library.tables import LibraryMember

    before = _count(configured, LibraryMember)
    a = api_client.post(f"{L}/members", headers=h["admin"] | {KEY: "same"},
                        json={"user": "otto", "organisation": CONSUMER, "role": "analyst"})  # fmt: skip
    b = api_client.post(f"{L}/members", headers=h["olivia"] | {KEY: "same"},
                        json={"user": "ana", "organisation": OWNER_ORG, "role": "analyst"})  # fmt: skip
    assert (a.status_code, b.status_code) == (201, 201), (a.text, b.text)
    assert a.json()["user"] == "otto" and b.json()["user"] == "ana"
    assert _count(configured, LibraryMember) == before + 2


def test_a_refused_request_does_not_use_up_its_key(api_client, h, configured: str) -> None:
    """otto's organisation is not in the policy: 403, nothing stored under the key, so the
    same key still works for the corrected request (by the right person)."""
    r = api_client.post(f"{L}/contracts", headers=h["otto"] | {KEY: "first-try"},
                        json={"asset": "rpart:solder", "purpose": PURPOSE})  # fmt: skip
    assert r.status_code in (403, 422), r.text
    assert _ask(api_client, h["otto"], "first-try").status_code in (403, 422)
    assert _contracts(configured) == 0
    assert _ask(api_client, h["ana"], "first-try").status_code == 201


def test_every_creating_route_replays(api_client, h, configured: str) -> None:
    from tiro.manufacturing.library.tables import (
        LibraryAsset,
        LibraryPolicy,
        LibraryRequest,
    )

    def twice(path: str, who: str, key: str, **kw: Any) -> dict:
        one = api_client.post(f"{L}{path}", headers=h[who] | {KEY: key}, **kw)
        two = api_client.post(f"{L}{path}", headers=h[who] | {KEY: key}, **kw)
        assert one.status_code == two.status_code == 201, (one.text, two.text)
        assert one.json() == two.json()
        return one.json()

    twice("/assets", "olivia", "a1", json={"dataset": "nlme:Wafer", "organisation": OWNER_ORG})
    upload = {"params": {"organisation": OWNER_ORG, "name": "lines"},
              "files": {"file": ("t.csv", b"line,defects\nL1,3\nL2,0\n", "text/csv")}}  # fmt: skip
    twice("/assets/upload", "olivia", "u1", **upload)
    assert _count(configured, LibraryAsset) == 3  # solder + the two, once each
    other = {"params": upload["params"], "files": {"file": ("t.csv", b"line\nL9\n", "text/csv")}}
    r = api_client.post(f"{L}/assets/upload", headers=h["olivia"] | {KEY: "u1"}, **other)
    assert r.status_code == 409 and r.json()["field"] == KEY
    expires = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    terms = {"purposes": [PURPOSE], "organisations": [OWNER_ORG, CONSUMER], "expires_on": expires}
    v = twice("/assets/rpart:solder/policy", "olivia", "p1", json=terms)
    assert v["version"] == 2 and _count(configured, LibraryPolicy) == 2
    contract = _ask(api_client, h["ana"], "c1").json()["id"]
    for who, step in (("olivia", "offer"), ("ana", "agree"), ("sam", "finalise")):
        assert (
            api_client.post(f"{L}/contracts/{contract}/{step}", headers=h[who]).status_code == 200
        )
    recipe = {"kind": "aggregate", "group_by": ["Mask"],
              "metrics": [{"column": "skips", "fn": "mean"}]}  # fmt: skip
    twice("/requests", "ana", "r1", json={"contract_id": contract, "recipe": recipe})
    assert _count(configured, LibraryRequest) == 1
    assert _audits(configured, "manufacturing.library.request.submit") == 1


@pytest.mark.parametrize("key", ["has space", "x" * 121, ""])
def test_a_malformed_key_is_refused_naming_the_header(api_client, h, key: str) -> None:
    r = _ask(api_client, h["ana"], key)
    assert r.status_code == 422 and KEY in r.text, r.text


def test_two_concurrent_requests_with_one_key_make_one_row(api_client, h, configured: str) -> None:
    barrier = threading.Barrier(2)
    answers: list[Any] = [None, None]

    def send(i: int) -> None:
        barrier.wait()
        answers[i] = _ask(api_client, h["ana"], "race")

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]
    assert answers[0].json() == answers[1].json()
    assert _contracts(configured) == 1
    assert _audits(configured, "manufacturing.library.contract.request") == 1
