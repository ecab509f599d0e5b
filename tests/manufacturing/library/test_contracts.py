"""Access contracts: requested → offered → agreed → finalised | terminated, guarded and audited.

Every refusal (a step out of order, the wrong party, a purpose or organisation the policy does
not permit, an expired policy) changes nothing and leaves a ``….refused`` audit entry.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tiro.core.errors import Conflict, Forbidden, NotFound
from tiro.manufacturing.library import contracts, policies, views
from tiro.manufacturing.library.tables import LibraryContract

from .library_factories import (
    CONSUMER,
    OWNER_ORG,
    PURPOSE,
    RIVAL,
    actions,
    count,
    finalised,
    solder,
)

P = "manufacturing.library.contract."
pytestmark = pytest.mark.postgres  # the state machine runs on both databases


def test_negotiation_walks_every_state_with_its_party(lib) -> None:
    asset_id = solder(lib)
    c = contracts.request_contract(session=lib, actor="ana", asset="rpart:solder", purpose=PURPOSE)
    assert (c["state"], c["organisation"], c["terms"]) == ("requested", CONSUMER, None)
    c = contracts.offer(session=lib, actor="olivia", contract_id=c["id"])
    assert (c["state"], c["policy_version"], c["offered_by"]) == ("offered", 1, "olivia")
    assert c["terms"]["min_group_size"] == 5 and c["terms"]["organisations"] == [
        OWNER_ORG,
        CONSUMER,
    ]
    c = contracts.agree(session=lib, actor="ana", contract_id=c["id"])
    c = contracts.finalise(session=lib, actor="sam", contract_id=c["id"])
    assert (c["state"], c["agreed_by"], c["finalised_by"]) == ("finalised", "ana", "sam")
    assert c["asset_id"] == asset_id
    assert [a.removeprefix(P) for a in actions(lib, P + "%")] == [
        "request", "offer", "agree", "finalise"]  # fmt: skip


def test_the_offer_freezes_the_policy_a_later_version_does_not_change_it(lib) -> None:
    contract_id = finalised(lib, solder(lib, k=5))
    policies.set_policy(session=lib, actor="olivia", asset="rpart:solder", purposes=[PURPOSE],
                        organisations=[CONSUMER], expires_on=dt.date.today(),
                        min_group_size=50, max_rows=10)  # fmt: skip
    shown = views.show_contract(session=lib, actor="ana", contract_id=contract_id)
    assert shown["policy_version"] == 1 and shown["terms"]["min_group_size"] == 5


@pytest.mark.parametrize(
    ("step", "actor", "state_needed"),
    [("agree", "ana", "offered"), ("finalise", "sam", "agreed")],
)
def test_a_step_out_of_order_is_refused_audited_and_changes_nothing(
    lib, step, actor, state_needed
) -> None:
    solder(lib)
    c = contracts.request_contract(session=lib, actor="ana", asset="rpart:solder", purpose=PURPOSE)
    with pytest.raises(Conflict) as info:
        getattr(contracts, step)(session=lib, actor=actor, contract_id=c["id"])
    assert info.value.field == "contract" and f"{step} needs {state_needed}" in info.value.message
    assert (
        views.show_contract(session=lib, actor="ana", contract_id=c["id"])["state"] == "requested"
    )
    assert actions(lib, P + "%")[-1] == f"{P}{step}.refused"


def test_purpose_and_organisation_outside_the_policy_are_refused_at_request(lib) -> None:
    solder(lib)
    with pytest.raises(Forbidden) as info:
        contracts.request_contract(session=lib, actor="ana", asset="rpart:solder",
                                   purpose="marketing")  # fmt: skip
    assert info.value.field == "purpose" and "'marketing' is not a permitted purpose" in str(
        info.value
    )
    with pytest.raises(Forbidden) as info:
        contracts.request_contract(session=lib, actor="otto", asset="rpart:solder",
                                   purpose=PURPOSE)  # fmt: skip
    assert info.value.field == "organisation" and RIVAL in info.value.message
    assert count(lib, LibraryContract) == 0
    assert actions(lib, P + "%") == [f"{P}request.refused", f"{P}request.refused"]


def test_expiry_is_checked_at_request_offer_and_finalisation(lib) -> None:
    solder(lib, days=10)
    late = dt.date.today() + dt.timedelta(days=11)
    with pytest.raises(Conflict) as info:
        contracts.request_contract(session=lib, actor="ana", asset="rpart:solder",
                                   purpose=PURPOSE, today=late)  # fmt: skip
    assert info.value.field == "expires_on"
    c = contracts.request_contract(session=lib, actor="ana", asset="rpart:solder", purpose=PURPOSE)
    with pytest.raises(Conflict, match="expired"):
        contracts.offer(session=lib, actor="olivia", contract_id=c["id"], today=late)
    on_the_day = dt.date.today() + dt.timedelta(days=10)  # the expiry day itself is still valid
    contracts.offer(session=lib, actor="olivia", contract_id=c["id"], today=on_the_day)
    contracts.agree(session=lib, actor="ana", contract_id=c["id"])
    with pytest.raises(Conflict, match="expired"):
        contracts.finalise(session=lib, actor="sam", contract_id=c["id"], today=late)
    assert views.show_contract(session=lib, actor="sam", contract_id=c["id"])["state"] == "agreed"


def test_only_the_right_party_may_take_each_step(lib) -> None:
    solder(lib)
    c = contracts.request_contract(session=lib, actor="ana", asset="rpart:solder", purpose=PURPOSE)
    for actor in ("ana", "sam", "aud", "admin"):  # only an owner offers
        with pytest.raises(Forbidden):
            contracts.offer(session=lib, actor=actor, contract_id=c["id"])
    contracts.offer(session=lib, actor="olivia", contract_id=c["id"])
    with pytest.raises(Forbidden):  # the provider cannot agree for the consumer
        contracts.agree(session=lib, actor="olivia", contract_id=c["id"])
    contracts.agree(session=lib, actor="ana", contract_id=c["id"])
    with pytest.raises(Forbidden):  # the consumer cannot finalise its own contract
        contracts.finalise(session=lib, actor="ana", contract_id=c["id"])
    assert contracts.finalise(session=lib, actor="admin", contract_id=c["id"])["state"] == (
        "finalised"
    )
    with pytest.raises(Forbidden):  # not a tiro user at all
        contracts.terminate(session=lib, actor="mallory", contract_id=c["id"], reason="x")
    with pytest.raises(Forbidden):  # the reserved seed name is not accepted from outside
        contracts.terminate(session=lib, actor="tiro-seed", contract_id=c["id"], reason="x")


def test_either_side_terminates_and_nothing_follows(lib) -> None:
    contract_id = finalised(lib, solder(lib))
    c = contracts.terminate(session=lib, actor="ana", contract_id=contract_id, reason="done")
    assert (c["state"], c["terminated_by"], c["terminated_reason"]) == ("terminated", "ana", "done")
    with pytest.raises(Conflict):
        contracts.terminate(session=lib, actor="olivia", contract_id=contract_id, reason="again")
    with pytest.raises(NotFound) as info:
        contracts.offer(session=lib, actor="olivia", contract_id=999)
    assert info.value.field == "contract"


def test_views_show_contracts_to_their_parties_only(lib) -> None:
    contract_id = finalised(lib, solder(lib))
    assert [c["id"] for c in views.list_contracts(session=lib, actor="ana")] == [contract_id]
    assert [c["id"] for c in views.list_contracts(session=lib, actor="aud")] == [contract_id]
    assert views.list_contracts(session=lib, actor="otto") == []
    with pytest.raises(Forbidden):
        views.show_contract(session=lib, actor="otto", contract_id=contract_id)
    assert actions(lib)[-1] == "manufacturing.library.contract.read.refused"
