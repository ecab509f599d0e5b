"""A response is sent only after its transaction committed.

FastAPI ends yield-dependencies after the response by default; ``get_session`` must be
declared with ``scope="function"`` everywhere, or a client may be told of a change that a
failing commit then loses. (tests/energy/test_swap_concurrency.py shows the effect on a
live server; this test keeps every route honest.)
"""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "tiro"


def test_every_session_dependency_commits_before_the_response():
    offenders = []
    for path in SRC.rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in re.finditer(r"Depends\(\s*get_session([^)]*)\)", line):
                if 'scope="function"' not in match.group(1):
                    offenders.append(f"{path.relative_to(SRC)}:{number}")
    assert offenders == []
