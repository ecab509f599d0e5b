"""HTS rate text: worked examples from real HTS lines, and round-trip/AVE properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiro.core.errors import InvalidInput
from tiro.tariff.schedule.rate_text import (
    KNOWN_UNITS,
    DutyTerm,
    ParsedRate,
    format_rate,
    parse_rate,
    parse_special,
)


def test_free_has_no_terms() -> None:
    rate = parse_rate("Free")
    assert rate.kind == "free"
    assert rate.ad_valorem == 0
    assert rate.ave(quantity=None, customs_value=100.0) == 0.0


def test_ad_valorem_car_rate() -> None:
    # HTS 8703.23.01 General "2.5%" -> 0.025 of customs value.
    rate = parse_rate("2.5%")
    assert rate.kind == "ad_valorem"
    assert rate.ad_valorem == Decimal("0.025")
    # 30,000 USD car: duty 750 USD -> AVE 0.025.
    assert rate.ave(quantity=None, customs_value=30_000.0) == pytest.approx(0.025)


def test_specific_cents_per_kg() -> None:
    rate = parse_rate("1.7¢/kg")
    assert rate.kind == "specific"
    assert rate.specific_amount == Decimal("0.017")
    assert rate.specific_unit == "kg"
    # 2,000 kg worth 1,000 USD: 0.017 * 2000 = 34 USD -> AVE 34 / 1000 = 0.034.
    assert rate.ave(quantity=2000.0, customs_value=1000.0) == pytest.approx(0.034)


def test_compound_rate_worked_example() -> None:
    # HTS 2710.19.40 General "1.3¢/kg + 5.7%" (shipped subset).
    # 1,000 kg valued 2,000 USD: 5.7% * 2000 = 114 USD; 0.013 * 1000 = 13 USD;
    # total 127 USD -> AVE 127 / 2000 = 0.0635.
    rate = parse_rate("1.3¢/kg + 5.7%")
    assert rate.kind == "compound"
    assert rate.ad_valorem == Decimal("0.057")
    assert rate.specific_amount == Decimal("0.013")
    assert rate.ave(quantity=1000.0, customs_value=2000.0) == pytest.approx(0.0635)


def test_compound_rate_specific_first() -> None:
    # "4.4¢/kg + 6%": 500 kg worth 400 USD -> 0.044*500 = 22 + 0.06*400 = 24 -> 46/400 = 0.115.
    rate = parse_rate("4.4¢/kg + 6%")
    assert rate.ave(quantity=500.0, customs_value=400.0) == pytest.approx(0.115)


def test_dollar_and_liter_and_barrel_units() -> None:
    assert parse_rate("$1.05/kg").specific == (DutyTerm("specific", Decimal("1.05"), "kg"),)
    assert parse_rate("37.5¢/liter").specific_amount == Decimal("0.375")
    assert parse_rate("37.5¢/liter").specific_unit == "liter"
    # HTS 2710.19.30 "84¢/bbl": 1,000 bbl worth 90,000 USD -> 840 / 90000 = 0.009333...
    assert parse_rate("84¢/bbl").ave(quantity=1000.0, customs_value=90_000.0) == pytest.approx(
        840 / 90_000
    )
    assert parse_rate("5¢ each + 6.8%").specific_unit == "each"
    assert parse_rate("1.64¢/pf. liter").specific_unit == "proof_liter"


def test_basis_qualified_terms_are_not_computable() -> None:
    rate = parse_rate("2.4¢/kg on drained weight")
    assert rate.specific[0].basis == "on drained weight"
    assert not rate.computable
    with pytest.raises(InvalidInput) as err:
        rate.ave(quantity=1.0, customs_value=1.0)
    assert err.value.field == "rate_text"
    two_units = parse_rate("1.5¢/liter + 2.3¢/pf. liter")
    assert two_units.specific_amount is None
    assert not two_units.computable


def test_whitespace_html_and_footnote_marks_are_cleaned() -> None:
    assert parse_rate("2.5% <u></u>").ad_valorem == Decimal("0.025")
    assert parse_rate("  6.5%  1/").ad_valorem == Decimal("0.065")
    assert parse_rate("3.7¢/kg +2.8%").ad_valorem == Decimal("0.028")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "The duty provided in the applicable subheading + 25%",
        "See 9903.88.03",
        "abc%",
        "2.5% +",
        "3.6606¢/kg less 0.020668¢/kg for each degree under 100 degrees",
    ],
)
def test_non_rates_are_rejected_with_the_field(text: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_rate(text)
    assert err.value.field == "rate_text"


def test_ave_needs_quantity_and_positive_value() -> None:
    rate = parse_rate("1.7¢/kg")
    with pytest.raises(InvalidInput) as err:
        rate.ave(quantity=None, customs_value=10.0)
    assert err.value.field == "quantity"
    with pytest.raises(InvalidInput) as err:
        rate.ave(quantity=1.0, customs_value=0.0)
    assert err.value.field == "customs_value"


def test_special_column_korus_free() -> None:
    # HTS 8703.23.01 Special column (shipped subset).
    special = parse_special("Free (A+,AU,B,BH,CL,CO,D,E,IL,JO,KR,MA,OM, P,PA,PE,S,SG)")
    assert special["KR"] == ParsedRate(())
    assert special["P"] == ParsedRate(())
    assert set(special) == {
        "A+", "AU", "B", "BH", "CL", "CO", "D", "E", "IL", "JO", "KR", "MA", "OM", "P", "PA",
        "PE", "S", "SG",
    }  # fmt: skip


def test_special_column_light_trucks_keep_25_percent_for_korea() -> None:
    # HTS 8704.21.01: KORUS keeps the 25% US truck tariff (2018 amendment, to 2041).
    special = parse_special("Free (A+,AU,B,BH,CL,CO,D,E,IL,JO,MA,OM,P,PA,PE,S,SG)25% (KR)")
    assert special["KR"].ad_valorem == Decimal("0.25")
    assert special["AU"].kind == "free"


def test_special_column_mixed_groups_and_cross_references() -> None:
    text = "Free (BH,CL,JO,KR) 10.3¢/kg + 0.8% (P) See 9823.06.01-9823.06.09 (S+)"
    special = parse_special(text)
    assert special["KR"].kind == "free"
    assert special["P"].ave(quantity=100.0, customs_value=1000.0) == pytest.approx(
        0.008 + 0.103 * 100 / 1000  # 0.008 + 10.3 USD / 1000 USD = 0.0183
    )
    assert "S+" not in special
    assert parse_special("No change") == {}
    assert parse_special(None) == {}


_percent = st.decimals(min_value=0, max_value=100, places=2).map(lambda d: d / 100)
_amount = st.decimals(min_value=Decimal("0.001"), max_value=50, places=3)
_specific = st.builds(
    DutyTerm, st.just("specific"), _amount, st.sampled_from(KNOWN_UNITS), st.none()
)
_adval = st.builds(DutyTerm, st.just("ad_valorem"), _percent, st.none(), st.none())
_rates = st.lists(st.one_of(_adval, _specific), min_size=1, max_size=3).map(
    lambda terms: ParsedRate(tuple(terms))
)


@given(_rates)
def test_format_then_parse_round_trips(rate: ParsedRate) -> None:
    assert parse_rate(format_rate(rate)) == rate


@given(
    st.builds(lambda a, s: ParsedRate((a, s)), _adval, _specific),
    st.floats(min_value=0, max_value=1e6),
    st.floats(min_value=0.01, max_value=1e9),
)
def test_ave_is_at_least_the_ad_valorem_part(
    rate: ParsedRate, quantity: float, value: float
) -> None:
    ave = rate.ave(quantity=quantity, customs_value=value)
    assert ave >= float(rate.ad_valorem) - 1e-12
    expected = float(rate.ad_valorem) + float(rate.specific_amount) * quantity / value
    assert ave == pytest.approx(expected)
