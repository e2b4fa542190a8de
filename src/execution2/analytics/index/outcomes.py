"""Did the index tell successes from failures? AUC and suggested weights from recorded outcomes.

When a plan or initiative closes, an admin records its outcome: "succeeded", "partly" or
"failed". The question asked here is binary (success against failure), so **"partly" is left
out** of both analyses and counted separately: scoring it 0.5 would mix a different question
(degree of success) into an AUC that is defined for two classes.

- `outcome_auc`: the AUC of the index (the probability that a random success scored higher
  than a random failure, ties counting half: the Mann-Whitney statistic), with DeLong's
  variance and a normal interval clipped to [0, 1]. With perfectly separated outcomes DeLong's
  variance is zero and the interval is a point: read it with its n.
- `suggest_weights`: an L2-regularised logistic regression of the outcome on the nine
  component scores (standardised; a missing score is imputed with its column's mean, so it
  carries no signal), whose positive coefficients, brought back to the 0-100 scale, become
  non-negative weights summing to 1. A negative coefficient (a component that went *against*
  success) gets weight 0: a weight can't be negative. The fit is cross-validated (stratified
  5-fold) so the suggestion is judged on outcomes it didn't see, next to the current weights.

Both say how many outcomes they rest on and are only `enough` with at least `MIN_OUTCOMES`
successes and failures together, `MIN_PER_CLASS` of each: below that a fit is noise.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.stats import norm
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from execution2.analytics.index.components import COMPONENTS, DEFAULT_WEIGHTS
from execution2.analytics.index.compute import index_arrays, weight_vector

FloatArray = npt.NDArray[np.float64]

OUTCOMES = ("succeeded", "partly", "failed")
MIN_OUTCOMES = 20
MIN_PER_CLASS = 5
DEFAULT_C = 1.0
FOLDS = 5


@dataclass(frozen=True, slots=True)
class Auc:
    auc: float | None
    low: float | None
    high: float | None
    confidence: float
    successes: int
    failures: int
    partly: int
    """Left out of the AUC (see the module docstring)."""
    enough: bool
    reason: str
    """Why the figure isn't there or isn't enough yet; "" when it is."""


@dataclass(frozen=True)
class WeightSuggestion:
    weights: Mapping[str, float] | None
    """Suggested weights (non-negative, sum 1), or None with `reason`."""
    reason: str
    successes: int
    failures: int
    partly: int
    coefficients: Mapping[str, float]
    """Standardised logistic coefficients (log-odds per standard deviation)."""
    auc_current: float | None
    """Cross-validated AUC of the index with the current weights (same folds)."""
    auc_suggested: float | None
    """Cross-validated AUC of the index with weights fitted on the other folds."""


def _labels(outcomes: Sequence[str]) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], int]:
    unknown = sorted(set(outcomes) - set(OUTCOMES))
    if unknown:
        raise ValueError(f"unknown outcomes: {', '.join(unknown)}")
    array = np.asarray(outcomes, dtype=object)
    keep = array != "partly"
    success = array == "succeeded"
    return keep, success, int(np.sum(~keep))


def _counted(successes: int, failures: int) -> str:
    return (
        f"{successes} success{'' if successes == 1 else 'es'} and "
        f"{failures} failure{'' if failures == 1 else 's'}"
    )


def auc_score(values: FloatArray, success: npt.NDArray[np.bool_]) -> float:
    """Mann-Whitney AUC: P(success scores higher than failure), ties counting 1/2."""
    if success.all() or not success.any():
        raise ValueError("the AUC needs at least one success and one failure")
    return float(roc_auc_score(success, values))


def delong_variance(values: FloatArray, success: npt.NDArray[np.bool_]) -> float:
    """DeLong, DeLong & Clarke-Pearson (1988) variance of the empirical AUC."""
    pos, neg = values[success], values[~success]
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    v10 = psi.mean(axis=1)
    v01 = psi.mean(axis=0)
    s10 = float(np.var(v10, ddof=1)) if len(pos) > 1 else 0.0
    s01 = float(np.var(v01, ddof=1)) if len(neg) > 1 else 0.0
    return s10 / len(pos) + s01 / len(neg)


def outcome_auc(
    index: Sequence[float] | FloatArray,
    outcomes: Sequence[str],
    *,
    confidence: float = 0.90,
) -> Auc:
    """How well the index separated recorded successes from failures (module docstring).

    `index[i]` is the index behind outcome i (as of when the plan or initiative was judged);
    outcomes with no index (NaN) are left out.
    """
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    values = np.asarray(index, dtype=np.float64)
    if len(values) != len(outcomes):
        raise ValueError("index and outcomes differ in length")
    keep, success, partly = _labels(outcomes)
    keep &= ~np.isnan(values)
    values, success = values[keep], success[keep]
    successes, failures = int(success.sum()), int((~success).sum())
    if successes == 0 or failures == 0:
        return Auc(
            None,
            None,
            None,
            confidence,
            successes,
            failures,
            partly,
            False,
            "The AUC needs at least one success and one failure with an index.",
        )
    auc = auc_score(values, success)
    se = math.sqrt(max(delong_variance(values, success), 0.0))
    z = float(norm.ppf(0.5 + confidence / 2))
    enough = successes + failures >= MIN_OUTCOMES and min(successes, failures) >= MIN_PER_CLASS
    reason = (
        ""
        if enough
        else f"Only {_counted(successes, failures)}: at least {MIN_OUTCOMES} "
        f"outcomes with {MIN_PER_CLASS} of each are needed before the AUC means much."
    )
    return Auc(
        auc=auc,
        low=max(0.0, auc - z * se),
        high=min(1.0, auc + z * se),
        confidence=confidence,
        successes=successes,
        failures=failures,
        partly=partly,
        enough=enough,
        reason=reason,
    )


def _fit(x: FloatArray, y: npt.NDArray[np.bool_], c: float) -> tuple[FloatArray, FloatArray]:
    """Standardised coefficients and the raw-scale non-negative direction (unnormalised)."""
    mean = x.mean(axis=0)
    sd = x.std(axis=0)
    usable = sd > 1e-9
    z = np.zeros_like(x)
    z[:, usable] = (x[:, usable] - mean[usable]) / sd[usable]
    model = LogisticRegression(C=c, max_iter=1000)
    model.fit(z, y.astype(np.int64))
    beta = np.where(usable, model.coef_[0], 0.0)
    direction = np.where(usable, np.maximum(beta, 0.0) / np.where(usable, sd, 1.0), 0.0)
    return beta, direction


def _impute(scores: FloatArray) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    observed = ~np.isnan(scores)
    has = observed.any(axis=0)
    means = np.zeros(scores.shape[1])
    counts = observed.sum(axis=0)
    means[has] = np.where(observed, scores, 0.0).sum(axis=0)[has] / counts[has]
    filled: FloatArray = np.where(observed, scores, means[None, :])
    return filled, np.asarray(has, dtype=np.bool_)


def suggest_weights(
    scores: FloatArray,
    outcomes: Sequence[str],
    *,
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
    c: float = DEFAULT_C,
    seed: int = 0,
) -> WeightSuggestion:
    """Weights that would have best separated the outcomes (module docstring).

    `scores` (N, 9): the component scores behind each outcome in `COMPONENTS` order, NaN where
    missing. `weights` are the current ones, for the comparison.
    """
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 2 or scores.shape[1] != len(COMPONENTS):
        raise ValueError(f"scores must have {len(COMPONENTS)} columns")
    if scores.shape[0] != len(outcomes):
        raise ValueError("scores and outcomes differ in length")
    current = weight_vector(weights)
    keep, success, partly = _labels(outcomes)
    keep &= ~np.all(np.isnan(scores), axis=1)
    x_raw, y = scores[keep], success[keep]
    successes, failures = int(y.sum()), int((~y).sum())

    def refuse(reason: str) -> WeightSuggestion:
        return WeightSuggestion(None, reason, successes, failures, partly, {}, None, None)

    if successes + failures < MIN_OUTCOMES or min(successes, failures) < MIN_PER_CLASS:
        return refuse(
            f"Not enough outcomes yet: {_counted(successes, failures)}; at least "
            f"{MIN_OUTCOMES} with {MIN_PER_CLASS} of each are needed for a fit worth reading."
        )
    x, has = _impute(x_raw)
    beta, direction = _fit(x, y, c)
    if direction.sum() <= 0:
        return refuse(
            "No component scored higher for successes than for failures: no weights to suggest."
        )
    suggested = direction / direction.sum()

    folds = StratifiedKFold(
        n_splits=min(FOLDS, successes, failures), shuffle=True, random_state=seed
    )
    held_current = np.full(len(y), np.nan)
    held_suggested = np.full(len(y), np.nan)
    current_index, _ = index_arrays(x_raw, current)
    for train, test in folds.split(x, y):
        train_x, _ = _impute(x_raw[train])
        _, fold_direction = _fit(train_x, y[train], c)
        fold_weights = (
            fold_direction / fold_direction.sum() if fold_direction.sum() > 0 else current
        )
        held_suggested[test], _ = index_arrays(x_raw[test], fold_weights)
        held_current[test] = current_index[test]

    def cv_auc(values: FloatArray) -> float | None:
        ok = ~np.isnan(values)
        if not (ok & y).any() or not (ok & ~y).any():
            return None
        return auc_score(values[ok], y[ok])

    note = ""
    if not has.all():
        absent = [key for key, h in zip(COMPONENTS, has, strict=True) if not h]
        note = f" No data for {', '.join(absent)}: weight 0."
    return WeightSuggestion(
        weights={key: float(w) for key, w in zip(COMPONENTS, suggested, strict=True)},
        reason="Fitted on "
        f"{successes + failures} outcomes (L2-regularised logistic regression, C={c}).{note}",
        successes=successes,
        failures=failures,
        partly=partly,
        coefficients={key: float(b) for key, b in zip(COMPONENTS, beta, strict=True)},
        auc_current=cv_auc(held_current),
        auc_suggested=cv_auc(held_suggested),
    )
