"""Unknown codes in ``tiro trade`` options are named, not mistaken for a missing period.

Found by T-BREAK feeding every option a code that does not exist: ``--basis NOPE`` and
``--vintage bogus`` answered "no X flows for KOR in 2025" (exit 3, blaming ``period``),
``--flow Z`` answered "no Z flows" or "no positive values to measure", and
``tiro trade flows --flow Z`` printed an empty list with exit 0 — each as if the data were
missing, when the option was wrong. The HTTP routes already refuse these through their enums.
"""

from __future__ import annotations

import pytest

W = (
    "period,reporter,partner,product,flow,value\n"
    "2025,KOR,CHN,8542,X,100\n2025,KOR,USA,8542,X,50\n2025,KOR,USA,8703,X,30\n"
)


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["shares", "--period", "2025", "--basis", "NOPE"], "--basis"),
        (["shares", "--period", "2025", "--vintage", "bogus"], "--vintage"),
        (["shares", "--period", "2025", "--flow", "Z"], "--flow"),
        (["share-change", "--before", "2024", "--after", "2025", "--basis", "nope"], "--basis"),
        (["contributions", "--before", "2024", "--after", "2025", "--vintage", "x"], "--vintage"),
        (["indicators", "--period", "2025", "--basis", "NOPE"], "--basis"),
        (["flows", "--flow", "Z"], "--flow"),
    ],
)
def test_unknown_codes_name_the_option(cli, args, option):
    r = cli(["trade", *args, "--json"])
    assert r.exit_code == 2, (r.exit_code, r.stdout, r.stderr)
    assert r.stderr.startswith(f"error: {option}:"), r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_concentration_refuses_an_unknown_flow(cli, tmp_path):
    path = tmp_path / "w.csv"
    path.write_text(W)
    base = ["trade", "concentration", "--input", str(path), "--period", "2025", "--reporter",
            "KOR", "--json"]  # fmt: skip
    r = cli([*base, "--flow", "Z"])
    assert r.exit_code == 2 and r.stderr.startswith("error: --flow:"), r.stderr
    r = cli(base)  # 150/30 over products: HHI = (150/180)^2 + (30/180)^2 = 0.72222
    assert r.exit_code == 0, r.stderr
    assert r.stdout.count('"hhi": 0.7222') == 1


def test_known_codes_still_answer(cli):
    r = cli(["trade", "shares", "--period", "2025", "--basis", "MOTIE", "--json"])
    assert r.exit_code in (0, 3), r.stderr  # a known basis is never refused as an option
    assert not r.stderr.startswith("error: --basis")
