"""The lint refuses what would make a policy value untrustworthy."""

from __future__ import annotations

import pytest
from tests.core.param_trees import make_tree, write

from tiro.core.errors import ParameterFileError
from tiro.core.parameter_files import PARAMS_ROOT, lint_tree
from tiro.core.parameters import load_tree

BAD = {
    "missing reference": (
        "description: d\nunit: /1\nvalues:\n  2025-01-01:\n    value: 1\n",
        "has no reference",
    ),
    "unknown unit": (
        "description: d\nunit: furlongs\nvalues:\n  2025-01-01:\n"
        "    value: 1\n    reference: {title: t, section: '1'}\n",
        "unknown unit 'furlongs'",
    ),
    "duplicate keys": (
        "description: d\nunit: /1\nvalues:\n  2025-01-01:\n    value: 1\n"
        "    reference: {title: t, section: '1'}\n  2025-01-01:\n    value: 2\n"
        "    reference: {title: t, section: '1'}\n",
        "duplicate key",
    ),
    "unsorted dates": (
        "description: d\nunit: /1\nvalues:\n  2025-06-01:\n    value: 1\n"
        "    reference: {title: t, section: '1'}\n  2025-01-01:\n    value: 2\n"
        "    reference: {title: t, section: '1'}\n",
        "out of order",
    ),
    "breakdown key outside set": (
        "description: d\nunit: /1\nbreakdown: {key: hs, keys: ['84']}\nvalues:\n"
        "  2025-01-01:\n    value: {'84': 1, '99': 2}\n    reference: {title: t, section: '1'}\n",
        "outside the declared set: 99",
    ),
    "reference without href or section": (
        "description: d\nunit: /1\nvalues:\n  2025-01-01:\n    value: 1\n"
        "    reference: {title: t}\n",
        "needs an href or a report section",
    ),
}


def test_clean_tree_has_no_findings(tmp_path):
    assert lint_tree(make_tree(tmp_path / "p")) == []


@pytest.mark.parametrize("case", sorted(BAD))
def test_lint_and_loader_reject(tmp_path, case):
    root = make_tree(tmp_path / "p")
    text, expected = BAD[case]
    bad = write(root, "test/bad.yaml", text)
    findings = lint_tree(root)
    assert any(str(bad) in f and expected in f for f in findings), findings
    with pytest.raises(ParameterFileError, match=expected):
        load_tree(root)


def test_scenario_overriding_unknown_parameter_is_a_finding(tmp_path):
    root = make_tree(tmp_path / "p")
    write(
        root,
        "scenarios/typo.yaml",
        "description: d\noverrides:\n  tariff.us.reciprocal.kor:\n"
        "    2025-01-01: {value: 1, reference: {title: t, section: '1'}}\n",
    )
    assert any("does not exist" in f for f in lint_tree(root))


def test_shipped_parameter_tree_is_clean():
    assert lint_tree(PARAMS_ROOT) == []
