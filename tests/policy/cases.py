"""What every YAML policy-case runner shares: reading a case file and its what-if overlay.

A case's ``overrides`` (leaf path -> value) replace the baseline from the case's date on,
as a scenario would; the overlay goes through the same validation as a request body's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tiro.core.parameters import ParameterTree, get_params

POLICY_DIR = Path(__file__).resolve().parent


def load_cases(domain: str, name: str) -> list[Any]:
    """The cases of ``tests/policy/<domain>/<name>`` as pytest params named after each case."""
    cases = yaml.safe_load((POLICY_DIR / domain / name).read_text(encoding="utf-8"))
    return [pytest.param(case, id=case["name"]) for case in cases]


def case_params(case: dict[str, Any], domain: str) -> ParameterTree:
    """The baseline tree, or the case's what-if overlay on it from the case's date."""
    params = get_params()
    if not case.get("overrides"):
        return params
    reference = {
        "title": f"policy case what-if: {case['name']}",
        "section": f"tests/policy/{domain}",
    }
    overlay = {
        "description": f"what-if for {case['name']}",
        "overrides": {
            path: {str(case["date"]): {"value": value, "reference": reference}}
            for path, value in case["overrides"].items()
        },
    }
    return params.with_overlay(overlay, name=f"what-if {case['name']}")
