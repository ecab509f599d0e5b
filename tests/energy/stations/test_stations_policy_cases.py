"""Runs tests/policy/energy/stations.yaml: hoarding floor and good-station rule cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
import yaml

from tiro.core.parameters import get_params
from tiro.energy.screens.hoarding import hoarding_screen
from tiro.energy.stations.schema import PRICE_SCHEMA, STATION_SCHEMA
from tiro.energy.stations.selection import select_round

FILE = Path(__file__).resolve().parents[2] / "policy" / "energy" / "stations.yaml"
CASES = yaml.safe_load(FILE.read_text(encoding="utf-8"))


def _params(case: dict):
    overrides = case.get("overrides") or {}
    if not overrides:
        return get_params()
    ref = {"title": f"policy case what-if: {case['name']}", "section": "tests/policy/energy"}
    return get_params().with_overlay(
        {
            "overrides": {
                p: {"2026-01-01": {"value": v, "reference": ref}} for p, v in overrides.items()
            }
        }
    )


def _hoarding(case: dict) -> list[str]:
    sellers = case["input"]["sellers"]
    month = case["date"].replace(day=1)
    sales = pl.DataFrame(
        {
            "month": [month] * len(sellers),
            "station_id": [s["id"] for s in sellers],
            "sales_l": [float(s["sales"]) for s in sellers],
            "sales_prior_year_l": [float(s["prior"]) for s in sellers],
            "closing_stock_l": [float(s["stock"]) for s in sellers],
        }
    )
    stations = pl.DataFrame({"station_id": sales["station_id"], "sido": "서울"})
    return sorted(hoarding_screen(sales, stations, _params(case))["station_id"].to_list())


def _good(case: dict) -> list[str]:
    rnd = case["input"]["round"]
    rows = case["input"]["stations"]
    stations = pl.DataFrame(
        [
            {"station_id": s["id"], "name": s["id"], "brand": "SKE", "address": "", "sido": "서울",
             "sigungu": s["area"], "lat": 37.5, "lon": 127.0, "self_service": False,
             "opened": s["opened"], "last_fake_fuel": s.get("fake"), "source": "case"}
            for s in rows
        ],
        schema=STATION_SCHEMA,
    )  # fmt: skip
    days = [
        rnd["start"] + dt.timedelta(days=d) for d in range((rnd["end"] - rnd["start"]).days + 1)
    ]
    prices = pl.DataFrame(
        [{"date": d, "station_id": s["id"], "product": "gasoline", "price": float(s["price"])}
         for s in rows for d in days],
        schema=PRICE_SCHEMA,
    )  # fmt: skip
    got = select_round(
        stations,
        prices,
        start=rnd["start"],
        end=rnd["end"],
        product="gasoline",
        params=_params(case),
    )
    return sorted(got["station_id"].to_list())


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_policy_case(case: dict) -> None:
    if case["kind"] == "hoarding":
        assert _hoarding(case) == sorted(case["output"]["flagged"])
    else:
        assert _good(case) == sorted(case["output"]["selected"])
