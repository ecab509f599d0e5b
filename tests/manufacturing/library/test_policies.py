"""Usage policies: versions, defaults from the dated parameters, and the one use check."""

from __future__ import annotations

import datetime as dt

import pytest

from tiro.core.errors import Conflict, Forbidden, TiroError
from tiro.manufacturing.library import policies
from tiro.manufacturing.library.tables import LibraryPolicy
from tiro.manufacturing.library.terms import PolicyTerms

from .library_factories import CONSUMER, OWNER_ORG, PURPOSE, actions, count, solder

DAY = dt.date(2026, 12, 5)
TERMS = PolicyTerms(purposes=("qa",), organisations=("a", "b"), expires_on=DAY,
                    min_group_size=5, max_rows=10)  # fmt: skip


@pytest.mark.parametrize(
    ("organisation", "purpose", "on", "error", "field"),
    [
        ("a", "qa", DAY, None, None),  # on the expiry day: still valid
        ("b", "qa", DAY - dt.timedelta(days=400), None, None),
        ("c", "qa", DAY, Forbidden, "organisation"),
        ("a", "ads", DAY, Forbidden, "purpose"),
        ("a", "qa", DAY + dt.timedelta(days=1), Conflict, "expires_on"),  # the day after
    ],
)
def test_check_use_worked_cases(organisation, purpose, on, error, field) -> None:
    if error is None:
        policies.check_use(TERMS, organisation=organisation, purpose=purpose, on=on, where="t")
        return
    with pytest.raises(error) as info:
        policies.check_use(TERMS, organisation=organisation, purpose=purpose, on=on, where="t")
    assert info.value.field == field


def test_setting_a_policy_adds_a_version_and_show_gives_the_history(lib) -> None:
    solder(lib, k=5)
    second = policies.set_policy(session=lib, actor="olivia", asset="rpart:solder",
                                 purposes=[PURPOSE, "training"], organisations=[CONSUMER],
                                 expires_on=dt.date.today() + dt.timedelta(days=5))  # fmt: skip
    assert second["version"] == 2
    # k and max rows default to the dated parameters (ACRO's k = 10; 1,000 rows)
    assert (second["terms"]["min_group_size"], second["terms"]["max_rows"]) == (10, 1000)
    shown = policies.show_policy(session=lib, actor="ana", asset="rpart:solder")
    assert shown["version"] == 2 and [p["version"] for p in shown["history"]] == [2, 1]
    assert shown["history"][1]["terms"]["min_group_size"] == 5
    assert actions(lib, "%.policy.set") == ["manufacturing.library.policy.set"] * 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"expires_on": dt.date(2020, 1, 1)}, "expires_on"),
        ({"purposes": []}, "purposes"),
        ({"organisations": [""]}, "organisations"),
        ({"min_group_size": 0}, "min_group_size"),
        ({"max_rows": 10**9}, "max_rows"),
        ({"allowed_model_types": ["deep_learning"]}, "policy.allowed_model_types"),
        ({"asset": "nope"}, "asset"),
    ],
)
def test_bad_policies_are_refused_by_field_and_audited(lib, change, field) -> None:
    solder(lib)
    args = {"asset": "rpart:solder", "purposes": [PURPOSE], "organisations": [CONSUMER],
            "expires_on": dt.date.today(), **change}  # fmt: skip
    with pytest.raises(TiroError) as info:
        policies.set_policy(session=lib, actor="olivia", **args)
    assert info.value.field == field
    assert count(lib, LibraryPolicy) == 1
    assert actions(lib)[-1] == "manufacturing.library.policy.set.refused"


def test_only_the_owner_sets_a_policy(lib) -> None:
    solder(lib)
    for actor in ("sam", "ana", "aud", "admin"):
        with pytest.raises(Forbidden):
            policies.set_policy(session=lib, actor=actor, asset="rpart:solder",
                                purposes=[PURPOSE], organisations=[OWNER_ORG],
                                expires_on=dt.date.today())  # fmt: skip
    assert count(lib, LibraryPolicy) == 1


def test_public_categories_redraw_the_mock_with_those_real_labels_only(lib) -> None:
    from tiro.manufacturing.library import views
    from tiro.manufacturing.quality import datasets

    solder(lib)
    real = datasets.load("rpart:solder")
    before = views.show_asset(session=lib, actor="ana", asset="rpart:solder")["mock"]["rows"]
    assert not {r["Mask"] for r in before} & set(real["Mask"])  # synthetic labels
    policies.set_policy(session=lib, actor="olivia", asset="rpart:solder", purposes=[PURPOSE],
                        organisations=[CONSUMER], expires_on=dt.date.today(),
                        public_categories=["Mask"])  # fmt: skip
    after = views.show_asset(session=lib, actor="ana", asset="rpart:solder")["mock"]["rows"]
    assert {r["Mask"] for r in after} <= set(real["Mask"])  # the owner declared Mask public
    assert not {r["Opening"] for r in after} & set(real["Opening"])  # the rest stays synthetic
    rows = {tuple(r.values()) for r in real.to_dicts()}
    assert not any(tuple(r.values()) in rows for r in after)
    with pytest.raises(TiroError) as info:
        policies.set_policy(session=lib, actor="olivia", asset="rpart:solder",
                            purposes=[PURPOSE], organisations=[CONSUMER],
                            expires_on=dt.date.today(), public_categories=["Line"])  # fmt: skip
    assert info.value.field == "public_categories"
    assert count(lib, LibraryPolicy) == 2
