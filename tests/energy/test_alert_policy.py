"""Runner for the alert policy cases in tests/policy/energy/alert_*.yaml.

Each case gives indicators on a date and the level (and, where listed, the exact rules) the
public criteria imply; ``overrides`` turn a case into a what-if through a scenario overlay.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from tiro.core.parameters import get_params
from tiro.energy.alerts.engine import evaluate

CASES_DIR = Path(__file__).resolve().parent.parent / "policy" / "energy"
CASES = [
    pytest.param(case, id=f"{file.stem}:{i}")
    for file in sorted(CASES_DIR.glob("alert_*.yaml"))
    for i, case in enumerate(yaml.safe_load(file.read_text(encoding="utf-8")))
]


def test_cases_were_found() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES)
def test_alert_policy_case(case: dict, tmp_path: Path) -> None:
    params = get_params()
    if case.get("overrides"):
        overlay = tmp_path / "what_if.yaml"
        overlay.write_text(
            yaml.safe_dump(
                {"description": case["name"], "overrides": case["overrides"]}, allow_unicode=True
            ),
            encoding="utf-8",
        )
        params = params.with_scenario(overlay)
    on = case["date"] if isinstance(case["date"], dt.date) else dt.date.fromisoformat(case["date"])
    result = evaluate(params, on=on, **case["input"])
    assert result["level"] == case["output"]["level"], case["name"]
    if "rules" in case["output"]:
        assert [r["id"] for r in result["rules"]] == case["output"]["rules"], case["name"]
