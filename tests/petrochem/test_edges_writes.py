"""Petrochem writes fed bad dates, junk documents and two writers at once (T-BREAK review).

Before the fix a workflow step dated 2099-01-01 was recorded — after it no real step could be
dated (steps may not go back), so one typo froze the project — and a disbursement dated
2099-01-01 passed: its condition was judged on a day that has not come, so a cut merely
planned for later would already have released the money.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import httpx
import pytest
from sqlalchemy import select
from tests.servers import serve

from tiro.core.db import get_engine, session_scope
from tiro.core.errors import InvalidInput
from tiro.petrochem import reference, service, support
from tiro.petrochem.models import SupportItem

API = "/api/v1/petrochem"
FUTURE = dt.date.today() + dt.timedelta(days=1)


@pytest.fixture
def seeded(session):
    reference.load_reference(session=session)
    session.commit()
    return session


def _finance_item(session) -> SupportItem:
    return (
        session.execute(
            select(SupportItem).where(SupportItem.amount_krw.is_not(None)).order_by(SupportItem.id)
        )
        .scalars()
        .first()
    )


@pytest.mark.postgres
def test_a_step_dated_after_today_is_refused_and_the_project_still_moves(seeded, db_backend):
    with pytest.raises(InvalidInput) as err:
        service.advance(session=seeded, project_id="yeosu-3", to_state="final_submitted",
                        on=FUTURE, role="company", actor="t")  # fmt: skip
    assert err.value.field == "date"
    seeded.rollback()
    got = service.advance(session=seeded, project_id="yeosu-3", to_state="final_submitted",
                          on=dt.date.today(), role="company", actor="t")  # fmt: skip
    assert got["state"] == "final_submitted"


@pytest.mark.postgres
def test_a_disbursement_dated_after_today_is_refused(seeded, db_backend):
    item = _finance_item(seeded)
    with pytest.raises(InvalidInput) as err:
        support.disburse(session=seeded, item_id=item.id, amount_krw=1, on=FUTURE, actor="t")
    assert err.value.field == "date"
    assert item.disbursed_krw == 0


def test_api_and_cli_refuse_future_dates(api_client, auth_headers, cli, configured):
    with session_scope(get_engine(configured)) as s:
        reference.load_reference(session=s)
        item_id = _finance_item(s).id
    op = auth_headers("operator")
    day = "2099-01-01"
    r = api_client.post(f"{API}/projects/yeosu-3/advance",
                        json={"to": "final_submitted", "date": day, "role": "company"},
                        headers=op)  # fmt: skip
    assert r.status_code == 422 and r.json()["field"] == "date", r.text
    r = api_client.post(f"{API}/packages/items/{item_id}/disburse",
                        json={"amount_krw": 1, "date": day}, headers=op)  # fmt: skip
    assert r.status_code == 422 and r.json()["field"] == "date", r.text
    got = cli(["petrochem", "disburse", str(item_id), "--amount-krw", "1", "--date", day])
    assert got.exit_code == 2 and got.stderr.startswith("error: date:"), got.stderr


@pytest.mark.postgres
def test_parallel_disbursements_never_overdraw_an_item(configured, db_backend, auth_headers):
    """Ten operators disburse 30% of one item at once: exactly three fit (90%), seven are 409."""
    from tiro.api.app import create_app

    with session_scope(get_engine(configured)) as s:
        reference.load_reference(session=s)
        item = _finance_item(s)
        item_id, amount = item.id, item.amount_krw
    part = amount * 3 // 10
    heads = [auth_headers("operator") for _ in range(10)]
    barrier = threading.Barrier(10)
    codes: list[int] = [0] * 10
    with serve(create_app(configured)) as base:

        def pay(i: int) -> None:
            with httpx.Client(base_url=base, headers=heads[i], timeout=60) as client:
                barrier.wait()
                codes[i] = client.post(f"{API}/packages/items/{item_id}/disburse",
                                       json={"amount_krw": part}).status_code  # fmt: skip

        threads = [threading.Thread(target=pay, args=(i,)) for i in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    assert Counter(codes) == {201: 3, 409: 7}, codes
    with session_scope(get_engine(configured)) as s:
        assert s.get(SupportItem, item_id).disbursed_krw == 3 * part


@pytest.mark.postgres
@pytest.mark.parametrize("document", ["a\x00b", "x" * 501])
def test_a_document_with_nul_or_too_long_is_refused_on_both_backends(seeded, db_backend, document):
    """SQLite stored a NUL that PostgreSQL refuses; the CLI had no length limit at all."""
    with pytest.raises(InvalidInput) as err:
        service.advance(session=seeded, project_id="yeosu-3", to_state="final_submitted",
                        on=dt.date.today(), role="company", actor="t", documents=[document])  # fmt: skip
    assert err.value.field == "documents"


@pytest.mark.postgres
def test_two_ministries_deciding_one_project_at_once_make_one_decision(
    configured, db_backend, auth_headers
):
    """yeosu-2 is under deliberation: six operators approve or reject it at the same moment."""
    from tiro.api.app import create_app

    with session_scope(get_engine(configured)) as s:
        reference.load_reference(session=s)
    heads = [auth_headers("operator") for _ in range(6)]
    barrier = threading.Barrier(6)
    codes: list[int] = [0] * 6
    with serve(create_app(configured)) as base:

        def move(i: int) -> None:
            to = "approved" if i % 2 == 0 else "rejected"
            with httpx.Client(base_url=base, headers=heads[i], timeout=60) as client:
                barrier.wait()
                codes[i] = client.post(f"{API}/projects/yeosu-2/advance",
                                       json={"to": to, "role": "ministry"}).status_code  # fmt: skip

        threads = [threading.Thread(target=move, args=(i,)) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    assert Counter(codes) == {201: 1, 409: 5}, codes
    with session_scope(get_engine(configured)) as s:
        history = service.project_dict(s, service.get_project(s, "yeosu-2"))["history"]
    assert [h["state"] for h in history].count("under_deliberation") == 1
    assert sum(h["state"] in ("approved", "rejected") for h in history) == 1
