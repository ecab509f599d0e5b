"""Runner for the hand-computed policy cases in tests/policy/tariff/*.yaml (STYLE.md §7)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tiro.tariff.pricing.quote import quote

CASE_DIR = Path(__file__).resolve().parents[1] / "policy" / "tariff"
CASES = [
    pytest.param(case, id=f"{file.stem}:{case['name'][:60]}")
    for file in sorted(CASE_DIR.glob("*.yaml"))
    for case in yaml.safe_load(file.read_text(encoding="utf-8"))
]


def test_cases_are_present() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize("case", CASES)
def test_policy_case(case: dict) -> None:
    inp = case["input"]
    q = quote(
        hts=inp["hts"],
        origin=inp.get("origin", "KR"),
        entry_date=case["date"],
        customs_value=inp["value"],
        korus=inp.get("korus"),
        metal_share=inp.get("metal_share"),
        quantity=inp.get("quantity"),
        unit=inp.get("unit"),
        facts=inp.get("facts"),
        scenario=case.get("scenario"),
    )
    margin = case.get("margin", 0.01)
    expected = case["output"]
    for key in ("total_duty", "additional_duty", "total_rate", "base_rate"):
        if key in expected:
            if expected[key] is None:
                assert q[key] is None, (key, q)
            else:
                assert q[key] == pytest.approx(expected[key], abs=margin), (key, q)
    if "headings" in expected:
        charged = [ln for ln in q["lines"] if ln["heading"] and not ln["declared"]]
        assert sorted(ln["heading"] for ln in charged) == sorted(expected["headings"]), q["explain"]
    if "declared" in expected:
        declared = [ln["heading"] for ln in q["lines"] if ln["declared"]]
        assert declared == expected["declared"], q["explain"]
    if "needs" in expected:
        assert q["needs"] == expected["needs"]
    if "explain_contains" in expected:  # why a total is what it is (a 0 under a quota says so)
        assert any(expected["explain_contains"] in e for e in q["explain"]), q["explain"]
