"""Every shell example of the README and docs/ runs as printed (issue 10, item 1).

``tests/core/test_docs.py`` keeps the generated reference current; this runs the prose's own
examples, a page at a time, and fails naming the page, line and command that did not work.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.docs.examples import HARNESS, ROOT, Example, examples, pages, problem, run_page

PAGES = [p for p in pages() if examples(p)]


def test_the_extractor_reads_bash_and_console_blocks(tmp_path: Path):
    page = tmp_path / "page.md"
    page.write_text(
        "```bash\n# a comment\ntiro a --x 1 \\\n  --y 2   # note\n\ntiro b\n```\n"
        '```console\n$ tiro c --json\n{"k": 1}\n$ tiro d\nerror: d: bad\n```\n'
        "```text\ntiro e PATH\n```\n",
        encoding="utf-8",
    )
    got = [(e.line, e.command, e.output, e.expects_error) for e in examples_of(page, tmp_path)]
    assert got == [
        (3, "tiro a --x 1 \\\n  --y 2   # note", "", False),
        (6, "tiro b", "", False),
        (9, "tiro c --json", '{"k": 1}', False),
        (11, "tiro d", "error: d: bad", True),
    ]


def examples_of(page: Path, root: Path) -> list[Example]:
    import tests.docs.examples as mod

    saved = mod.ROOT
    mod.ROOT = root
    try:
        return examples(page)
    finally:
        mod.ROOT = saved


def test_the_readme_tour_starts_by_activating_the_environment():
    """The README says once, before the tour, the line that puts ``tiro`` on the PATH."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    activate = readme.index("source .venv/bin/activate")
    assert activate < readme.index("## A tour")
    first_tiro = min(e.line for e in examples(ROOT / "README.md") if e.head.startswith("tiro"))
    assert readme[:activate].count("\n") + 1 < first_tiro


def test_only_the_harness_lines_are_left_out():
    left_out = {e.head for p in PAGES for e in examples(p) if e.head in HARNESS}
    assert left_out <= HARNESS
    assert "tiro serve" in left_out  # the README tour shows it; the harness starts it


def test_the_readme_says_which_interfaces_of_each_domain_have_landed():
    """The domain table names `tiro X`, `/api/v1/X/` and the page `/X` exactly when each exists,
    and says "not landed yet" only while one of them is missing."""
    import importlib.util

    from tiro.domains import DOMAINS

    rows = {
        line.split("|")[2].strip().strip("`"): line.split("|")[4]
        for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| ") and line.count("|") >= 5
    }
    src = ROOT / "src" / "tiro"
    for domain in DOMAINS:
        assert domain in rows, f"README's domain table lacks {domain}"
        said = rows[domain]
        has = {
            f"`tiro {domain}`": importlib.util.find_spec(f"tiro.cli.{domain}") is not None,
            f"`/api/v1/{domain}/`": any(
                p.stem == domain or p.stem.startswith(f"{domain}_")
                for p in (src / "api" / "routers").glob("*.py")
            ),
            f"`/{domain}`": (src / "web" / "templates" / f"{domain}.html").exists(),
        }
        for mention, exists in has.items():
            assert (mention in said) == exists, f"README row of {domain}: {mention} exists={exists}"
        assert ("not landed yet" in said) == (not all(has.values())), f"README row of {domain}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_example_runs_as_printed(page: Path, tmp_path: Path):
    ran = run_page(page, tmp_path)
    assert ran, f"{page} has no runnable example"
    problems = [msg for r in ran if (msg := problem(r))]
    assert problems == []
