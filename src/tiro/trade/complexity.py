"""Economic complexity in the Harvard Growth Lab's definitions (py-ecomplexity, Atlas).

For one period: rectangularise locations × products (dropping all-zero rows and columns),
Balassa RCA, presence M_cp = [RCA ≥ threshold] (parameter ``trade.complexity.rca_threshold``),
diversity k_c = Σ_p M, ubiquity k_p = Σ_c M. ECI and PCI come from the eigenvector of the
second-largest eigenvalue; the sign is chosen so ECI correlates positively with diversity.
Proximity, density, COI and COG are in ``tiro.trade.product_space``.

**The small eigenproblem.** py-ecomplexity solves the products × products matrix
M̃p = BA with A = D_c⁻¹M and B = D_p⁻¹Mᵀ (``np.linalg.eig`` on 5,000 × 5,000 for HS6).
M̃c = AB (countries × countries) has the same non-zero eigenvalues, and if v is an
eigenvector of AB then Bv is one of BA for the same eigenvalue (BA·Bv = B·ABv = λ·Bv). So
the eigenproblem is solved on the smaller side — symmetrised as D^-½ M D_p⁻¹ Mᵀ D^-½ for
``numpy.linalg.eigh`` — and PCI is k_p = B·k_c, scaled to a unit vector as ``eig`` returns
it; ECI is then k_c = A·k_p exactly as py-ecomplexity computes it from k_p.

Normalisation (``normalization``):

* ``growthlab`` (default) — PCI is standardised with the **ECI's** mean and standard
  deviation, so that a location's ECI is the mean PCI of its products; COG is divided by the
  ECI's sd; COI is z-scored on its own. This is py-ecomplexity's convention (its issues #14,
  #19 and #23 ask whether it is a bug; it is by design, ecomplexity issue #3).
* ``self`` — ECI and PCI each z-scored on their own mean and sd.
* ``none`` — the raw eigenvector values.

The sd uses ``ddof`` (0, numpy's and py-ecomplexity's population sd, by default; 1 for the
sample sd). COI with zero spread (every location equally placed) cannot be z-scored and is
NaN.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import polars as pl
from threadpoolctl import threadpool_limits

from tiro.core.errors import InvalidInput
from tiro.trade.product_space import density_coi_cog
from tiro.trade.product_space import proximity as product_proximity

Normalization = Literal["growthlab", "self", "none"]
NORMALIZATIONS = ("growthlab", "self", "none")


@dataclass(frozen=True)
class Complexity:
    """Results for one period: per location, per product, and the cell matrices."""

    locations: pl.DataFrame
    products: pl.DataFrame
    rca: np.ndarray
    mcp: np.ndarray
    density: np.ndarray | None
    cog: np.ndarray | None
    eigenvalue: float

    @cached_property
    def proximity(self) -> np.ndarray:
        """Product proximity φ (products × products; built on first use, 200 MB at 5,000)."""
        return product_proximity(self.mcp, self.mcp.sum(axis=0))

    def cells(self) -> pl.DataFrame:
        """Long table loc, prod, rca, mcp[, density, cog] (large: C × P rows)."""
        locs = self.locations["loc"].to_numpy()
        prods = self.products["prod"].to_numpy()
        data = {
            "loc": np.repeat(locs, prods.size),
            "prod": np.tile(prods, locs.size),
            "rca": self.rca.ravel(),
            "mcp": self.mcp.ravel().astype(np.int8),
        }
        if self.density is not None:
            data["density"] = self.density.ravel()
        if self.cog is not None:
            data["cog"] = self.cog.ravel()
        return pl.DataFrame(data)


def matrix(
    exports: pl.DataFrame, *, loc: str = "reporter", prod: str = "product", value: str = "value"
) -> tuple[np.ndarray, list[str], list[str]]:
    """Dense locations × products matrix (duplicate cells summed, all-zero lines dropped)."""
    if exports.is_empty():
        raise InvalidInput("no export rows to compute complexity from", field="input")
    if (exports[value] < 0).any():
        raise InvalidInput("export values must not be negative", field=value)
    totals_l = exports.group_by(loc).agg(pl.col(value).sum()).filter(pl.col(value) > 0)
    totals_p = exports.group_by(prod).agg(pl.col(value).sum()).filter(pl.col(value) > 0)
    locs = sorted(totals_l[loc].to_list())
    prods = sorted(totals_p[prod].to_list())
    if not locs or not prods:
        raise InvalidInput("no positive export values to compute complexity from", field=value)
    li = pl.DataFrame({loc: locs, "_i": range(len(locs))}, schema_overrides={"_i": pl.Int64})
    pi = pl.DataFrame({prod: prods, "_j": range(len(prods))}, schema_overrides={"_j": pl.Int64})
    idx = exports.join(li, on=loc).join(pi, on=prod)
    flat = (idx["_i"] * len(prods) + idx["_j"]).to_numpy()
    x = np.bincount(flat, weights=idx[value].to_numpy(), minlength=len(locs) * len(prods))
    return x.reshape(len(locs), len(prods)), locs, prods


def _leading_vectors(m: np.ndarray, d: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, float]:
    """k_p (unit norm) and λ₂ of M̃p = BA, solved on the smaller of AB and BA (module doc)."""
    c, p = m.shape
    if c <= p:
        # AB = D⁻¹ M U⁻¹ Mᵀ is similar to S = D^-½ M U⁻¹ Mᵀ D^-½ (symmetric); its eigenvector
        # v = D^-½ y, and B v = U⁻¹ Mᵀ v is the eigenvector of BA for the same λ₂.
        left = m / np.sqrt(d)[:, None]
        s = (left / u[None, :]) @ left.T
        vals, vecs = np.linalg.eigh(s)
        kc = vecs[:, -2] / np.sqrt(d)
        kp = (m / u[None, :]).T @ kc
    else:
        # Mpp = U⁻¹ Mᵀ D⁻¹ M is similar to S = U^-½ Mᵀ D⁻¹ M U^-½ (symmetric).
        right = m / np.sqrt(u)[None, :]
        s = right.T @ (right / d[:, None])
        vals, vecs = np.linalg.eigh(s)
        kp = vecs[:, -2] / np.sqrt(u)
    norm = float(np.linalg.norm(kp))
    if not np.isfinite(norm) or norm < 1e-12:
        raise InvalidInput(
            "complexity is undefined for this table: every location exports the same set of "
            "products, so there is no second eigenvector to rank them by",
            field="input",
        )
    return kp / norm, float(vals[-2])


def complexity(
    exports: pl.DataFrame,
    *,
    threshold: float,
    loc: str = "reporter",
    prod: str = "product",
    value: str = "value",
    normalization: Normalization = "growthlab",
    ddof: int = 0,
    with_density: bool = True,
) -> Complexity:
    """Diversity, ubiquity, RCA, M, ECI, PCI, proximity, density, COI and COG for one period."""
    if normalization not in NORMALIZATIONS:
        raise InvalidInput(
            f"unknown normalization {normalization!r} ({', '.join(NORMALIZATIONS)})",
            field="normalization",
        )
    if ddof not in (0, 1):
        raise InvalidInput(f"{ddof} is not 0 (population sd) or 1 (sample sd)", field="ddof")
    x, locs, prods = matrix(exports, loc=loc, prod=prod, value=value)
    if len(locs) < 2 or len(prods) < 2:
        raise InvalidInput(
            "complexity needs at least two locations and two products", field="input"
        )
    share_l = x / x.sum(axis=1, keepdims=True)
    share_w = x.sum(axis=0, keepdims=True) / x.sum()
    rca = share_l / share_w
    m = (rca >= threshold).astype(np.float64)
    d, u = m.sum(axis=1), m.sum(axis=0)
    if (d == 0).any() or (u == 0).any():
        raise InvalidInput(
            "some locations or products have no RCA at or above the threshold; lower it",
            field="threshold",
        )
    # The products here are countries-sized (200 × 5,000 × 200 at most): BLAS threads only
    # add start-up and contention (0.25 s vs 1.0 s a month on the shared 2-core machine).
    with threadpool_limits(limits=1, user_api="blas"):
        kp, eigenvalue = _leading_vectors(m, d, u)
        kc = (m / d[:, None]) @ kp
        sign = 1.0
        if d.std() > 0 and kc.std() > 0:
            sign = float(np.sign(np.corrcoef(d, kc)[0, 1])) or 1.0
        kc, kp = sign * kc, sign * kp
        density = cog = None
        coi = np.full(len(locs), np.nan)
        if with_density:
            density, coi, cog = density_coi_cog(m, u, kp)
    eci, pci, coi, cog = _normalise(kc, kp, coi, cog, normalization, ddof)
    if not (np.isfinite(eci).all() and np.isfinite(pci).all()):
        raise InvalidInput(
            "complexity is undefined for this table: ECI or PCI has no spread to standardise "
            "(try --normalization none)",
            field="input",
        )
    locations = pl.DataFrame({"loc": locs, "diversity": d.astype(np.int64), "eci": eci, "coi": coi})
    products = pl.DataFrame({"prod": prods, "ubiquity": u.astype(np.int64), "pci": pci})
    return Complexity(locations, products, rca, m, density, cog, eigenvalue)


def _normalise(kc, kp, coi, cog, how: str, ddof: int):
    if how == "none":
        return kc, kp, coi, cog
    mu, sd = kc.mean(), kc.std(ddof=ddof)
    eci = (kc - mu) / sd
    if how == "growthlab":
        pci = (kp - mu) / sd
        cog = None if cog is None else cog / sd
    else:
        pci = (kp - kp.mean()) / kp.std(ddof=ddof)
    spread = coi.std(ddof=ddof)
    coi = (coi - coi.mean()) / spread if spread > 0 else np.full_like(coi, np.nan)
    return eci, pci, coi, cog
