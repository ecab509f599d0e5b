"""Fixtures shared by the tariff tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def footwear_export(tmp_path: Path) -> Path:
    """A one-row USITC HTS JSON export for a code the shipped subset lacks: a made-up test-only
    line (General 20%, KORUS Free) in the export's shape, for pricing with an imported table."""
    row = {
        "htsno": "6402.99.90.00",
        "indent": "2",
        "description": "Test-only footwear line",
        "general": "20%",
        "special": "Free (KR)",
        "other": "35%",
        "units": ["prs."],
        "footnotes": [],
    }
    export = tmp_path / "export.json"
    export.write_text(json.dumps([row]), encoding="utf-8")
    return export
