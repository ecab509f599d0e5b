"""Indicators (report facts) and the national balance with a China scenario (items 5, 7)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.petrochem import indicators


def test_report_indicators():
    d = indicators.indicators()
    assert d["export_share_of_output"]["value"] == 0.56
    assert d["commodity_share"]["value"] == 0.70
    assert d["exports_to_china_usd_bn"]["value"] == 17.7
    assert d["china_export_share"]["value"] == 0.369
    assert d["china_pe_self_sufficiency"]["series"] == [
        {"year": 2018, "value": 0.64}, {"year": 2024, "value": 0.84}
    ]  # fmt: skip
    assert [p["value"] for p in d["china_pp_self_sufficiency"]["series"]] == [0.93, 1.28]


def test_balance_by_hand():
    b = indicators.balance(10000, get_params(), dt.date(2026, 1, 1), 0.92)
    assert b["production_kt"] == pytest.approx(8000)  # 80% utilisation
    assert b["exports_kt"] == pytest.approx(8000 * 0.56)
    assert b["exports_to_china_kt"] == pytest.approx(8000 * 0.56 * 0.369)
    # China imports 16% of its PE at 84%; at 92% it imports 8%: half of exports to China go
    s = b["scenario"]
    assert s["china_import_factor"] == pytest.approx(0.5)
    assert s["exports_lost_kt"] == pytest.approx(8000 * 0.56 * 0.369 * 0.5)
    assert s["utilisation_if_unsold"] == pytest.approx((8000 - 826.56) / 10000)
    assert (
        indicators.balance(1, get_params(), dt.date(2026, 1, 1), 1.28)["scenario"][
            "china_import_factor"
        ]
        == 0
    )  # above 100%: China imports nothing
    with pytest.raises(InvalidInput):
        indicators.balance(1, get_params(), dt.date(2026, 1, 1), 3)


def test_cli_and_api(cli, api_client):
    r = cli(["petrochem", "indicators", "--date", "2025-01-01", "--json", "--china-pe-ss", "0.92"])
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["balance"]["capacity_kt"] == 12935
    r = api_client.get("/api/v1/petrochem/balance", params={"china_pe_self_sufficiency": 5})
    assert r.status_code == 422
    assert api_client.get("/api/v1/petrochem/indicators").json()["commodity_share"]["value"] == 0.7
