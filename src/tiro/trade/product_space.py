"""Product space (제품공간): proximity, density, COI and COG without the products × products matrix.

Discrete proximity in the Growth Lab's definition (py-ecomplexity ``calc_discrete_proximity``,
Hidalgo et al. 2007) is φ_ij = C_ij / max(u_i, u_j) with C = MᵀM (countries exporting both
i and j with RCA ≥ 1) and u the ubiquity, diagonal 0. Density, COI and COG only ever need φ
multiplied from the left by a few rows (X φ with X = M, 1ᵀ, (1 − M)·w), so φ (25 M cells for
5,000 HS6 products) need not be built:

    1 / max(u_i, u_j) = min(a_i, a_j),  a = 1/u,

so, with products grouped by ubiquity level ℓ (there are at most as many levels as
countries), for a product j at level ℓ_j

    (X (C∘W))_rj = Σ_c M_cj [ Σ_{i: u_i ≥ ℓ_j} X_ri a_i M_ci  +  (1/ℓ_j) Σ_{i: u_i < ℓ_j} X_ri M_ci ].

Both inner sums are rows × countries matrices that are running sums over the levels, so the
whole product costs O(rows · countries · products) instead of O(countries · products²), and
the diagonal (φ_ii would be u_i/u_i = 1) is taken off by subtracting X. The loop runs over
ubiquity levels, each step one matrix product; ``proximity`` still builds φ for whoever wants
the product-space table itself.
"""

from __future__ import annotations

import numpy as np


def proximity(m: np.ndarray, u: np.ndarray) -> np.ndarray:
    """φ = MᵀM / max(u_i, u_j) with a zero diagonal (products × products, dense)."""
    phi = (m.T @ m) / np.maximum.outer(u, u)
    np.fill_diagonal(phi, 0.0)
    return phi


def times_proximity(x: np.ndarray, m: np.ndarray, u: np.ndarray) -> np.ndarray:
    """X φ for X of shape (rows, products), without forming φ (see the module docstring)."""
    order = np.argsort(u, kind="stable")
    xs, ms, us = x[:, order], m[:, order], u[order]
    levels, starts = np.unique(us, return_index=True)
    bounds = [*starts.tolist(), us.size]
    at_or_above = (xs / us[None, :]) @ ms.T  # Σ_i X_ri a_i M_ci over every level, then peeled
    below = np.zeros_like(at_or_above)  # Σ_{i below the level} X_ri M_ci
    out = np.empty_like(xs)
    for k, level in enumerate(levels):
        block = slice(bounds[k], bounds[k + 1])
        out[:, block] = (at_or_above + below / level) @ ms[:, block]
        q = xs[:, block] @ ms[:, block].T
        at_or_above -= q / level
        below += q
    result = np.empty_like(out)
    result[:, order] = out
    return result - x


def density_coi_cog(
    m: np.ndarray, u: np.ndarray, kp: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Density ω, raw COI and raw COG (py-ecomplexity ``calc_density`` and ``calc_coi_cog``).

    ω_cp = Σ_p' M_cp' φ_p'p / Σ_p' φ_p'p; COI_c = Σ_p ω_cp (1 − M_cp) kp_p;
    COG_cp = (1 − M_cp) Σ_p' (1 − M_cp') φ_p'p kp_p' / Σ_p'' φ_p'p'' (the Stata mata line
    ``(1 :- M):*((1 :- M) * (proximity :* ((kp1d:/(proximity*J(Npx,1,1)))*J(1,Npx,1))))``).
    Products with no proximity to any other get density 0 rather than 0/0.
    """
    c = m.shape[0]
    both = times_proximity(np.vstack([m, np.ones((1, m.shape[1]))]), m, u)
    col = both[c]
    safe = np.where(col > 0, col, 1.0)
    density = both[:c] / safe[None, :]
    absent = 1.0 - m
    coi = (density * absent * kp[None, :]).sum(axis=1)
    cog = absent * times_proximity(absent * (kp / safe)[None, :], m, u)
    return density, coi, cog
