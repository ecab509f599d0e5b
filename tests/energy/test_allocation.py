"""Essential-supply allocation: a hand-checked file, LP properties (hypothesis), bad input."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiro.core.errors import InvalidInput
from tiro.core.parameters import get_params
from tiro.energy.allocation.engine import AllocationProblem, allocate
from tiro.energy.allocation.io import load_request, parse_request, run_allocation

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "src/tiro/data/energy/allocation/ethylene_2026_05.yaml"
)
TOL = 1e-5


def test_shipped_example_by_hand():
    # supply 10,000 t; minimums sum to 2,500. Tier 1 (2,000) and tier 2 (5,500) are served in full
    # (ulsan 1,400 + 1,500 + SHP min 400 = 3,300 <= 4,000; yeosu 2,600 + 200 + 100 = 2,900 <= 3,500).
    # Tier 3: ulsan has 4,000 - 2,900 = 1,100 left for SHP-01 (1,800) -> fill 1,100/1,800 = 0.611,
    # yeosu has 3,500 - 2,600 - 100 (OTH-01 min) = 800 for BIO-01 (900) -> it rises on to 800.
    # Tier 4 gets 10,000 - 2,000 - 5,500 - 1,900 = 600: OTH-01 stays at its 100 minimum (yeosu full),
    # OTH-02 (gyeonggi, no limit) gets 500.
    r = run_allocation(load_request(EXAMPLE), params=get_params())
    got = {c["customer_id"]: c["allocated"] for c in r["customers"]}
    assert got["MED-01"] == pytest.approx(1200)
    assert got["AGR-01"] == pytest.approx(2600)
    assert got["SHP-01"] == pytest.approx(1100)
    assert got["BIO-01"] == pytest.approx(800)
    assert got["OTH-01"] == pytest.approx(100)
    assert got["OTH-02"] == pytest.approx(500)
    tiers = {t["tier"]: t for t in r["tiers"]}
    assert tiers[3]["unmet"] == pytest.approx(800)
    assert tiers[4]["unmet"] == pytest.approx(3700)
    assert r["allocated"] == pytest.approx(10_000)


def test_pro_rata_with_minimum_by_hand():
    # Supply 100; minimums a=0, b=0 (tier 1), c=10 (tier 2), e=30 (tier 3): 40 reserved.
    # Tier 1 shares 100 - 40 = 60 pro rata on demands 100 and 50: lambda = 0.4 -> 40 and 20.
    c = pl.DataFrame(
        {
            "customer_id": ["a", "b", "c", "e"],
            "region": ["r1", "r1", "r2", "r3"],
            "tier": [1, 1, 2, 3],
            "demand": [100.0, 50.0, 200.0, 300.0],
            "minimum": [0.0, 0.0, 10.0, 30.0],
        }
    )
    out = allocate(AllocationProblem(c, 100.0, {}))
    assert out["allocated"].to_list() == pytest.approx([40, 20, 10, 30])


customers = st.lists(
    st.tuples(
        st.integers(1, 4),  # tier
        st.sampled_from(["north", "south", "east"]),  # region
        st.floats(0, 1000, allow_nan=False).map(lambda v: round(v, 2)),  # demand
        st.floats(0, 0.5, allow_nan=False),  # minimum as a share of demand
    ),
    min_size=1,
    max_size=12,
)


def _problem(rows, supply_share, limits=None):
    frame = pl.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(len(rows))],
            "tier": [r[0] for r in rows],
            "region": [r[1] for r in rows],
            "demand": [r[2] for r in rows],
            "minimum": [round(r[2] * r[3], 2) for r in rows],
        }
    )
    mins, total = float(frame["minimum"].sum()), float(frame["demand"].sum())
    supply = mins + supply_share * (total - mins)
    return AllocationProblem(frame, supply, limits or {})


@settings(max_examples=60, deadline=None)
@given(customers, st.floats(0, 1.2))
def test_properties_without_regional_limits(rows, supply_share):
    p = _problem(rows, supply_share)
    out = allocate(p)
    x, d, m, t = (out[c].to_numpy() for c in ("allocated", "demand", "minimum", "tier"))
    # never exceeds supply; every customer between its minimum and its demand
    assert x.sum() <= p.supply + TOL
    assert (x >= m - TOL).all() and (x <= d + TOL).all()
    # no supply left idle while demand is unmet
    assert x.sum() == pytest.approx(min(p.supply, d.sum()), abs=1e-4)
    for tier in set(t.tolist()):
        above_min = (t == tier) & (x > m + TOL)
        if above_min.any():
            higher = t < tier
            # a lower tier gets something above minimums only if every higher tier is full
            assert (x[higher] >= d[higher] - TOL).all()
            # pro rata within the tier: all customers above their minimum share one fill ratio
            ratios = x[above_min] / d[above_min]
            assert ratios.max() - ratios.min() <= 1e-6
            # and those held at their minimum have a minimum at least that ratio of demand
            at_min = (t == tier) & ~above_min & (d > 0)
            assert (m[at_min] >= ratios.min() * d[at_min] - TOL).all()


@settings(max_examples=40, deadline=None)
@given(customers, st.floats(0, 1.2), st.floats(0.2, 1.0))
def test_regional_limits_are_respected(rows, supply_share, limit_share):
    frame = _problem(rows, supply_share).customers
    by_region = frame.group_by("region").agg(pl.col("demand").sum(), pl.col("minimum").sum())
    limits = {
        r: mn + limit_share * (dm - mn)
        for r, dm, mn in by_region.select("region", "demand", "minimum").iter_rows()
    }
    p = _problem(rows, supply_share, limits)
    out = allocate(p)
    assert out["allocated"].sum() <= p.supply + TOL
    used = out.group_by("region").agg(pl.col("allocated").sum())
    for region, amount in used.iter_rows():
        assert amount <= limits[region] + TOL
    x, d, m, t, reg = (
        out[c].to_numpy() for c in ("allocated", "demand", "minimum", "tier", "region")
    )
    # lexicographic with limits: a lower-tier customer above its minimum means every higher-tier
    # customer is either full or sits in a region whose limit is used up
    full = {
        r: used.filter(pl.col("region") == r)["allocated"][0] >= limits[r] - 1e-4 for r in limits
    }
    for i in range(len(x)):
        if x[i] > m[i] + TOL:
            for j in range(len(x)):
                if t[j] < t[i]:
                    assert x[j] >= d[j] - TOL or full[reg[j]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"supply": -1}, "supply"),
        ({"customers": [{"id": "x", "item": "syringes_needles", "region": "a", "demand": -5}]},
         "customers.0.demand"),
        ({"customers": [{"id": "x", "item": "nylon", "region": "a", "demand": 5}]},
         "customers.item"),
        ({"customers": [{"id": "x", "item": "other", "region": "a", "demand": 5,
                         "minimum": 6}]}, "minimum"),
        ({"supply": 10, "customers": [{"id": "x", "item": "other", "region": "a", "demand": 50,
                                       "minimum": 20}]}, "minimum"),
    ],
)  # fmt: skip
def test_bad_input_names_the_field(change, field):
    base = {
        "date": "2026-05-11",
        "product": "PE",
        "supply": 100,
        "customers": [{"id": "a", "item": "other", "region": "r", "demand": 10}],
    }
    with pytest.raises(InvalidInput) as err:
        run_allocation(parse_request({**base, **change}), params=get_params())
    assert err.value.field == field


def test_cli_allocate_json(cli):
    res = cli(["energy", "allocate", str(EXAMPLE), "--json"])
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["data_label"] == "sample"
    assert [t["tier"] for t in data["tiers"]] == [1, 2, 3, 4]
    assert data["unmet"] == pytest.approx(4500)


NAN_LIMIT = {
    "date": "2026-05-11",
    "product": "PE",
    "supply": 100,
    "regional_limits": {"a": float("nan")},
    "customers": [{"id": "x", "item": "other", "region": "a", "demand": 80}],
}


def test_nan_regional_limit_is_refused_not_no_limit():
    """Issue 9 item 10: the old LP skipped a NaN cap (np.isfinite) and gave region a 80."""
    with pytest.raises(InvalidInput) as err:
        parse_request(NAN_LIMIT)
    assert err.value.field == "regional_limits.a"
    from tiro.energy.allocation.engine import AllocationProblem, allocate

    frame = pl.DataFrame(
        {"customer_id": ["x"], "region": ["a"], "tier": [4], "demand": [80.0], "minimum": [0.0]}
    )
    with pytest.raises(InvalidInput) as err:
        allocate(AllocationProblem(frame, 100.0, {"a": float("nan")}))
    assert err.value.field == "regional_limits.a"


def test_nan_limit_in_a_yaml_file_and_duplicate_keys_are_refused(cli, tmp_path):
    nan_file = tmp_path / "nan.yaml"
    nan_file.write_text(
        "date: 2026-05-11\nproduct: PE\nsupply: 100\nregional_limits: {a: .nan}\n"
        "customers:\n  - {id: x, item: other, region: a, demand: 80}\n"
    )
    res = cli(["energy", "allocate", str(nan_file), "--json"])
    assert res.exit_code == 2 and res.stdout == "" and "regional_limits.a" in res.stderr
    dup = tmp_path / "dup.yaml"
    dup.write_text(
        "date: 2026-05-11\nproduct: PE\nsupply: 100\nsupply: 5\n"
        "customers:\n  - {id: x, item: other, region: a, demand: 80}\n"
    )
    res = cli(["energy", "allocate", str(dup), "--json"])
    assert res.exit_code == 2 and "duplicate key 'supply'" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_api_refuses_nan_limit_and_unknown_keys(api_client):
    body = {**NAN_LIMIT, "regional_limits": {"a": 5}}
    assert api_client.post("/api/v1/energy/allocate", json=body).status_code == 200
    res = api_client.post(
        "/api/v1/energy/allocate",
        content=b'{"date": "2026-05-11", "product": "PE", "supply": 100, '
        b'"regional_limits": {"a": NaN}, '
        b'"customers": [{"id": "x", "item": "other", "region": "a", "demand": 80}]}',
        headers={"content-type": "application/json"},
    )
    assert res.status_code == 422, res.text
    res = api_client.post("/api/v1/energy/allocate", json={**body, "suply": 1})
    assert res.status_code == 422 and "suply" in res.text
