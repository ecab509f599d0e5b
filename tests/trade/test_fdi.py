"""FDI figures against the report (USD 36.05bn in 2025 etc.) and the cash-grant rules."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.trade.fdi import breakdown, load_fdi, validate
from tiro.trade.fdi_incentives import cash_grant

PARAMS = get_params()
FDI = load_fdi()


def _by_category(result: dict) -> dict[str, dict]:
    return {r["category"]: r for r in result["rows"]}


def test_2025_notifications_are_a_record_up_4_3_percent() -> None:
    row = breakdown(FDI, period="2025")["rows"][0]
    # 36.05 / 34.57 = 1.04281 -> +4.3% as the report states; above every year back to 2020.
    assert row["value_usd_bn"] == 36.05
    assert row["growth"] == pytest.approx(0.04281, abs=1e-5)
    assert row["growth_mismatch"] is False
    assert row["record"] is True and row["periods_on_file"] == 5


def test_2025_greenfield_share_and_growth() -> None:
    rows = _by_category(breakdown(FDI, period="2025", dimension="type"))
    # Greenfield 28.59 / 36.05 = 79.31% of the total; 28.59 / 26.70 = +7.08% (report: +7.1%).
    assert rows["greenfield"]["share"] == pytest.approx(0.7931, abs=1e-4)
    assert rows["greenfield"]["growth"] == pytest.approx(0.0708, abs=1e-4)
    assert rows["greenfield"]["record"] is True
    # M&A 7.46 / 7.86 = -5.09% (release: -5.1%); type shares add to one.
    assert rows["M&A"]["growth"] == pytest.approx(-0.0509, abs=1e-4)
    assert rows["greenfield"]["share"] + rows["M&A"]["share"] == pytest.approx(1.0)


def test_half_year_and_sector_figures_imply_their_bases() -> None:
    h1 = breakdown(FDI, period="2025-H1")["rows"][0]
    # 13.1 at -14.6% implies H1 2024 = 13.1 / 0.854 = 15.34.
    assert h1["implied_prior"] == pytest.approx(15.3396, abs=1e-4)
    sectors = _by_category(breakdown(FDI, period="2025", dimension="sector"))
    # Chemicals 5.81 at +99.5% -> 2024 base 2.912; metals 2.74 at +272.2% -> 0.736.
    assert sectors["chemicals"]["implied_prior"] == pytest.approx(2.9123, abs=1e-4)
    assert sectors["metals"]["implied_prior"] == pytest.approx(0.7362, abs=1e-4)
    # Manufacturing + services = 34.82 of 36.05 (the rest is other sectors).
    assert sectors["manufacturing"]["share"] + sectors["services"]["share"] == pytest.approx(
        34.82 / 36.05
    )


def test_arrivals_growth_flags_the_revised_2024_vintage() -> None:
    row = breakdown(FDI, period="2025", basis="arrived")["rows"][0]
    # 17.95 / 14.77 = +21.5% against the release's +16.3%: the 2024 base was revised to
    # 17.95 / 1.163 = 15.43.
    assert row["growth"] == pytest.approx(0.2153, abs=1e-4)
    assert row["growth_mismatch"] is True
    assert row["implied_prior"] == pytest.approx(15.434, abs=1e-3)


def test_bad_fdi_rows_name_the_field() -> None:
    good = FDI.head(2)
    with pytest.raises(InvalidInput) as err:
        validate(good.with_columns(period=pl.lit("2025-H3")).cast({"value_usd_bn": pl.Utf8}))
    assert err.value.field == "period"
    with pytest.raises(InvalidInput) as err:
        validate(good.with_columns(value_usd_bn=pl.lit("-1")))
    assert err.value.field == "value_usd_bn"
    with pytest.raises(InvalidInput) as err:
        validate(pl.concat([good, good]))
    assert "duplicated" in err.value.message
    with pytest.raises(InvalidInput) as err:
        breakdown(FDI, period="2025", dimension="colour")
    assert err.value.field == "dimension"


def test_cash_grant_worked_example() -> None:
    projects = pl.DataFrame(
        {
            "investment_usd": [100e6, 100e6, 40e6],
            "category": ["national_strategic", "high_tech_materials", "general"],
            "region": ["non_capital", "capital", "non_capital"],
        }
    )
    out = cash_grant(projects, on=dt.date(2026, 6, 1), params=PARAMS)
    # Strategic tech outside Seoul: 50% ceiling -> USD 50m, national 80% = 40m, local 10m.
    # High-tech/materials in the capital region: 40% -> 40m, national 40% = 16m.
    # General outside Seoul: 30% of 40m = 12m, national 70% = 8.4m.
    assert out["grant_ceiling_usd"].to_list() == pytest.approx([50e6, 40e6, 12e6])
    assert out["national_usd"].to_list() == pytest.approx([40e6, 16e6, 8.4e6])
    assert out["local_usd"].to_list() == pytest.approx([10e6, 24e6, 3.6e6])


def test_planned_non_capital_uplift_as_a_scenario(tmp_path) -> None:
    overlay = tmp_path / "regional_fdi.yaml"
    overlay.write_text(
        "description: 2026-01-28 direction, +10 pp outside the capital region\n"
        "overrides:\n"
        "  trade.fdi.cash_grant.non_capital_uplift:\n"
        "    2026-07-01:\n"
        "      value: 0.10\n"
        "      reference: {title: 'report section 4 ③ plan', section: '4'}\n"
    )
    projects = pl.DataFrame(
        {
            "investment_usd": [10e6, 10e6],
            "category": ["general"] * 2,
            "region": ["capital", "non_capital"],
        }
    )
    what_if = PARAMS.with_scenario(overlay)
    before = cash_grant(projects, on=dt.date(2026, 6, 30), params=what_if)
    after = cash_grant(projects, on=dt.date(2026, 7, 1), params=what_if)
    assert before["ceiling_rate"].to_list() == pytest.approx([0.3, 0.3])
    assert after["ceiling_rate"].to_list() == pytest.approx([0.3, 0.4])


def test_cash_grant_rejects_unknown_region_and_category() -> None:
    bad = pl.DataFrame({"investment_usd": [1.0], "category": ["general"], "region": ["seoul"]})
    with pytest.raises(InvalidInput) as err:
        cash_grant(bad, on=dt.date(2026, 1, 1), params=PARAMS)
    assert err.value.field == "region"
    bad = bad.with_columns(region=pl.lit("capital"), category=pl.lit("bakery"))
    with pytest.raises(InvalidInput) as err:
        cash_grant(bad, on=dt.date(2026, 1, 1), params=PARAMS)
    assert err.value.field == "category"


@settings(max_examples=30, deadline=None)
@given(
    st.floats(0, 1e10, allow_nan=False),
    st.sampled_from(["national_strategic", "rnd_centre", "high_tech_materials", "general"]),
    st.sampled_from(["capital", "non_capital"]),
)
def test_national_and_local_shares_add_up(amount: float, category: str, region: str) -> None:
    projects = pl.DataFrame(
        {"investment_usd": [amount], "category": [category], "region": [region]}
    )
    out = cash_grant(projects, on=dt.date(2026, 1, 1), params=PARAMS).row(0, named=True)
    assert out["national_usd"] + out["local_usd"] == pytest.approx(out["grant_ceiling_usd"])
    assert 0 <= out["grant_ceiling_usd"] <= amount * 0.5 + 1e-6
