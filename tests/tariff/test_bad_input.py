"""Bad input (issue 3): a clear error naming the field; batch rows go to the error file."""

from __future__ import annotations

import polars as pl
import pytest

from tiro.core.errors import InvalidInput
from tiro.tariff.batch.stream import price_frame
from tiro.tariff.pricing.quote import quote

GOOD = {"hts": "3304.10.00.00", "origin": "KR", "entry_date": "2025-12-01", "customs_value": 1000.0}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"hts": "3304.99"}, "hts", "malformed"),
        ({"hts": "33O4995000"}, "hts", "malformed"),
        ({"hts": "9999.99.99"}, "hts", "unknown HTS code"),
        ({"origin": "KO"}, "origin", "ISO 3166"),
        ({"origin": "Korea"}, "origin", "ISO 3166"),
        ({"entry_date": "2024-12-31"}, "entry_date", "before the data"),
        ({"entry_date": "2025-13-01"}, "entry_date", "not a date"),
        ({"customs_value": -1.0}, "customs_value", "negative"),
        ({"metal_share": 1.5}, "metal_share", "[0, 1]"),
        ({"metal_share": -0.1}, "metal_share", "[0, 1]"),
    ],
)
def test_quote_names_the_field(change: dict, field: str, words: str) -> None:
    with pytest.raises(InvalidInput) as err:
        quote(**{**GOOD, **change})
    assert err.value.field == field
    assert words in err.value.message


def test_batch_keeps_good_rows_and_reports_bad_ones() -> None:
    df = pl.DataFrame(
        {
            "hts": ["3304.10.00.00", "abc", "3304.10.00.00", "3304.10.00.00"],
            "origin": ["KR", "KR", "ZZ", "KR"],
            "entry_date": ["2025-12-01", "2025-12-01", "2025-12-01", "2025-12-01"],
            "customs_value": ["1000", "1000", "1000", "-5"],
        }
    )
    priced, errors = price_frame(df)
    assert priced["line_id"].to_list() == [0]
    assert priced["total_duty"].to_list() == pytest.approx([150.0])  # 15% all-in on 1,000
    assert errors.select("line_id", "error_field").rows() == [
        (1, "hts"),
        (2, "origin"),
        (3, "customs_value"),
    ]


def test_unknown_fact_is_refused_by_name() -> None:
    from tiro.core.errors import InvalidInput
    from tiro.tariff.pricing.quote import quote

    with pytest.raises(InvalidInput) as err:
        quote(
            hts="4011.30.00",
            origin="KR",
            entry_date="2026-08-01",
            customs_value=1000,
            facts={"vehicle_parts": True},
        )
    assert err.value.field == "facts" and "vehicle_parts" in str(err.value)
