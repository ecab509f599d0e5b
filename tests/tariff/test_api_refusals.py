"""The tariff API refuses what it must (issue 9 items 1, 2, 4, 20, 21): a scenario is a shipped
name or an overlay object, never a server path; non-finite numbers and unknown keys are 422;
bad uploads are 422 naming the field; no route answers 500."""

from __future__ import annotations

import pytest

from tiro.core.parameter_files import PARAMS_ROOT

QUOTE = "/api/v1/tariff/quote"
GOOD = {"hts": "3304.10.00.00", "entry_date": "2025-12-01", "customs_value": 1000}
LINE = b"hts,origin,entry_date,customs_value\n3304.10.00.00,KR,2025-12-01,1000\n"


def _problem(r) -> tuple[int, str | None]:
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.status_code, r.json().get("field")


@pytest.mark.parametrize(
    "scenario",
    [
        "/some/path.yaml",
        "../../params/scenarios/no_deal",
        "no_deal.yaml",
        "scenarios/no_deal",
        "C:\\\\x.yaml",
    ],
)
def test_quote_scenario_path_is_refused(api_client, scenario: str) -> None:
    r = api_client.post(QUOTE, json={**GOOD, "scenario": scenario})
    assert _problem(r) == (422, "scenario")
    assert str(PARAMS_ROOT) not in r.text and "Traceback" not in r.text


def test_quote_unknown_scenario_name_is_404(api_client) -> None:
    assert _problem(api_client.post(QUOTE, json={**GOOD, "scenario": "nope"})) == (404, "scenario")


def test_quote_shipped_scenario_name_still_works(api_client) -> None:
    r = api_client.post(QUOTE, json={**GOOD, "scenario": "no_deal", "entry_date": "2025-09-01"})
    # no_deal: the flat 25% reciprocal rate on Korea from 2025-08-07; KORUS Free: 25% x 1,000
    assert r.status_code == 200 and r.json()["total_duty"] == 250.0


def test_quote_takes_an_overlay_object(api_client) -> None:
    """Without Korea's 15% all-in records the reciprocal baseline 10% applies: 100 on 1,000."""
    overlay = {
        "description": "what if the 15% all-in had not been granted",
        "remove": ["ieepa-kr-all-in-below-15-2025-11-14", "ieepa-kr-all-in-at-least-15-2025-11-14"],
    }
    r = api_client.post(QUOTE, json={**GOOD, "scenario": overlay})
    assert r.status_code == 200, r.text
    assert (r.json()["total_duty"], r.json()["lines"][0]["heading"]) == (100.0, "9903.01.25")
    actual = api_client.post(QUOTE, json=GOOD).json()
    assert actual["total_duty"] == 150.0


@pytest.mark.parametrize(
    ("overlay", "field"),
    [
        ({"remove": ["no-such-measure"]}, "scenario"),
        ({"add": [{"id": "x"}]}, "scenario"),
        ({"end": {"ieepa-kr-2025-08-07": "2020-01-01"}}, "scenario"),
        ({"path": "/etc/passwd"}, "scenario.overlay"),
        ({"add": [5]}, "scenario.overlay.add.0"),
        ({"remove": [f"m{i}" for i in range(51)]}, "scenario.overlay.remove"),
    ],
)
def test_bad_overlays_are_refused(api_client, overlay: dict, field: str) -> None:
    status, where = _problem(api_client.post(QUOTE, json={**GOOD, "scenario": overlay}))
    assert (status, where.startswith(field)) == (422, True)


@pytest.mark.parametrize(
    "conditions", [{"korus": "x"}, {"metal_share_above": "x"}, {"column1_below": 7}]
)
def test_overlay_record_with_mistyped_condition_is_refused(api_client, conditions: dict) -> None:
    record = {
        "id": "a",
        "heading": None,
        "program": "s301",
        "valid_from": "2025-01-01",
        "hts": {"include": ["*"]},
        "origin": {"include": ["*"]},
        "rate": {"kind": "ad_valorem", "value": 0.5},
        "basis": "full_value",
        "conditions": conditions,
        "citation": {"title": "t", "source": "s"},
    }
    r = api_client.post(QUOTE, json={**GOOD, "scenario": {"add": [record]}})
    assert _problem(r) == (422, "scenario") and "condition" in r.json()["detail"]


def test_overlay_record_with_nan_rate_is_refused(api_client) -> None:
    body = (
        '{"hts": "3304.10.00.00", "entry_date": "2025-12-01", "customs_value": 1000, '
        '"scenario": {"add": [{"id": "x", "heading": "9903.88.99", "program": "s301", '
        '"valid_from": "2025-01-01", "hts": {"include": ["3304"]}, "origin": {"include": ["KR"]}, '
        '"rate": {"kind": "ad_valorem", "value": NaN}, "basis": "full_value", '
        '"citation": {"title": "t", "source": "s"}}]}}'
    )
    r = api_client.post(QUOTE, content=body, headers={"content-type": "application/json"})
    status, field = _problem(r)
    assert status == 422 and field.startswith("scenario")


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('"customs_value": NaN', "customs_value"),
        ('"customs_value": Infinity', "customs_value"),
        ('"customs_value": -Infinity', "customs_value"),
        ('"customs_value": 1e300', "customs_value"),
        ('"customs_value": 1, "metal_share": NaN', "metal_share"),
        ('"customs_value": 1, "quantity": Infinity', "quantity"),
        ('"customs_value": 1, "bogus": 1', "bogus"),
    ],
)
def test_quote_body_refuses_non_finite_and_unknown_keys(api_client, raw: str, field: str) -> None:
    body = '{"hts": "3304.10.00.00", "entry_date": "2025-12-01", ' + raw + "}"
    r = api_client.post(QUOTE, content=body, headers={"content-type": "application/json"})
    assert _problem(r) == (422, field)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("value=nan", "value"),
        ("value=inf", "value"),
        ("metal_share=nan", "metal_share"),
        ("scenario=../x", "scenario"),
        ("scenario=/etc/x.yaml", "scenario"),
    ],
)
def test_timeline_query_refusals(api_client, query: str, field: str) -> None:
    r = api_client.get(f"/api/v1/tariff/timeline?hts=3304.10.00.00&{query}")
    assert _problem(r) == (422, field)


def test_measures_scenario_path_is_refused(api_client) -> None:
    r = api_client.get("/api/v1/tariff/measures?hts=3304.10.00.00&scenario=../../x")
    assert _problem(r) == (422, "scenario")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scenarios": ["actual", "actual"]}, "scenarios"),
        ({"scenarios": ["../params/scenarios/no_deal"]}, "scenario"),
        ({"basket": [{"hts": "8703.23.01", "value_usd": 1e20}]}, "basket.0.value_usd"),
        ({"basket": [{"hts": "8703.23.01", "value_usd": 1, "x": 1}]}, "basket.0.x"),
        ({"basket": []}, "basket"),
    ],
)
def test_compare_refusals(api_client, body: dict, field: str) -> None:
    assert _problem(api_client.post("/api/v1/tariff/compare", json=body)) == (422, field)


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("lines.csv", b"", "empty"),
        ("lines.csv", LINE + b"3304.10.00.00,KR,2025-12-01,1,2,3\n", "ragged"),
        ("lines.csv", LINE + b"3304.10.00.00,K\xff,2025-12-01,1\n", "UTF-8"),
        ("lines.parquet", b"PAR1 truncated", "Parquet"),
    ],
)
def test_batch_upload_bad_files(api_client, name: str, data: bytes, words: str) -> None:
    r = api_client.post("/api/v1/tariff/batch", files={"file": (name, data)})
    assert _problem(r) == (422, "input") and words in r.json()["detail"]
    assert "/tmp" not in r.json()["detail"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("rates.json", b"\xff\xfe"),
        ("rates.json", b'{"not": "an array"}'),
        ("rates.json", b'[{"htsno": "8703.23.01", "indent": "deep"}]'),
        ("rates.csv", b"x\n1\n"),
        ("rates.parquet", b"nope"),
    ],
)
def test_batch_upload_bad_rate_tables(api_client, name: str, data: bytes) -> None:
    files = {"file": ("lines.csv", LINE), "hts_table": (name, data)}
    assert _problem(api_client.post("/api/v1/tariff/batch", files=files)) == (422, "hts_table")


def test_batch_scenario_path_is_refused(api_client) -> None:
    r = api_client.post(
        "/api/v1/tariff/batch?scenario=/etc/passwd", files={"file": ("lines.csv", LINE)}
    )
    assert _problem(r) == (422, "scenario")


def test_batch_nan_line_is_an_error_row_with_its_file_line(api_client) -> None:
    data = LINE + b"3304.10.00.00,KR,2025-12-01,nan\n"
    r = api_client.post("/api/v1/tariff/batch?part=errors", files={"file": ("lines.csv", data)})
    assert r.status_code == 200
    assert (r.headers["X-Tiro-Priced"], r.headers["X-Tiro-Errors"]) == ("1", "1")
    header, row = r.text.strip().splitlines()
    assert header.startswith("line,line_id,") and row.startswith("3,1,")
    assert row.endswith("customs_value,not a finite number of plausible size: nan")
