"""Export-support programmes: the report's amounts come out of parameters and dated records."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.trade.programmes import load_commitments, status, totals

PARAMS = get_params()
REPORT_DAY = dt.date(2026, 5, 27)


def _row(frame: pl.DataFrame, pid: str) -> dict:
    return frame.filter(pl.col("id") == pid).row(0, named=True)


def test_report_amounts_on_report_day() -> None:
    table = status(REPORT_DAY, params=PARAMS)
    assert _row(table, "tariff_damage_fund")["budget"] == 13600  # 13.6조원
    assert _row(table, "mideast_emergency_voucher")["budget"] == 33.5  # 335억원
    assert _row(table, "mideast_trade_insurance")["budget"] == 6900  # 6.9조원
    assert _row(table, "sme_trade_finance_2030")["budget"] == 187000  # 187조원
    guarantee = _row(table, "supply_chain_guarantee")
    # Six sector tranches ('25.8 autos 1 ... '26.5 ships 2) and 2.4조원 raised = fully used.
    assert guarantee["steps"] == 6 and guarantee["last_step"] == "조선 2차"
    assert guarantee["utilisation"] == pytest.approx(1.0)
    assert (
        _row(table, "k_export_star")["budget"] == 500
        and _row(table, "k_export_star")["unit"] == "count"
    )


def test_money_totals_by_kind_leave_out_firm_counts() -> None:
    sums = totals(status(REPORT_DAY, params=PARAMS))
    # finance: 13,600 + 15,000 + 187,000 + 10,000 = 225,600 bn KRW; the firm targets
    # (3,000 + 2,000 + 500) are counts and must not be added to won.
    assert sums == {"finance": 225600.0, "guarantee": 2400.0, "insurance": 6900.0, "voucher": 33.5}


def test_status_before_a_package_shows_it_unannounced() -> None:
    table = status(dt.date(2025, 10, 1), params=PARAMS)
    guarantee = _row(table, "supply_chain_guarantee")
    assert guarantee["steps"] == 2  # autos tranches 1 and 2 only
    assert guarantee["committed_krw_bn"] is None  # the 2.4조원 total is stated later
    voucher = _row(table, "mideast_emergency_voucher")
    assert voucher["budget"] is None and voucher["announced_by_date"] is False


def test_every_commitment_names_a_known_programme_and_a_source() -> None:
    known = set(status(REPORT_DAY, params=PARAMS)["id"])
    steps = load_commitments()
    assert set(steps["programme_id"]) <= known
    assert steps["source"].null_count() == 0


def test_date_before_any_programme_is_rejected() -> None:
    with pytest.raises(InvalidInput) as err:
        status(dt.date(2024, 1, 1), params=PARAMS)
    assert err.value.field == "date"
