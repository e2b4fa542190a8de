"""Which attributes drive an outcome: Johnson's (2000) relative weights with bootstrap intervals.

`relative_weights` splits a regression's R² among correlated predictors: the predictors are
replaced by their closest orthogonal counterparts Z = X (X'X)^-1/2, the outcome is regressed on
Z, and each predictor gets the variance it shares through Z (its raw weight; they sum to R²).
It agrees closely with general dominance weights (Johnson 2000; LeBreton, Ployhart & Ladd 2004)
at a fraction of the cost, and works from a correlation matrix alone.

`drivers` computes the weights for many groups at once (the organization, every unit), with a
Poisson bootstrap (each respondent drawn Poisson(1) times per replicate; Hanley & MacGibbon
2006), so a replicate's moments add up over cells and the unit tree exactly as the point
estimate's do: one pass over the rows per replicate whatever the number of groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# About ten observations per predictor for six attributes (a common floor for regression).
DRIVER_MIN_N = 60
REPLICATES = 200
LEVEL = 0.90


@dataclass(frozen=True, slots=True)
class Weights:
    raw: FloatArray
    r2: float

    @property
    def rescaled(self) -> FloatArray:
        """Each predictor's share of R², in percent."""
        return self.raw / self.r2 * 100 if self.r2 > 0 else np.full_like(self.raw, np.nan)


def relative_weights(rxx: FloatArray, rxy: FloatArray) -> Weights:
    """Raw relative weights from the predictors' correlations `rxx` and their correlations
    with the outcome `rxy`."""
    raw, r2 = _batched(rxx[None, :, :], rxy[None, :])
    return Weights(raw=raw[0], r2=float(r2[0]))


def _batched(rxx: FloatArray, rxy: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Relative weights for a stack of problems: rxx (m, p, p), rxy (m, p)."""
    values, vectors = np.linalg.eigh(rxx)
    values = np.clip(values, 1e-12, None)
    # Lambda = (X'X)^1/2: the regression of X on its orthogonal counterparts Z.
    root = (vectors * np.sqrt(values)[:, None, :]) @ np.swapaxes(vectors, 1, 2)
    inverse_root = (vectors / np.sqrt(values)[:, None, :]) @ np.swapaxes(vectors, 1, 2)
    beta = np.einsum("mij,mj->mi", inverse_root, rxy)  # outcome on Z
    raw = np.einsum("mij,mj->mi", root**2, beta**2)
    return raw, (beta**2).sum(axis=1)


@dataclass(frozen=True, slots=True)
class Driver:
    n: int
    r2: float
    raw: FloatArray  # (p,)
    low: FloatArray  # (p,) bootstrap interval of the raw weight
    high: FloatArray

    @property
    def rescaled(self) -> FloatArray:
        return self.raw / self.r2 * 100 if self.r2 > 0 else np.full_like(self.raw, np.nan)

    def as_json(self, names: Sequence[str]) -> dict[str, Any]:
        return {
            "n": self.n,
            "r2": round(self.r2, 4),
            "weights": {
                name: {
                    "raw": round(float(self.raw[i]), 4),
                    "share": round(float(self.rescaled[i]), 1),
                    "ci90": [round(float(self.low[i]), 4), round(float(self.high[i]), 4)],
                }
                for i, name in enumerate(names)
            },
        }


def _features(values: FloatArray) -> FloatArray:
    """Per row: 1, each variable, and each product of two (upper triangle): their sums are the
    sufficient statistics of a correlation matrix."""
    rows, q = values.shape
    upper = np.triu_indices(q)
    products = values[:, upper[0]] * values[:, upper[1]]
    return np.concatenate([np.ones((rows, 1)), values, products], axis=1)


def _correlations(sums: FloatArray, q: int) -> tuple[FloatArray, FloatArray]:
    """(m, features) sums -> correlation matrices (m, q, q) and the counts (m,)."""
    n = sums[:, 0]
    safe = np.where(n > 1, n, np.nan)
    mean = sums[:, 1 : 1 + q] / safe[:, None]
    upper = np.triu_indices(q)
    cross = np.zeros((sums.shape[0], q, q))
    cross[:, upper[0], upper[1]] = sums[:, 1 + q :]
    cross = cross + np.swapaxes(cross, 1, 2) - cross * np.eye(q)
    cov = cross / safe[:, None, None] - mean[:, :, None] * mean[:, None, :]
    sd = np.sqrt(np.clip(np.diagonal(cov, axis1=1, axis2=2), 0, None))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / (sd[:, :, None] * sd[:, None, :])
    return corr, n


def drivers(
    predictors: FloatArray,
    outcome: FloatArray,
    cells: IntArray,
    groups: npt.NDArray[np.bool_],
    *,
    min_n: int = DRIVER_MIN_N,
    replicates: int = REPLICATES,
    level: float = LEVEL,
    seed: int = 0,
) -> list[Driver | None]:
    """Relative weights of `predictors` (n, p) for `outcome` (n,) in every group.

    `cells` gives each row's cell (-1 leaves it out), `groups` (G, C) which cells each group
    pools (a unit and its subtree, the organization: every cell). Rows with a missing value are
    left out. A group with fewer than `min_n` rows, or no variance, gets None.
    """
    from scipy import sparse

    values = np.column_stack([predictors, outcome]).astype(np.float64)
    keep = np.isfinite(values).all(axis=1) & (cells >= 0)
    values, cells = values[keep], cells[keep]
    rows, q = values.shape
    n_cells = groups.shape[1]
    features = _features(values)
    membership = sparse.csr_matrix((np.ones(rows), (cells, np.arange(rows))), shape=(n_cells, rows))
    pool = sparse.csr_matrix(groups.astype(np.float64))

    def group_sums(weights: FloatArray | None) -> FloatArray:
        weighted = features if weights is None else features * weights[:, None]
        return np.asarray(pool @ (membership @ weighted))

    sums = group_sums(None)
    corr, n = _correlations(sums, q)
    usable = (n >= min_n) & np.isfinite(corr).all(axis=(1, 2))
    out: list[Driver | None] = [None] * groups.shape[0]
    chosen = np.flatnonzero(usable)
    if not chosen.size:
        return out
    raw, r2 = _batched(corr[chosen, :-1, :-1], corr[chosen, :-1, -1])
    rng = np.random.default_rng(seed)
    draws = np.full((replicates, chosen.size, q - 1), np.nan)
    for b in range(replicates):
        weights = np.asarray(rng.poisson(1.0, rows), dtype=np.float64)
        boot_corr, _ = _correlations(group_sums(weights)[chosen], q)
        fine = np.isfinite(boot_corr).all(axis=(1, 2))
        if fine.any():
            draws[b, fine], _ = _batched(boot_corr[fine, :-1, :-1], boot_corr[fine, :-1, -1])
    tail = (1 - level) / 2 * 100
    low = np.nanpercentile(draws, tail, axis=0)
    high = np.nanpercentile(draws, 100 - tail, axis=0)
    for position, g in enumerate(chosen.tolist()):
        out[g] = Driver(
            n=int(n[g]),
            r2=float(r2[position]),
            raw=raw[position],
            low=low[position],
            high=high[position],
        )
    return out
