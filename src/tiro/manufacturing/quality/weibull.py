"""Weibull life model fitted by maximum likelihood with right censoring (와이블 수명 분석).

With ``r`` failures at times ``t_i`` and censored units surviving to ``c_j``, the two-parameter
Weibull (scale α, shape β) has log-likelihood

    ℓ = r ln β − rβ ln α + (β − 1) Σ ln t_i − Σ_all (x/α)^β

Setting ∂ℓ/∂α = 0 gives α(β) = (Σ_all x^β / r)^(1/β); substituting, β solves the one-dimensional
profile equation Σ x^β ln x / Σ x^β − 1/β − mean(ln t_i) = 0, which is monotone in β, so a
bracketing root finder (Brent) finds the unique MLE without starting values. Standard errors
come from the inverse of the observed information (the analytic Hessian at the optimum).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy.optimize import brentq

from tiro.core.errors import InvalidInput

CONTRACT = ("alpha", "beta", "log_likelihood", "n_failures", "n_censored")
"""The keys of ``tiro manufacturing reliability weibull --json`` (issue 16)."""


@dataclass(frozen=True)
class WeibullFit:
    """The MLE, its standard errors and correlation, and the data counts."""

    alpha: float
    beta: float
    alpha_se: float
    beta_se: float
    alpha_beta_cov: float
    log_likelihood: float
    n_failures: int
    n_censored: int

    def as_dict(self) -> dict:
        """The contract's keys first, then the standard errors and covariance."""
        data = asdict(self)
        return {**{k: data[k] for k in CONTRACT}, **data}


def _check(failures: np.ndarray, censored: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(failures, dtype=float)
    c = np.asarray(censored, dtype=float)
    for name, x in (("failures", t), ("censored", c)):
        if x.size and (not np.isfinite(x).all() or (x <= 0).any()):
            raise InvalidInput(f"{name} times must be finite and > 0", field=name)
    if t.size < 2 or np.unique(t).size < 2:
        raise InvalidInput(
            "a Weibull fit needs at least 2 distinct failure times", field="failures"
        )
    return t, c


def log_likelihood(alpha: float, beta: float, failures: np.ndarray, censored: np.ndarray) -> float:
    """ℓ(α, β) of right-censored Weibull data (see the module docstring)."""
    t, c = np.asarray(failures, float), np.asarray(censored, float)
    every = np.concatenate([t, c])
    r = t.size
    return float(
        r * np.log(beta)
        - r * beta * np.log(alpha)
        + (beta - 1.0) * np.log(t).sum()
        - ((every / alpha) ** beta).sum()
    )


def fit(failures: np.ndarray, censored: np.ndarray | None = None) -> WeibullFit:
    """The MLE of (α, β) for failures ``failures`` and right-censored times ``censored``."""
    t, c = _check(failures, np.asarray([] if censored is None else censored, float))
    every = np.concatenate([t, c])
    r = t.size
    scale = every.max()  # work in x / max so x^β never overflows for large β
    x, lt = every / scale, np.log(t / scale)
    lx = np.log(x)

    def profile(beta: float) -> float:
        w = x**beta
        return (w * lx).sum() / w.sum() - 1.0 / beta - lt.mean()

    lo, hi = 1e-3, 1.0
    while profile(hi) < 0:
        hi *= 2.0
        if hi > 1e4:
            raise InvalidInput(
                "the failure times do not identify a Weibull shape", field="failures"
            )
    beta = brentq(profile, lo, hi, xtol=1e-14, rtol=1e-14, maxiter=500)
    alpha = scale * ((x**beta).sum() / r) ** (1.0 / beta)
    cov = _covariance(alpha, beta, t, every)
    return WeibullFit(
        alpha=float(alpha),
        beta=float(beta),
        alpha_se=float(np.sqrt(cov[0, 0])),
        beta_se=float(np.sqrt(cov[1, 1])),
        alpha_beta_cov=float(cov[0, 1]),
        log_likelihood=log_likelihood(alpha, beta, t, c),
        n_failures=int(r),
        n_censored=int(c.size),
    )


def _covariance(alpha: float, beta: float, t: np.ndarray, every: np.ndarray) -> np.ndarray:
    """Inverse observed information −H⁻¹ at (α, β), from the analytic second derivatives."""
    r = t.size
    z = every / alpha
    u = z**beta
    lz = np.log(z)
    h_aa = r * beta / alpha**2 - beta * (beta + 1.0) / alpha**2 * u.sum()
    h_bb = -r / beta**2 - (u * lz**2).sum()
    h_ab = -r / alpha + u.sum() / alpha + beta / alpha * (u * lz).sum()
    info = -np.array([[h_aa, h_ab], [h_ab, h_bb]])
    return np.linalg.inv(info)
