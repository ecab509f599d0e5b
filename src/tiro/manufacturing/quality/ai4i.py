"""A deterministic sensor/failure stream following the published AI4I 2020 rules.

The AI4I 2020 Predictive Maintenance Dataset (Matzka, 2020, UCI ML repository id 601) is
synthetic: its paper states the rules that generate it, so they can be reproduced here
without shipping the file. Failure modes (machine failure = any of them):

- TWF tool wear failure: the tool is replaced at a wear drawn uniformly in 200-240 min, and
  at 51 of those 120 replacements (42.5%) it fails instead;
- HDF heat dissipation: process − air temperature < 8.6 K and speed < 1,380 rpm;
- PWF power: torque × angular speed < 3,500 W or > 9,000 W;
- OSF overstrain: tool wear × torque > 11,000 (L), 12,000 (M), 13,000 (H) min·Nm;
- RNF random: 0.1% of processes regardless of conditions.

Types L/M/H are 50/30/20% of products and add 2/3/5 min of tool wear per process. Air
temperature is a random walk around 300 K (sd 2 K), process temperature air + 10 K with a
walk of sd 1 K; torque is normal around 40 Nm (sd 10, not below 3.8). The paper derives
speed from a power with noise; here speed is drawn with the published columns' moments (mean
1,539 rpm, sd 179) and their correlation with torque (−0.88), clipped to 1,168-2,886 rpm. The sensor distributions
are approximations; the failure rules are exact. The quantities the rules are written in (power, temperature difference, strain)
are columns too, as the paper defines them. The thresholds are the dataset's definition, not policy, so they live here.
"""

from __future__ import annotations

import numpy as np
import polars as pl

TYPES = ("L", "M", "H")
TYPE_SHARE = (0.5, 0.3, 0.2)
WEAR_PER_PROCESS = {"L": 2, "M": 3, "H": 5}
OSF_LIMIT = {"L": 11_000.0, "M": 12_000.0, "H": 13_000.0}


def _walk(rng: np.random.Generator, n: int, centre: float, sd: float) -> np.ndarray:
    """A mean-reverting walk (AR(1), ρ 0.995) whose stationary sd is ``sd``."""
    rho = 0.995
    shocks = rng.normal(0.0, sd * np.sqrt(1 - rho**2), n)
    out = np.empty(n)
    level = 0.0
    for i in range(n):
        level = rho * level + shocks[i]
        out[i] = centre + level
    return out


def generate(n: int = 10_000, seed: int = 2020) -> pl.DataFrame:
    """``n`` processes with sensors and failure flags; the same seed gives the same rows."""
    rng = np.random.default_rng(seed)
    kind = rng.choice(TYPES, size=n, p=TYPE_SHARE)
    air = _walk(rng, n, 300.0, 2.0)
    process = air + 10.0 + _walk(rng, n, 0.0, 1.0)
    torque = np.round(np.clip(rng.normal(40.0, 10.0, n), 3.8, None), 1)
    slope = -0.88 * 179.0 / 10.0
    noise = rng.normal(0.0, 179.0 * np.sqrt(1 - 0.88**2), n)
    speed = np.round(1539.0 + slope * (torque - 40.0) + noise).clip(1168, 2886)
    wear = np.zeros(n, dtype=int)
    twf = np.zeros(n, dtype=bool)
    current, limit = 0, rng.uniform(200, 240)
    for i in range(n):
        current += WEAR_PER_PROCESS[kind[i]]
        wear[i] = current
        if current >= limit:
            twf[i] = rng.random() < 51 / 120
            current, limit = 0, rng.uniform(200, 240)
    hdf = ((process - air) < 8.6) & (speed < 1380)
    power = torque * speed * 2 * np.pi / 60
    pwf = (power < 3500) | (power > 9000)
    osf = wear * torque > np.vectorize(OSF_LIMIT.get)(kind)
    rnf = rng.random(n) < 0.001
    return pl.DataFrame(
        {
            "udi": np.arange(1, n + 1),
            "type": kind,
            "air_temperature_k": np.round(air, 1),
            "process_temperature_k": np.round(process, 1),
            "rotational_speed_rpm": speed.astype(int),
            "torque_nm": torque,
            "tool_wear_min": wear,
            "power_w": np.round(power, 1),
            "temperature_difference_k": np.round(process - air, 1),
            "strain_min_nm": np.round(wear * torque, 1),
            "twf": twf.astype(int),
            "hdf": hdf.astype(int),
            "pwf": pwf.astype(int),
            "osf": osf.astype(int),
            "rnf": rnf.astype(int),
            "machine_failure": (twf | hdf | pwf | osf | rnf).astype(int),
        }
    )
