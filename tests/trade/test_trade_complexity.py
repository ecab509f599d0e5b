"""Economic complexity: a 3×3 example solved by hand, a numpy eigen cross-check, invariants."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiro.core.errors import InvalidInput
from tiro.trade.complexity import complexity

# Exports (USD bn): A sells p1, p2; B sells p2, p3; C sells p3 — one unit each.
# World by product (1, 2, 2), total 5. RCA_A,p1 = (1/2)/(1/5) = 2.5, RCA_A,p2 = (1/2)/(2/5)
# = 1.25, RCA_B,p2 = RCA_B,p3 = 1.25, RCA_C,p3 = 1/(2/5) = 2.5, the rest 0, so
# M = [[1,1,0],[0,1,1],[0,0,1]], diversity (2,2,1), ubiquity (1,2,2).
# M̃ = D⁻¹ M U⁻¹ Mᵀ = [[3/4,1/4,0],[1/4,1/2,1/4],[0,1/2,1/2]]; trace 7/4, det 1/16, so the
# non-unit eigenvalues solve 16λ² − 12λ + 1 = 0: λ₂ = (3+√5)/8.
# (M̃ − λ₂I)v = 0 gives v = (1, (√5−3)/2, (√5−3)/(√5−1)·2) = (1, −0.381966, −1.236068),
# positively correlated with diversity. z-scored (population sd 0.921311 of v):
# ECI = ((3+√5)/4, −0.190983, −√5/2) = (1.309017, −0.190983, −1.118034).
# kp ∝ U⁻¹Mᵀv = (1, 0.309017, −0.809017); kc = D⁻¹M kp = (0.654508, −0.25, −0.809017),
# mean −0.134836, sd 0.603006; PCI = (kp − mean)/sd = (1.881966, 0.736068, −1.118034),
# and each ECI is the mean PCI of the products the location has (1.309017 = (1.881966 +
# 0.736068)/2), which is why the Growth Lab standardises PCI with the ECI's moments.
HAND = pl.DataFrame(
    {
        "reporter": ["A", "A", "B", "B", "C"],
        "product": ["p1", "p2", "p2", "p3", "p3"],
        "value": [1e9] * 5,
    }
)
ECI = [(3 + math.sqrt(5)) / 4, -0.190983, -math.sqrt(5) / 2]
PCI = [1.881966, 0.736068, -1.118034]


def test_three_by_three_by_hand():
    result = complexity(HAND, threshold=1.0)
    assert result.locations["diversity"].to_list() == [2, 2, 1]
    assert result.products["ubiquity"].to_list() == [1, 2, 2]
    assert result.eigenvalue == pytest.approx((3 + math.sqrt(5)) / 8)
    assert result.locations["eci"].to_list() == pytest.approx(ECI, abs=1e-6)
    assert result.products["pci"].to_list() == pytest.approx(PCI, abs=1e-6)
    assert result.rca[0, 0] == pytest.approx(2.5)
    assert result.rca[0, 1] == pytest.approx(1.25)


def test_growthlab_eci_is_mean_pci_of_present_products():
    result = complexity(HAND, threshold=1.0)
    pci = result.products["pci"].to_numpy()
    means = (result.mcp @ pci) / result.mcp.sum(axis=1)
    assert means == pytest.approx(result.locations["eci"].to_numpy())


def test_self_normalisation_z_scores_pci_on_its_own():
    pci = complexity(HAND, threshold=1.0, normalization="self").products["pci"].to_numpy()
    assert pci.mean() == pytest.approx(0.0, abs=1e-12)
    assert pci.std() == pytest.approx(1.0)
    sample = complexity(HAND, threshold=1.0, ddof=1).locations["eci"].to_numpy()
    assert sample.std(ddof=1) == pytest.approx(1.0)


def test_proximity_and_density_by_hand():
    # φ = MᵀM / max(u): p1·p2 co-occur once (A), max(u)=2 → 1/2; p2·p3 once (B) → 1/2;
    # p1·p3 never → 0; diagonal set to 0. Density of p3 for A = (φ_p1,p3·1 + φ_p2,p3·1) /
    # Σφ_·,p3 = (0 + 1/2)/(1/2) = 1; of p1 for C = φ_p3,p1 / Σφ_·,p1 = 0 / (1/2) = 0.
    result = complexity(HAND, threshold=1.0)
    assert result.proximity.tolist() == [[0, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0]]
    assert result.density[0, 2] == pytest.approx(1.0)
    assert result.density[2, 0] == pytest.approx(0.0)


def _random_exports(seed: int, c: int, p: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.gamma(0.6, 1.0, (c, p)) * (rng.random((c, p)) < 0.7)
    x[:, 0] += 0.01
    x[0, :] += 0.01
    rows = [(f"c{i:02d}", f"p{j:02d}", float(x[i, j])) for i in range(c) for j in range(p)]
    return pl.DataFrame(rows, schema=["reporter", "product", "value"], orient="row")


@pytest.mark.parametrize(("c", "p"), [(12, 30), (30, 12)])
def test_matches_dense_eig_on_product_matrix(c, p):
    """Cross-check with numpy.linalg.eig on Mpp, as py-ecomplexity computes it."""
    result = complexity(_random_exports(7, c, p), threshold=1.0)
    m = result.mcp
    d, u = m.sum(1), m.sum(0)
    mcp1, mcp2 = m / d[:, None], m / u[None, :]
    vals, vecs = np.linalg.eig(mcp2.T @ mcp1)
    kp = np.real(vecs[:, np.real(vals).argsort()[-2]])
    kc = mcp1 @ kp
    sign = np.sign(np.corrcoef(d, kc)[0, 1])
    kc, kp = sign * kc, sign * kp
    eci = (kc - kc.mean()) / kc.std()
    pci = (kp - kc.mean()) / kc.std()
    assert result.locations["eci"].to_numpy() == pytest.approx(eci, abs=1e-8)
    assert result.products["pci"].to_numpy() == pytest.approx(pci, abs=1e-8)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), scale=st.floats(0.01, 1000))
def test_eci_invariant_to_currency_scale(seed, scale):
    base = _random_exports(seed, 8, 10)
    a = complexity(base, threshold=1.0).locations["eci"].to_numpy()
    b = complexity(base.with_columns(pl.col("value") * scale), threshold=1.0)
    assert b.locations["eci"].to_numpy() == pytest.approx(a, abs=1e-6)


def test_bad_inputs():
    with pytest.raises(InvalidInput, match="normalization"):
        complexity(HAND, threshold=1.0, normalization="atlas")
    with pytest.raises(InvalidInput) as err:
        complexity(HAND.with_columns(pl.lit(-1.0).alias("value")), threshold=1.0)
    assert err.value.field == "value"
    with pytest.raises(InvalidInput, match="threshold"):
        complexity(HAND, threshold=3.0)


def _dense_product_side(m: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """ECI, PCI (Growth Lab normalisation) and λ₂ from eig on the products × products M̃p."""
    d, u = m.sum(1), m.sum(0)
    mcp1, mcp2 = m / d[:, None], m / u[None, :]
    vals, vecs = np.linalg.eig(mcp2.T @ mcp1)
    top2 = np.real(vals).argsort()[-2]
    kp = np.real(vecs[:, top2])
    kc = mcp1 @ kp
    sign = np.sign(np.corrcoef(d, kc)[0, 1])
    kc, kp = sign * kc, sign * kp
    return (kc - kc.mean()) / kc.std(), (kp - kc.mean()) / kc.std(), float(np.real(vals[top2]))


def test_small_side_eigenproblem_equals_dense_product_side_eig_30_by_80():
    """30 countries × 80 products: the 30×30 problem and B·v give the 80×80 eig's PCI."""
    result = complexity(_random_exports(11, 30, 80), threshold=1.0)
    assert result.mcp.shape == (30, 80)
    eci, pci, lam2 = _dense_product_side(result.mcp)
    assert result.eigenvalue == pytest.approx(lam2, abs=1e-10)
    assert result.locations["eci"].to_numpy() == pytest.approx(eci, abs=1e-8)
    assert result.products["pci"].to_numpy() == pytest.approx(pci, abs=1e-8)


def test_density_coi_cog_equal_the_dense_proximity_formulas():
    """The ubiquity-level factorisation equals py-ecomplexity's formulas over the full φ."""
    result = complexity(_random_exports(5, 30, 80), threshold=1.0)
    m = result.mcp
    u = m.sum(0)
    phi = (m.T @ m) / u[None, :]  # calc_discrete_proximity: divide, zero diagonal, symmetric min
    np.fill_diagonal(phi, 0.0)
    phi = np.minimum(phi, phi.T)
    assert result.proximity == pytest.approx(phi)
    assert len(np.unique(u)) > 5  # several ubiquity levels, so the running sums are exercised
    density = m @ (phi.T / phi.sum(axis=1)[None, :])  # calc_density
    assert result.density == pytest.approx(density, abs=1e-12)
    raw = complexity(_random_exports(5, 30, 80), threshold=1.0, normalization="none")
    kp = raw.products["pci"].to_numpy()
    coi = ((density * (1 - m)) * kp).sum(axis=1)  # calc_coi_cog
    cog = (1 - m) * ((1 - m) @ (phi * (kp / phi.sum(axis=1))[:, None]))
    assert raw.cog == pytest.approx(cog, abs=1e-12)
    z = (coi - coi.mean()) / coi.std()
    assert result.locations["coi"].to_numpy() == pytest.approx(z, abs=1e-9)
    # Growth Lab: COG divided by the ECI's sd (raw k_c = ECI before z-scoring).
    kc = raw.locations["eci"].to_numpy()
    assert result.cog == pytest.approx(cog / kc.std(), abs=1e-9)
