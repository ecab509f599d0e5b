"""Out-of-fold model metrics, written out so each can be checked by hand."""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata


def auc(y: np.ndarray, score: np.ndarray) -> float | None:
    """Area under the ROC curve by the rank-sum (Mann-Whitney) identity; ties count half."""
    pos = y == 1
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = rankdata(score)
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def classification(y: np.ndarray, p: np.ndarray) -> dict:
    """Accuracy at 0.5, AUC, log loss, Brier score, and the majority-class baseline."""
    eps = 1e-15
    q = np.clip(p, eps, 1 - eps)
    rate = float(y.mean())
    return {
        "accuracy": float(((p >= 0.5) == (y == 1)).mean()),
        "auc": auc(y, p),
        "log_loss": float(-(y * np.log(q) + (1 - y) * np.log(1 - q)).mean()),
        "brier": float(((p - y) ** 2).mean()),
        "positive_rate": rate,
        "baseline_accuracy": max(rate, 1 - rate),
    }


def poisson_deviance(y: np.ndarray, mu: np.ndarray) -> float:
    """Mean Poisson deviance 2·mean(y ln(y/μ) − (y − μ)), with 0·ln 0 = 0."""
    mu = np.maximum(mu, 1e-12)
    term = np.where(y > 0, y * np.log(np.where(y > 0, y, 1) / mu), 0.0)
    return float(2 * (term - (y - mu)).mean())


def count(y: np.ndarray, mu: np.ndarray, mu_null: np.ndarray) -> dict:
    """Poisson deviance (model and null: the training mean), its share explained, MAE, RMSE."""
    dev, dev0 = poisson_deviance(y, mu), poisson_deviance(y, mu_null)
    return {
        "poisson_deviance": dev,
        "null_deviance": dev0,
        "deviance_explained": 1 - dev / dev0 if dev0 > 0 else None,
        "mae": float(np.abs(y - mu).mean()),
        "rmse": float(np.sqrt(((y - mu) ** 2).mean())),
    }


def regression(y: np.ndarray, pred: np.ndarray, pred_null: np.ndarray) -> dict:
    """RMSE, MAE and out-of-fold R² against the training-mean prediction."""
    sse, sse0 = ((y - pred) ** 2).sum(), ((y - pred_null) ** 2).sum()
    return {
        "rmse": float(np.sqrt(sse / y.size)),
        "mae": float(np.abs(y - pred).mean()),
        "r2": float(1 - sse / sse0) if sse0 > 0 else None,
    }
