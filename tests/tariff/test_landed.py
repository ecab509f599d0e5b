"""Landed cost and KORUS claimed vs not (tiro.tariff.broker.landed) end to end: policy cases through
``quote``, the CLI (``--json`` valid, one-line errors) and the API (fields, 422s)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tiro.tariff.broker.landed import to_krw
from tiro.tariff.pricing.quote import quote

CASES = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "policy" / "tariff_broker" / "landed.yaml").read_text(
        encoding="utf-8"
    )
)
BROKER = ("mode", "producer", "landed", "krw", "krw_rate", "compare_korus")


def _at(answer: dict[str, Any], dotted: str) -> Any:
    for key in dotted.split("."):
        answer = answer[key]
    return answer


@pytest.mark.parametrize("case", CASES, ids=[c["name"][:50] for c in CASES])
def test_landed_policy_case(case: dict) -> None:
    inp = case["input"]
    q = quote(
        hts=inp["hts"],
        origin=inp.get("origin", "KR"),
        entry_date=case["date"],
        customs_value=inp["value"],
        korus=inp.get("korus"),
        broker={k: inp[k] for k in BROKER if k in inp},
    )
    for path, expected in case["output"].items():
        got = _at(q, path)
        if isinstance(expected, float):
            assert got == pytest.approx(expected, abs=0.005), (path, got)
        else:
            assert got == expected, (path, got)


def test_the_parts_add_up_in_both_currencies() -> None:
    q = quote(hts="7209.16.00.40", origin="KR", entry_date="2025-11-20", customs_value=123456.78,
              broker={"mode": "ocean", "producer": "KG Dongbu Steel", "krw": True})  # fmt: skip
    usd, krw, rate = q["landed"]["usd"], q["landed"]["krw"], q["landed"]["fx"]["krw_per_usd"]
    parts = ("customs_value", "duties", "mpf", "hmf", "adcvd_deposits")
    assert usd["total"] == pytest.approx(sum(usd[p] for p in parts), abs=0.01)
    assert usd["adcvd_deposits"] == round(0.0213 * 123456.78, 2)  # KG Dongbu 2.13%
    assert krw["total"] == to_krw(usd["total"], rate)
    assert abs(krw["total"] - sum(krw[p] for p in parts)) <= len(parts)  # rounding per part


def test_won_rounding_is_half_up_in_decimal() -> None:
    assert to_krw(305650.0, 1472.65) == 450115473  # 450,115,472.5
    assert to_krw(0.1, 3.0) == 0 and to_krw(None, 1400.0) is None
    assert to_krw(1.005, 1000.0) == 1005  # float 1.005 * 1000 = 1004.999...


def test_the_claim_changes_only_what_it_should() -> None:
    """A Korean line without a broker request still carries fees and orders, and no landed or
    comparison block appears unless asked for."""
    q = quote(hts="8703.23.01", origin="KR", entry_date="2025-11-20", customs_value=30000)
    assert q["fees"]["mpf"] == 0.0 and q["fees"]["needs"] == ["mode"]
    assert q["adcvd"]["orders"] == []
    assert "landed" not in q and "korus_comparison" not in q
    declined = quote(hts="8703.23.01", origin="KR", entry_date="2025-11-20", customs_value=30000,
                     korus=False)  # fmt: skip
    assert declined["fees"]["mpf"] == 103.92  # 0.3464% x 30,000: no claim, no exemption


def test_cli_json_and_refusals(cli) -> None:
    base = ["tariff", "quote", "--hts", "7209.16.00.40", "--value", "200000"]
    r = cli([*base, "--date", "2025-11-20", "--mode", "ocean", "--producer", "POSCO", "--landed",
             "--krw", "--compare-korus", "--json"])  # fmt: skip
    assert r.exit_code == 0, r.stderr
    q = json.loads(r.stdout)
    assert q["landed"]["usd"]["total"] == 305650.0
    assert q["korus_comparison"]["saving_from_claim"]["mpf"] == 651.5  # 1,732 capped at 651.50
    table = cli([*base, "--date", "2025-11-20", "--mode", "ocean", "--producer", "POSCO", "--krw"])
    assert table.exit_code == 0 and "450,115,473" in table.stdout
    for extra, field in (
        (["--date", "2025-11-20", "--mode", "boat"], "mode"),
        (["--date", "2026-12-01", "--krw"], "entry_date"),
        (["--date", "2025-11-20", "--krw-rate", "-1"], "krw_rate"),
        (["--date", "2025-11-20", "--producer", "  "], "producer"),
    ):
        bad = cli([*base, *extra])
        assert bad.exit_code != 0, extra
        assert field in bad.stderr and len(bad.stderr.strip().splitlines()) == 1, bad.stderr
    negative = cli(
        ["tariff", "quote", "--hts", "8703.23.01", "--date", "2025-11-20", "--value", "-5"]
    )
    assert negative.exit_code != 0 and "customs_value" in negative.stderr


def test_api_broker_fields(api_client) -> None:
    body = {"hts": "7209.16.00.40", "entry_date": "2025-11-20", "customs_value": 200000}
    r = api_client.post("/api/v1/tariff/quote",
                        json={**body, "mode": "ocean", "producer": "POSCO", "krw": True,
                              "compare_korus": True})  # fmt: skip
    assert r.status_code == 200, r.text
    q = r.json()
    assert q["landed"]["krw"]["total"] == 450115473
    assert q["adcvd"]["orders"][0]["case"] == "A-580-881"
    for extra, field in (
        ({"mode": "boat"}, "mode"),
        ({"krw": True, "entry_date": "2026-12-01"}, "entry_date"),
        ({"krw_rate": 0}, "krw_rate"),
        ({"producer": "   "}, "producer"),
        ({"compare_korus": True, "origin": "JP"}, "compare_korus"),
    ):
        bad = api_client.post("/api/v1/tariff/quote", json={**body, **extra})
        assert bad.status_code == 422, (extra, bad.text)
        assert field in bad.text, (extra, bad.text)
    own = api_client.post("/api/v1/tariff/quote",
                          json={**body, "entry_date": "2026-12-01", "krw_rate": 1500,
                                "producer": "POSCO", "mode": "air"})  # fmt: skip
    assert own.status_code == 200, own.text
    assert own.json()["landed"]["fx"]["source"] == "given by the caller"


@pytest.mark.browser
def test_page_shows_broker_costs(page):
    """The calculator's broker block: fees, the AD/CVD order with its deposit, the landed cost
    in won and the KORUS comparison, from the form's fields."""
    slow = 120_000
    page.goto("/tariff")
    page.wait_for_function(
        "document.querySelectorAll('#quote-lines tbody tr').length > 0", timeout=slow
    )
    assert "MPF" in page.locator("#broker-fees").inner_text()
    page.fill("input[name=hts]", "7209.16.00.40")
    page.fill("input[name=entry_date]", "2025-11-20")
    page.fill("input[name=customs_value]", "200000")
    page.click("#quote-broker summary")
    page.select_option("select[name=mode]", "ocean")
    page.fill("input[name=producer]", "POSCO")
    page.check("input[name=krw]")
    page.check("input[name=compare_korus]")
    page.click("#quote-form button[type=submit]")
    page.wait_for_function(
        "document.getElementById('broker-landed').innerText.includes('450,115,473')", timeout=slow
    )
    assert "A-580-881" in page.locator("#broker-adcvd").inner_text()
    assert "5,400" in page.locator("#broker-adcvd").inner_text()
    assert "651.5" in page.locator("#broker-korus").inner_text()
    assert page.js_errors == []
