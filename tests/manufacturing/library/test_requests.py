"""Compute requests: mock run, decision, execution in the sandbox, release or withhold.

The released figures are checked against an independent computation over the real rows.
Every denial changes nothing and leaves a ``….refused`` audit entry; the chain verifies
after each test (the ``lib`` fixture).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import defaultdict

import polars as pl
import pytest
from sqlalchemy import select

from tiro.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from tiro.core.models import AuditEntry
from tiro.manufacturing.library import assets, contracts, policies, requests, views
from tiro.manufacturing.library.tables import LibraryRequest
from tiro.manufacturing.quality import datasets

from .library_factories import (
    BY_MASK,
    CONSUMER,
    PURPOSE,
    actions,
    approved,
    count,
    finalised,
    solder,
)

R = "manufacturing.library.request."
pytestmark = pytest.mark.postgres  # the state machine runs on both databases


def _mask_means() -> dict[str, tuple[int, float]]:
    """Rows and mean skips per mask, by hand over the 900 real boards."""
    sums: dict[str, list[int]] = defaultdict(list)
    for row in datasets.load("rpart:solder").iter_rows(named=True):
        sums[row["Mask"]].append(row["skips"])
    return {mask: (len(v), sum(v) / len(v)) for mask, v in sums.items()}


def test_the_life_cycle_releases_the_mask_means_of_the_real_boards(lib) -> None:
    contract_id = finalised(lib, solder(lib, k=5))
    submitted = requests.submit(session=lib, actor="ana", contract_id=contract_id, recipe=BY_MASK)
    assert submitted["state"] == "pending" and submitted["mock_run"]["status"] == "ok"
    assert submitted["mock_run"]["columns"] == ["Mask", "n", "skips_mean"]
    requests.approve(session=lib, actor="sam", request_id=submitted["id"], note="k=5 by mask")
    done = requests.execute(session=lib, actor="ana", request_id=submitted["id"])
    assert done["state"] == "released" and done["result_rows"] == 5
    assert done["cpu_seconds"] > 0 and done["wall_seconds"] > 0
    result = views.request_result(session=lib, actor="ana", request_id=submitted["id"])["result"]
    got = {r["Mask"]: (r["n"], r["skips_mean"]) for r in result["rows"]}
    expected = _mask_means()
    assert set(got) == set(expected) == {"A1.5", "A3", "A6", "B3", "B6"}
    for mask, (n, mean) in expected.items():
        assert got[mask][0] == n and got[mask][1] == pytest.approx(mean, rel=1e-12)
    assert got["A6"] == (90, pytest.approx(1208 / 90))  # 13.4222…: the worst mask
    assert [a.removeprefix(R) for a in actions(lib, R + "%")] == [
        "submit", "approve", "execute", "release"]  # fmt: skip
    # the audit log records that a result left and its digest, never the result itself
    after = lib.execute(
        select(AuditEntry.after).where(AuditEntry.action == R + "release")
    ).scalar_one()
    assert after["result_rows"] == 5 and len(after["result_sha256"]) == 64
    assert "skips_mean" not in json.dumps(after)


def test_results_go_to_the_parties_not_to_auditors_or_others(lib) -> None:
    request_id = approved(lib, finalised(lib, solder(lib)))
    requests.execute(session=lib, actor="sam", request_id=request_id)
    for who in ("ana", "sam", "olivia", "admin"):
        assert views.request_result(session=lib, actor=who, request_id=request_id)["result"]
    for who in ("aud", "otto"):
        with pytest.raises(Forbidden):
            views.request_result(session=lib, actor=who, request_id=request_id)
    assert views.show_request(session=lib, actor="aud", request_id=request_id)["state"] == (
        "released"
    )
    assert "result" not in views.show_request(session=lib, actor="aud", request_id=request_id)
    with pytest.raises(Forbidden):
        views.show_request(session=lib, actor="otto", request_id=request_id)
    assert actions(lib)[-1] == "manufacturing.library.request.read.refused"


@pytest.mark.parametrize(
    ("recipe", "k", "rule"),
    [
        # mask A6 (90 boards) by pad type and panel: 10 × 3 = 30 groups of 3 boards < k = 5
        ({"kind": "aggregate", "group_by": ["PadType", "Panel"],
          "filters": [{"column": "Mask", "op": "==", "value": "A6"}],
          "metrics": [{"column": "skips", "fn": "sum"}]}, 5, "min_group_size"),
        # user code copying three real boards
        ({"kind": "user_code", "source": "def analyse(frame):\n    return frame.head(3)\n"},
         5, "raw_row_copy"),
        # 3 × 2 × 5 × 10 = 300 groups of 3 boards: k = 1 passes, the row limit of 100 does not
        ({"kind": "aggregate", "group_by": ["Opening", "Solder", "Mask", "PadType"],
          "metrics": [{"column": "skips", "fn": "mean"}]}, 1, "max_rows"),
    ],
)  # fmt: skip
def test_outputs_the_policy_forbids_are_withheld_with_the_rule(lib, recipe, k, rule) -> None:
    request_id = approved(lib, finalised(lib, solder(lib, k=k)), recipe)
    done = requests.execute(session=lib, actor="sam", request_id=request_id)
    assert done["state"] == "withheld" and f"{rule}:" in done["withheld_reason"]
    others = {"min_group_size", "max_rows", "raw_row_copy"} - {rule}
    if rule != "raw_row_copy":  # copied rows also lack n: two rules for one output
        assert not any(f"{o}:" in done["withheld_reason"] for o in others)
    row = lib.get(LibraryRequest, request_id)
    lib.refresh(row)
    assert row.result is None and row.result_rows is None
    with pytest.raises(Conflict, match="withheld"):
        views.request_result(session=lib, actor="ana", request_id=request_id)
    assert actions(lib, R + "%")[-1] == R + "withhold"


def test_a_policy_expired_between_approval_and_execution_is_refused_at_execute(lib) -> None:
    request_id = approved(lib, finalised(lib, solder(lib, days=3)))
    later = dt.date.today() + dt.timedelta(days=4)
    with pytest.raises(Conflict) as info:
        requests.execute(session=lib, actor="sam", request_id=request_id, today=later)
    assert info.value.field == "expires_on" and "expired" in info.value.message
    refused = lib.execute(
        select(AuditEntry).where(AuditEntry.action == R + "execute.refused")
    ).scalar_one()
    assert refused.actor == "sam" and refused.after["field"] == "expires_on"
    assert views.show_request(session=lib, actor="sam", request_id=request_id)["state"] == (
        "approved"
    )
    # on a day the policy still holds, the same request runs
    assert requests.execute(session=lib, actor="sam", request_id=request_id)["state"] == (
        "released"
    )


def test_a_purpose_withdrawn_after_approval_is_refused_at_execute(lib) -> None:
    request_id = approved(lib, finalised(lib, solder(lib)))
    policies.set_policy(session=lib, actor="olivia", asset="rpart:solder",
                        purposes=["training_only"], organisations=[CONSUMER],
                        expires_on=dt.date.today() + dt.timedelta(days=30))  # fmt: skip
    with pytest.raises(Forbidden) as info:
        requests.execute(session=lib, actor="ana", request_id=request_id)
    assert info.value.field == "purpose" and "current policy" in info.value.message


def test_a_terminated_contract_stops_an_approved_request(lib) -> None:
    contract_id = finalised(lib, solder(lib))
    request_id = approved(lib, contract_id)
    contracts.terminate(session=lib, actor="olivia", contract_id=contract_id, reason="audit")
    with pytest.raises(Conflict) as info:
        requests.execute(session=lib, actor="sam", request_id=request_id)
    assert info.value.field == "contract" and "terminated" in info.value.message


def test_a_tampered_asset_file_refuses_to_run(lib) -> None:
    request_id = approved(lib, finalised(lib, solder(lib)))
    path = assets.asset_path(assets.get_asset(lib, "rpart:solder"))
    os.chmod(path, 0o640)
    pl.read_parquet(path).with_columns(pl.col("skips") * 0).write_parquet(path)
    with pytest.raises(Conflict) as info:
        requests.execute(session=lib, actor="sam", request_id=request_id)
    assert info.value.field == "content_hash"
    assert views.show_request(session=lib, actor="sam", request_id=request_id)["state"] == (
        "approved"
    )


def test_code_that_opens_a_socket_is_stopped_on_the_mock_and_never_queued(lib) -> None:
    contract_id = finalised(lib, solder(lib))
    source = ("import socket\n"
              "def analyse(frame):\n"
              "    socket.create_connection(('127.0.0.1', 9))\n"
              "    return {'n': frame.height}\n")  # fmt: skip
    with pytest.raises(InvalidInput) as info:
        requests.submit(session=lib, actor="ana", contract_id=contract_id,
                        recipe={"kind": "user_code", "source": source})  # fmt: skip
    assert info.value.field == "recipe" and "was stopped on the mock twin" in info.value.message
    assert "socket" in info.value.message  # the guard names what it refused (import or connect)
    assert count(lib, LibraryRequest) == 0
    assert actions(lib)[-1] == R + "submit.refused"


@pytest.mark.parametrize(
    ("recipe", "error", "field"),
    [
        ({"kind": "train", "model": {"kind": "linear", "target": "skips", "features": ["Panel"]}},
         Forbidden, "model_type"),
        ({"kind": "aggregate", "group_by": ["Line"]}, InvalidInput, "group_by[0]"),
        ({"kind": "sql", "query": "select *"}, InvalidInput, "kind"),
        ({"kind": "user_code", "source": "def analyse(frame) return 1"}, InvalidInput, "source"),
    ],
)  # fmt: skip
def test_requests_outside_the_contract_are_refused_by_field(lib, recipe, error, field) -> None:
    contract_id = finalised(lib, solder(lib, models=("poisson",)))
    with pytest.raises(error) as info:
        requests.submit(session=lib, actor="ana", contract_id=contract_id, recipe=recipe)
    assert info.value.field == field
    assert count(lib, LibraryRequest) == 0


def test_decisions_need_the_provider_a_second_pair_of_eyes_and_a_reason(lib) -> None:
    from tiro.core import auth
    from tiro.manufacturing.library import members

    contract_id = finalised(lib, solder(lib))
    r = requests.submit(session=lib, actor="ana", contract_id=contract_id, recipe=BY_MASK)
    for who in ("ana", "otto", "aud"):
        with pytest.raises(Forbidden):
            requests.approve(session=lib, actor=who, request_id=r["id"])
    with pytest.raises(InvalidInput) as info:
        requests.reject(session=lib, actor="sam", request_id=r["id"], note="  ")
    assert info.value.field == "note"
    with pytest.raises(Conflict):  # executing before approval
        requests.execute(session=lib, actor="sam", request_id=r["id"])
    rejected = requests.reject(session=lib, actor="sam", request_id=r["id"], note="too broad")
    assert (rejected["state"], rejected["decision_note"]) == ("rejected", "too broad")
    with pytest.raises(Conflict):
        requests.approve(session=lib, actor="sam", request_id=r["id"])
    with pytest.raises(NotFound) as info:
        requests.approve(session=lib, actor="sam", request_id=999)
    assert info.value.field == "request"
    # one person holding both roles may not approve their own request
    auth.add_user(session=lib, name="both", role="operator", actor="test")
    lib.commit()
    for org, role in (("hanbit-pcb", "steward"), (CONSUMER, "analyst")):
        members.add_member(session=lib, actor="admin", user="both", organisation=org, role=role)
    own = requests.submit(session=lib, actor="both", contract_id=contract_id, recipe=BY_MASK)
    with pytest.raises(Forbidden, match="may not also approve"):
        requests.approve(session=lib, actor="both", request_id=own["id"])
    assert PURPOSE  # the contract's purpose is the factories' default


def test_a_request_left_running_by_a_dead_execution_is_recovered_as_withheld(lib) -> None:
    from sqlalchemy import update

    request_id = approved(lib, finalised(lib, solder(lib)))
    # what a process killed mid-run leaves behind: the claim committed, no outcome
    lib.execute(update(LibraryRequest).where(LibraryRequest.id == request_id)
                .values(state="running", executed_by="sam"))  # fmt: skip
    lib.commit()
    with pytest.raises(Conflict, match="may still be running"):
        requests.recover(session=lib, actor="sam", request_id=request_id)
    with pytest.raises(Forbidden):
        requests.recover(session=lib, actor="ana", request_id=request_id)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    done = requests.recover(session=lib, actor="sam", request_id=request_id, now=later)
    assert done["state"] == "withheld" and done["withheld_reason"].startswith("interrupted")
    with pytest.raises(Conflict):  # a second recovery, or an execution, finds it withheld
        requests.execute(session=lib, actor="sam", request_id=request_id)
    assert actions(lib, R + "%")[-2:] == [R + "recover", R + "execute.refused"]
