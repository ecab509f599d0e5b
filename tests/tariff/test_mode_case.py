"""``--mode`` on the CLI and ``mode`` in the API take the same words in any letter case.

Before, ``tiro tariff quote --mode OCEAN`` charged the harbor maintenance fee while the API
refused ``"mode": "OCEAN"`` with a 422. Both now accept any case (the engine's vocabulary,
``broker.fees.check_mode``) and answer ``ocean``; an unknown word is refused by both naming
``mode``. The HMF expected here is 0.125% of the 10,000 USD value = 12.50 (19 CFR 24.24).
"""

from __future__ import annotations

import json

import pytest

from tiro.tariff.broker.fees import MODES
from tiro.tariff.schemas import TRANSPORT_MODES

LINE = {"hts": "8703.80.00", "origin": "KR", "entry_date": "2026-03-01", "customs_value": 10000}
ARGS = ["tariff", "quote", "--hts", "8703.80.00", "--origin", "KR", "--date", "2026-03-01",
        "--value", "10000", "--landed", "--json"]  # fmt: skip


def test_the_schema_and_the_engine_share_one_vocabulary() -> None:
    assert TRANSPORT_MODES == MODES


@pytest.mark.parametrize("mode", ["ocean", "OCEAN", "Ocean", " ocean "])
def test_any_case_is_ocean_on_both(api_client, cli, mode: str) -> None:
    r = api_client.post("/api/v1/tariff/quote", json=LINE | {"mode": mode, "landed": True})
    assert r.status_code == 200, r.text
    api_fees = r.json()["fees"]
    out = cli([*ARGS, "--mode", mode])
    assert out.exit_code == 0, out.stderr
    cli_fees = json.loads(out.stdout)["fees"]
    assert api_fees["mode"] == cli_fees["mode"] == "ocean"
    assert api_fees["hmf"] == cli_fees["hmf"] == pytest.approx(12.5)


@pytest.mark.parametrize("mode", ["boat", "OCEANS", "océan", "ocean air"])
def test_an_unknown_mode_is_refused_by_both_naming_mode(api_client, cli, mode: str) -> None:
    r = api_client.post("/api/v1/tariff/quote", json=LINE | {"mode": mode})
    assert r.status_code == 422 and r.json()["field"] == "mode", r.text
    out = cli([*ARGS, "--mode", mode])
    lines = out.stderr.strip().splitlines()
    assert out.exit_code != 0 and len(lines) == 1 and lines[0].startswith("error: mode:")


def test_the_api_schema_states_it(api_client) -> None:
    spec = api_client.get("/openapi.json").json()
    mode = spec["components"]["schemas"]["QuoteRequest"]["properties"]["mode"]
    text = json.dumps(mode)
    assert "any letter case" in text and "[Oo][Cc][Ee][Aa][Nn]" in text
