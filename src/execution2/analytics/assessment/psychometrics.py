"""Reliability and agreement of Likert scales, for one answer matrix or many groups at once.

Two forms of every statistic:

- on a plain matrix (rows = respondents, columns = items, NaN = not answered), for tests, for
  reading and for small data: `cronbach_alpha`, `feldt_interval`, `corrected_item_total`,
  `mcdonald_omega`, `rwg`, `rwg_j`;
- batched over many groups from additive sufficient statistics (`n`, sums, cross-products), which
  is how `scoring.score_cycle` computes them for every manager, unit and organization at once:
  `alpha_from_moments`, `item_total_from_moments`, `omega_from_moments`, `rwg_j_from_variances`.

Definitions (design.md 4.1):

- Cronbach's alpha = k/(k-1) (1 - sum of item variances / variance of the total), over the
  respondents who answered every item of the scale (listwise).
- Feldt's 95% interval: 1 - (1 - alpha) F(q; n-1, (n-1)(k-1)) at the upper and lower 2.5% points
  of the F distribution (Feldt, Woodruff & Salih 1987; the interval pingouin reports).
- Corrected item-total correlation: item i against the sum of the other items.
- McDonald's omega (one factor): (sum of loadings)^2 / ((sum of loadings)^2 + sum of uniquenesses),
  from a one-factor principal-axis fit of the item correlation matrix.
- rwg = 1 - s^2 / sigma_E^2 and rwg(j) = J(1 - m/sigma_E^2) / (J(1 - m/sigma_E^2) + m/sigma_E^2)
  with m the mean item variance, the
  uniform null sigma_E^2 = (A^2 - 1) / 12 (= 2 for A = 5 options); s² the sample variance
  (n - 1); values with more variance than the null are truncated to 0 (James, Demaree & Wolf
  1984; Lindell & Brandt 1997).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.stats import f as f_distribution

FloatArray = npt.NDArray[np.float64]
OPTIONS = 5
UNIFORM_NULL_VARIANCE = (OPTIONS**2 - 1) / 12.0
OMEGA_ITERATIONS = 60
TINY = 1e-9


def uniform_null_variance(options: int = OPTIONS) -> float:
    return (options**2 - 1) / 12.0


def _complete(matrix: npt.ArrayLike) -> FloatArray:
    data = np.asarray(matrix, dtype=np.float64)
    if data.ndim != 2:
        raise ValueError("expected a 2-D matrix: respondents x items")
    return data[~np.isnan(data).any(axis=1)]


def cronbach_alpha(matrix: npt.ArrayLike) -> float:
    """Alpha of a respondents x items matrix, listwise over respondents with every item."""
    data = _complete(matrix)
    n, k = data.shape
    if n < 2 or k < 2:
        return float("nan")
    item_variances = data.var(axis=0, ddof=1).sum()
    total_variance = data.sum(axis=1).var(ddof=1)
    if total_variance <= 0:
        return float("nan")
    return float(k / (k - 1) * (1 - item_variances / total_variance))


def feldt_interval(
    alpha: npt.ArrayLike, n: npt.ArrayLike, k: npt.ArrayLike, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Feldt's interval for alpha from n respondents and k items (arrays broadcast)."""
    a = np.asarray(alpha, dtype=np.float64)
    df1 = np.asarray(n, dtype=np.float64) - 1
    df2 = df1 * (np.asarray(k, dtype=np.float64) - 1)
    tail = (1 - confidence) / 2
    valid = (df1 >= 1) & (df2 >= 1) & np.isfinite(a)
    safe1 = np.where(valid, df1, 1.0)
    safe2 = np.where(valid, df2, 1.0)
    lower = 1 - (1 - a) * f_distribution.isf(tail, safe1, safe2)
    upper = 1 - (1 - a) * f_distribution.isf(1 - tail, safe1, safe2)
    return (
        np.where(valid, lower, np.nan).astype(np.float64),
        np.where(valid, upper, np.nan).astype(np.float64),
    )


def corrected_item_total(matrix: npt.ArrayLike) -> FloatArray:
    """Each item's correlation with the sum of the other items (listwise)."""
    data = _complete(matrix)
    total = data.sum(axis=1)
    out = np.full(data.shape[1], np.nan)
    for i in range(data.shape[1]):
        rest = total - data[:, i]
        if data[:, i].std() > 0 and rest.std() > 0:
            out[i] = np.corrcoef(data[:, i], rest)[0, 1]
    return out


def rwg(answers: npt.ArrayLike, options: int = OPTIONS) -> float:
    """Within-group agreement on one item."""
    data = np.asarray(answers, dtype=np.float64)
    data = data[~np.isnan(data)]
    if data.size < 2:
        return float("nan")
    ratio = data.var(ddof=1) / uniform_null_variance(options)
    return float(max(0.0, 1.0 - ratio))


def rwg_j(matrix: npt.ArrayLike, options: int = OPTIONS) -> float:
    """Within-group agreement on a scale of J items (item variances pairwise)."""
    data = np.asarray(matrix, dtype=np.float64)
    variances = np.array(
        [
            np.nanvar(column, ddof=1) if np.sum(~np.isnan(column)) >= 2 else np.nan
            for column in data.T
        ]
    )
    result = rwg_j_from_variances(
        np.array([np.nanmean(variances) if np.isfinite(variances).any() else np.nan]),
        data.shape[1],
        options,
    )
    return float(result[0])


def rwg_j_from_variances(
    mean_variance: FloatArray, items: int, options: int = OPTIONS
) -> FloatArray:
    ratio = mean_variance / uniform_null_variance(options)
    agreement = items * (1 - ratio)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = agreement / (agreement + ratio)
    # More disagreement than random answering: no agreement at all.
    value = np.where(ratio >= 1, 0.0, value)
    return np.where(np.isfinite(mean_variance), value, np.nan).astype(np.float64)


def covariance_from_moments(n: FloatArray, sums: FloatArray, cross: FloatArray) -> FloatArray:
    """Sample covariances (G, k, k) from counts (G,), sums (G, k) and cross-products (G, k, k)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_outer = sums[:, :, None] * sums[:, None, :] / n[:, None, None]
        cov = (cross - mean_outer) / (n[:, None, None] - 1)
    return np.where((n >= 2)[:, None, None], cov, np.nan).astype(np.float64)


def alpha_from_covariance(cov: FloatArray) -> FloatArray:
    k = cov.shape[-1]
    trace = np.trace(cov, axis1=1, axis2=2)
    total = cov.sum(axis=(1, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = k / (k - 1) * (1 - trace / total)
    # Moments cancel to a tiny positive number where the true variance is 0.
    return np.where(total > TINY, alpha, np.nan).astype(np.float64)


def alpha_from_moments(n: FloatArray, sums: FloatArray, cross: FloatArray) -> FloatArray:
    return alpha_from_covariance(covariance_from_moments(n, sums, cross))


def item_total_from_covariance(cov: FloatArray) -> FloatArray:
    """(G, k) corrected item-total correlations from covariance matrices."""
    row = cov.sum(axis=2)
    total = cov.sum(axis=(1, 2))
    diag = np.diagonal(cov, axis1=1, axis2=2)
    covariance = row - diag
    rest_variance = total[:, None] - 2 * row + diag
    with np.errstate(invalid="ignore", divide="ignore"):
        r = covariance / np.sqrt(diag * rest_variance)
    return np.where((diag > TINY) & (rest_variance > TINY), r, np.nan).astype(np.float64)


def omega_from_covariance(cov: FloatArray) -> FloatArray:
    """McDonald's omega per group from a one-factor principal-axis fit of the correlations."""
    g, k, _ = cov.shape
    diag = np.diagonal(cov, axis1=1, axis2=2)
    ok = np.isfinite(cov).all(axis=(1, 2)) & (diag > TINY).all(axis=1)
    out = np.full(g, np.nan)
    if not ok.any():
        return out
    c = cov[ok]
    scale = np.sqrt(np.diagonal(c, axis1=1, axis2=2))
    corr = c / scale[:, :, None] / scale[:, None, :]
    # Start from squared multiple correlations where the matrix inverts, else from 0.5.
    try:
        inverse_diag = np.diagonal(np.linalg.inv(corr), axis1=1, axis2=2)
        communality = np.clip(1 - 1 / inverse_diag, 0.05, 0.995)
    except np.linalg.LinAlgError:
        communality = np.full((corr.shape[0], k), 0.5)
    communality = np.where(np.isfinite(communality), communality, 0.5)
    eye = np.eye(k, dtype=bool)
    loadings = np.zeros((corr.shape[0], k))
    active = np.arange(corr.shape[0])
    # Principal-axis iterations; groups leave the batch as soon as their communalities settle.
    for _ in range(OMEGA_ITERATIONS):
        reduced = np.where(eye, communality[active][:, :, None] * eye, corr[active])
        values, vectors = np.linalg.eigh(reduced)
        top = np.clip(values[:, -1], 0.0, None)
        fitted = vectors[:, :, -1] * np.sqrt(top)[:, None]
        loadings[active] = fitted
        new = np.clip(fitted**2, 0.0, 0.995)
        moving = np.max(np.abs(new - communality[active]), axis=1) >= 1e-5
        communality[active] = new
        active = active[moving]
        if active.size == 0:
            break
    # The eigenvector's sign is arbitrary: orient loadings to sum positive.
    loadings = loadings * np.where(loadings.sum(axis=1) < 0, -1.0, 1.0)[:, None]
    common = loadings.sum(axis=1) ** 2
    unique = (1 - loadings**2).sum(axis=1)
    out[ok] = common / (common + unique)
    return out


def mcdonald_omega(matrix: npt.ArrayLike) -> float:
    data = _complete(matrix)
    if data.shape[0] < 3 or data.shape[1] < 2:
        return float("nan")
    cov = np.cov(data, rowvar=False)[None, :, :]
    return float(omega_from_covariance(cov)[0])
