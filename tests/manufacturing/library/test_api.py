"""The data library over HTTP: the life cycle, uploads, role refusals as audited problem+json."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable

import polars as pl
import pytest
from sqlalchemy import select
from tests.manufacturing.library.library_factories import (
    BY_MASK,
    CONSUMER,
    OWNER_ORG,
    PEOPLE,
    PURPOSE,
)

L = "/api/v1/manufacturing/library"
PROBLEM = "application/problem+json"


@pytest.fixture
def people(configured: str) -> dict[str, dict[str, str]]:
    """The six library people of library_factories, each with a bearer header."""
    from tiro.core import auth
    from tiro.core.db import get_engine, session_scope
    from tiro.manufacturing.library import members

    headers = {}
    with session_scope(get_engine(configured)) as s:
        for name, role, _, _ in PEOPLE:
            auth.add_user(session=s, name=name, role=role, actor="test")
            token = auth.issue_token(session=s, name=name, actor="test")
            headers[name] = {"Authorization": f"Bearer {token}"}
    with session_scope(get_engine(configured)) as s:
        for name, _, org, role in PEOPLE:
            if org:
                members.add_member(session=s, actor="admin", user=name, organisation=org,
                                   role=role)  # fmt: skip
    return headers


def _ok(response, status: int = 200) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    return response.json()


def _refused(response, status: int, field: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["field"] == field, body
    return body


def _audited(configured: str, action: str) -> list:
    from tiro.core.db import get_engine, session_scope
    from tiro.core.models import AuditEntry

    with session_scope(get_engine(configured)) as s:
        return list(
            s.execute(select(AuditEntry.after).where(AuditEntry.action == action)).scalars()
        )


def test_the_life_cycle_over_http_releases_mean_skips_by_mask(
    api_client, people, configured: str
) -> None:
    from tiro.manufacturing.quality import datasets

    h = people
    asset = _ok(api_client.post(f"{L}/assets", headers=h["olivia"],
                                json={"dataset": "rpart:solder", "organisation": OWNER_ORG}), 201)  # fmt: skip
    assert asset["rows"] == 900 and asset["organisation"] == OWNER_ORG
    assert "rows" in asset["mock"] and asset["mock"]["label"].startswith("synthetic")
    expires = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    policy = _ok(api_client.post(f"{L}/assets/rpart:solder/policy", headers=h["olivia"], json={
        "purposes": [PURPOSE], "organisations": [OWNER_ORG, CONSUMER], "expires_on": expires,
        "min_group_size": 10, "max_rows": 100}), 201)  # fmt: skip
    assert policy["version"] == 1 and policy["terms"]["min_group_size"] == 10
    c = _ok(api_client.post(f"{L}/contracts", headers=h["ana"],
                            json={"asset": "rpart:solder", "purpose": PURPOSE}), 201)  # fmt: skip
    assert c["state"] == "requested" and c["organisation"] == CONSUMER
    for step, who, state in (("offer", "olivia", "offered"), ("agree", "ana", "agreed"),
                             ("finalise", "sam", "finalised")):  # fmt: skip
        assert (
            _ok(api_client.post(f"{L}/contracts/{c['id']}/{step}", headers=h[who]))["state"]
            == state
        )
    # a step out of order is a 409, not a second step
    _refused(
        api_client.post(f"{L}/contracts/{c['id']}/offer", headers=h["olivia"]), 409, "contract"
    )
    r = _ok(api_client.post(f"{L}/requests", headers=h["ana"],
                            json={"contract_id": c["id"], "recipe": BY_MASK}), 201)  # fmt: skip
    assert r["state"] == "pending" and r["mock_run"]["status"] == "ok"
    # the submitter may not approve; an analyst may not approve at all
    _refused(api_client.post(f"{L}/requests/{r['id']}/approve", headers=h["ana"]), 403, "actor")
    assert _ok(api_client.post(f"{L}/requests/{r['id']}/approve", headers=h["sam"],
                               json={"note": "aggregate only"}))["state"] == "approved"  # fmt: skip
    done = _ok(api_client.post(f"{L}/requests/{r['id']}/execute", headers=h["ana"]))
    assert done["state"] == "released", done
    result = _ok(api_client.get(f"{L}/requests/{r['id']}/result", headers=h["ana"]))["result"]
    got = {row["Mask"]: (row["n"], row["skips_mean"]) for row in result["rows"]}
    solder = datasets.load("rpart:solder")
    for mask, group in solder.group_by("Mask"):
        skips = group["skips"].to_list()
        assert got[mask[0]][0] == len(skips)
        assert got[mask[0]][1] == pytest.approx(sum(skips) / len(skips))
    assert got["A6"] == (90, pytest.approx(13.4222, abs=1e-4))
    # the auditor reads metadata and the audit log, never the result
    _refused(api_client.get(f"{L}/requests/{r['id']}/result", headers=h["aud"]), 403, "actor")
    assert _ok(api_client.get(f"{L}/requests/{r['id']}", headers=h["aud"]))["state"] == "released"
    log = _ok(api_client.get(f"{L}/audit?limit=1000", headers=h["aud"]))
    actions = {e["action"] for e in log}
    assert {"manufacturing.library.request.release", "manufacturing.library.result.read.refused",
            "manufacturing.library.contract.offer.refused"} <= actions  # fmt: skip


def test_refusals_are_problems_and_audited(api_client, people, configured: str) -> None:
    h = people
    r = api_client.get(f"{L}/assets")
    assert r.status_code == 401 and r.headers["content-type"].startswith(PROBLEM)
    # an analyst may not register for an organisation they do not own
    _refused(api_client.post(f"{L}/assets", headers=h["ana"],
                             json={"dataset": "rpart:solder", "organisation": CONSUMER}), 403, "actor")  # fmt: skip
    assert (
        _audited(configured, "manufacturing.library.asset.register.refused")[-1]["asked"][
            "organisation"
        ]
        == CONSUMER
    )
    _refused(api_client.get(f"{L}/assets/nothing-here", headers=h["ana"]), 404, "asset")
    _refused(api_client.get(f"{L}/audit", headers=h["ana"]), 403, "actor")
    _refused(api_client.post(f"{L}/assets", headers=h["olivia"],
                             json={"dataset": "rpart:nope", "organisation": OWNER_ORG}), 422, "dataset")  # fmt: skip
    _refused(api_client.post(f"{L}/requests/1/execute", headers=h["ana"]), 404, "request")
    # a user who is not a library member sees nothing of the catalogue
    from tiro.core import auth
    from tiro.core.db import get_engine, session_scope

    with session_scope(get_engine(configured)) as s:
        auth.add_user(session=s, name="stranger", role="analyst", actor="test")
        token = auth.issue_token(session=s, name="stranger", actor="test")
    _refused(api_client.get(f"{L}/assets", headers={"Authorization": f"Bearer {token}"}),
             403, "actor")  # fmt: skip


def _upload(client, who: dict, name: str, filename: str, data: bytes):  # type: ignore[no-untyped-def]
    return client.post(f"{L}/assets/upload", headers=who,
                       params={"organisation": OWNER_ORG, "name": name},
                       files={"file": (filename, data, "application/octet-stream")})  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_an_uploaded_table_is_stored_with_its_hash(api_client, people, fmt: str) -> None:
    from tiro.core.settings import get_settings

    frame = pl.DataFrame({"line": ["L1", "L2", "L3"], "defects": [3, 0, 7], "temp": [81.5, 79.25, 90.0]})  # fmt: skip
    buffer = io.BytesIO()
    frame.write_csv(buffer) if fmt == "csv" else frame.write_parquet(buffer)
    asset = _ok(_upload(api_client, people["olivia"], f"line-{fmt}", f"mine.{fmt}",
                        buffer.getvalue()), 201)  # fmt: skip
    stored = get_settings().data_dir / "library" / "assets" / f"{asset['id']}.parquet"
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == asset["content_hash"]
    assert pl.read_parquet(stored).equals(frame)
    assert asset["rows"] == 3 and asset["source"] == f"upload mine.{fmt}"
    assert [c["name"] for c in asset["schema"]] == ["line", "defects", "temp"]


@pytest.mark.parametrize(
    ("filename", "data", "why"),
    [
        ("rows.txt", b"a,b\n1,2\n", "only .csv and .parquet"),
        ("rows.csv", b"a,a\n1,2\n", "the column 'a' is repeated"),
        ("rows.csv", b"x\n1\n1e400\n", "x: line 3: infinity is not an accepted value"),
        ("rows.csv", b"x\n1\nNaN\n", "x: line 3: NaN is not an accepted value"),
        ("rows.parquet", b"not parquet", "could not be read"),
        ("rows.csv", b"", "could not be read"),
    ],
)
def test_a_bad_upload_names_the_file(api_client, people, filename, data, why) -> None:
    body = _refused(_upload(api_client, people["olivia"], "bad", filename, data), 422, "file")
    assert why in body["detail"]


def test_an_upload_never_names_a_server_path(api_client, people) -> None:
    """The route has no path parameter: a path in the name or the filename stays a name."""
    r = _upload(api_client, people["olivia"], "../../etc", "passwd.csv", b"a\n1\n")
    assert r.status_code == 422  # the name pattern refuses it
    ok = _ok(_upload(api_client, people["olivia"], "etc", "../../passwd.csv", b"a\n1\n"), 201)
    assert ok["source"] == "upload passwd.csv"
    assert ok["storage"] == f"library/assets/{ok['id']}.parquet"


def test_members_route_adds_and_lists(api_client, people) -> None:
    h: Callable = people.__getitem__
    _refused(api_client.post(f"{L}/members", headers=h("ana"),
                             json={"user": "ana", "organisation": OWNER_ORG, "role": "owner"}), 403, "actor")  # fmt: skip
    added = _ok(api_client.post(f"{L}/members", headers=h("olivia"),
                                json={"user": "otto", "organisation": OWNER_ORG, "role": "analyst"}), 201)  # fmt: skip
    assert added == {"user": "otto", "organisation": OWNER_ORG, "role": "analyst", "added_by": "olivia"}  # fmt: skip
    listed = _ok(api_client.get(f"{L}/members?organisation={OWNER_ORG}", headers=h("ana")))
    assert {(m["user"], m["role"]) for m in listed} == {
        ("olivia", "owner"), ("sam", "steward"), ("aud", "auditor"), ("otto", "analyst")}  # fmt: skip


def test_recover_withholds_a_run_that_died_and_refuses_otherwise(
    api_client, people, configured: str
) -> None:
    """A request left running long past the sandbox's wall-clock limit is withheld by the
    steward; an analyst may not, and a request that is not running is a 409."""
    from sqlalchemy import update

    from tiro.core.db import get_engine, session_scope
    from tiro.manufacturing.library.tables import LibraryRequest

    h = people
    _ok(api_client.post(f"{L}/assets", headers=h["olivia"],
                        json={"dataset": "rpart:solder", "organisation": OWNER_ORG}), 201)  # fmt: skip
    expires = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    _ok(api_client.post(f"{L}/assets/rpart:solder/policy", headers=h["olivia"], json={
        "purposes": [PURPOSE], "organisations": [OWNER_ORG, CONSUMER], "expires_on": expires}), 201)  # fmt: skip
    c = _ok(api_client.post(f"{L}/contracts", headers=h["ana"],
                            json={"asset": "rpart:solder", "purpose": PURPOSE}), 201)  # fmt: skip
    for step, who in (("offer", "olivia"), ("agree", "ana"), ("finalise", "sam")):
        _ok(api_client.post(f"{L}/contracts/{c['id']}/{step}", headers=h[who]))
    r = _ok(api_client.post(f"{L}/requests", headers=h["ana"],
                            json={"contract_id": c["id"], "recipe": BY_MASK}), 201)  # fmt: skip
    _refused(api_client.post(f"{L}/requests/{r['id']}/recover", headers=h["sam"]), 409, "request")
    _ok(api_client.post(f"{L}/requests/{r['id']}/approve", headers=h["sam"]))
    # an execution that claimed the request a day ago and never came back
    with session_scope(get_engine(configured)) as s:
        s.execute(update(LibraryRequest).where(LibraryRequest.id == r["id"]).values(
            state="running", executed_by="ana", data_hash="0" * 64,
            updated_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1)))  # fmt: skip
    _refused(api_client.post(f"{L}/requests/{r['id']}/recover", headers=h["ana"]), 403, "actor")
    done = _ok(api_client.post(f"{L}/requests/{r['id']}/recover", headers=h["sam"]))
    assert done["state"] == "withheld" and "interrupted" in done["withheld_reason"]
    _refused(api_client.get(f"{L}/requests/{r['id']}/result", headers=h["ana"]), 409, "request")
