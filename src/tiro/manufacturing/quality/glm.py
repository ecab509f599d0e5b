"""Small, deterministic model fitters in NumPy: ridge, logistic and Poisson regression.

Penalised Newton-Raphson (IRLS) with an L2 penalty on every coefficient but the intercept:
a design with many dummies (the solder experiment's pad types) can separate the classes
perfectly, where an unpenalised fit has no finite optimum; the penalty keeps it finite and
the fit identical on every machine. With ``l2=0`` these are the textbook maximum-likelihood
fits (tests compare them with statsmodels).
"""

from __future__ import annotations

import numpy as np

from tiro.core.errors import InvalidInput

MAX_ITER = 100
TOL = 1e-10


def _penalty(p: int, l2: float) -> np.ndarray:
    pen = np.full(p, float(l2))
    pen[0] = 0.0  # the intercept is the first column and is not shrunk
    return np.diag(pen)


def ridge(x: np.ndarray, y: np.ndarray, l2: float = 0.0) -> np.ndarray:
    """Least squares with an L2 penalty: (XᵀX + λI₀)⁻¹ Xᵀy."""
    return np.linalg.solve(x.T @ x + _penalty(x.shape[1], l2), x.T @ y)


def _newton(x: np.ndarray, y: np.ndarray, l2: float, link: str) -> np.ndarray:
    _n, p = x.shape
    pen = _penalty(p, l2)
    beta = np.zeros(p)
    if link == "log":
        beta[0] = np.log(max(y.mean(), 1e-12))
    for _ in range(MAX_ITER):
        eta = np.clip(x @ beta, -30, 30)
        if link == "logit":
            mu = 1.0 / (1.0 + np.exp(-eta))
            w = mu * (1.0 - mu)
        else:
            mu = np.exp(eta)
            w = mu
        grad = x.T @ (y - mu) - pen @ beta
        hess = (x * w[:, None]).T @ x + pen
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            raise InvalidInput(
                "the features are collinear: add l2 > 0 or drop a column", field="features"
            ) from None
        beta = beta + step
        if np.max(np.abs(step)) < TOL * (1 + np.max(np.abs(beta))):
            break
    return beta


def logistic(x: np.ndarray, y: np.ndarray, l2: float = 0.0) -> np.ndarray:
    """Logistic regression coefficients (y in {0, 1})."""
    return _newton(x, y, l2, "logit")


def poisson(x: np.ndarray, y: np.ndarray, l2: float = 0.0) -> np.ndarray:
    """Poisson regression (log link) coefficients (y counts ≥ 0)."""
    return _newton(x, y, l2, "log")


def predict(x: np.ndarray, beta: np.ndarray, link: str) -> np.ndarray:
    """The mean response: identity, inverse logit or exp of the linear predictor."""
    eta = x @ beta
    if link == "logit":
        return 1.0 / (1.0 + np.exp(-np.clip(eta, -30, 30)))
    if link == "log":
        return np.exp(np.clip(eta, -30, 30))
    return eta
