"""The AI4I-2020-rule generator: each failure flag follows the published rule, row by row."""

from __future__ import annotations

import math

from tiro.manufacturing.quality import ai4i


def test_failure_flags_follow_the_published_rules():
    frame = ai4i.generate(2_000, seed=11)
    limit = {"L": 11_000, "M": 12_000, "H": 13_000}
    for r in frame.iter_rows(named=True):
        diff = r["process_temperature_k"] - r["air_temperature_k"]
        power = r["torque_nm"] * r["rotational_speed_rpm"] * 2 * math.pi / 60
        # the flags use unrounded temperatures; skip rows within rounding of the 8.6 K edge
        if abs(diff - 8.6) > 0.1:
            assert r["hdf"] == int(diff < 8.6 and r["rotational_speed_rpm"] < 1380), r
        assert r["pwf"] == int(power < 3500 or power > 9000), r
        assert r["osf"] == int(r["tool_wear_min"] * r["torque_nm"] > limit[r["type"]]), r
        assert r["machine_failure"] == int(any(r[k] for k in ("twf", "hdf", "pwf", "osf", "rnf")))
        assert r["tool_wear_min"] <= 240 + 5


def test_same_seed_same_rows_and_type_shares():
    a, b = ai4i.generate(5_000, seed=3), ai4i.generate(5_000, seed=3)
    assert a.equals(b)
    shares = a["type"].value_counts(normalize=True).sort("type")
    got = dict(zip(shares["type"], shares["proportion"], strict=True))
    assert abs(got["L"] - 0.5) < 0.03 and abs(got["M"] - 0.3) < 0.03 and abs(got["H"] - 0.2) < 0.03
