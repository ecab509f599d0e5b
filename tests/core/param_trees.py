"""Small parameter trees written to a temp directory, for core tests."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from tiro.core.parameter_files import PARAMS_ROOT

RECIPROCAL = """
description: US reciprocal tariff on Korean goods (IEEPA, flat add-on)
unit: /1
values:
  2025-08-07:
    value: 0.15
    reference: {title: "Executive Order of 2025-07-31, Annex I", href: "https://www.federalregister.gov/d/2025-14896"}
  2025-11-14:
    value: null
    reference: {title: "90 FR 55964", href: "https://www.govinfo.gov/app/details/FR-2025-11-14"}
"""

BY_CHAPTER = """
description: Illustrative rate by HS chapter
unit: /1
breakdown: {key: hs_chapter, keys: ["84", "85", "87"]}
values:
  2025-01-01:
    value: {"84": 0.10, "85": 0.20, "87": 0.25}
    reference: {title: "test", section: "1"}
  2025-06-01:
    value: {"84": 0.30, "87": 0.15}
    reference: {title: "test", section: "1"}
"""

NO_DEAL = """
description: reciprocal stays at 25%
overrides:
  tariff.us.reciprocal.kr:
    2025-08-07: {value: 0.25, reference: {title: "announced", href: "https://example.org/a"}}
"""


def write(root: Path, rel: str, text: str) -> Path:
    """Write one file of a tree (dedented)."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def make_tree(root: Path) -> Path:
    """A clean tree: a scalar leaf with a repeal, a breakdown leaf, a scenario."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(PARAMS_ROOT / "_units.yaml", root / "_units.yaml")
    write(root, "tariff/us/reciprocal/kr.yaml", RECIPROCAL)
    write(root, "test/by_chapter.yaml", BY_CHAPTER)
    write(root, "scenarios/no_deal.yaml", NO_DEAL)
    return root
