"""Does the instrument measure six attributes? Factor structure of one cycle's answers.

- `fit_cfa`: a confirmatory factor analysis (semopy) of a measurement model given as factor ->
  items, fitted to a covariance matrix: chi-square, CFI, TLI, RMSEA with its 90% interval,
  SRMR and standardised loadings, flagged against Hu & Bentler's (1999) cut points.
- `htmt`: heterotrait-monotrait ratios between factors (Henseler, Ringle & Sarstedt 2015).
- `compare_models`: the six-factor model against one general factor (chi-square difference).
- `cycle_validity`: all of it for a cycle's answer matrix.

Estimator: maximum likelihood on the Pearson covariance of the complete cases, treating the
five-point answers as continuous. With five ordered categories that is the usual compromise
(Rhemtulla, Brosseau-Liard & Savalei 2012 find ML close to categorical estimators at five or
more categories); it is not a polychoric/DWLS fit, and it tends to understate loadings a little
on skewed items. The fit works on the covariance matrix, so its cost does not grow with the
number of respondents past computing that matrix.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

# Hu & Bentler (1999); a loading below 0.5 means the item shares less than a quarter of its
# variance with its factor.
CFI_MIN = 0.95
TLI_MIN = 0.95
RMSEA_MAX = 0.06
SRMR_MAX = 0.08
LOADING_MIN = 0.5
HTMT_MAX = 0.85  # Henseler, Ringle & Sarstedt (2015), the conservative cut point
# A rule of thumb for a stable CFA of about 30 items (Kline; Boomsma): fewer complete
# respondents and the cycle gets no factor analysis.
CFA_MIN_N = 200
ESTIMATOR = "ML on the Pearson covariance of complete cases (semopy)"


@dataclass(frozen=True, slots=True)
class Fit:
    n: int
    chi2: float
    df: int
    p: float
    cfi: float
    tli: float
    rmsea: float
    rmsea_low: float
    rmsea_high: float
    srmr: float

    def flags(self) -> tuple[str, ...]:
        out = []
        if self.cfi < CFI_MIN:
            out.append(f"CFI {self.cfi:.3f} is below {CFI_MIN}")
        if self.tli < TLI_MIN:
            out.append(f"TLI {self.tli:.3f} is below {TLI_MIN}")
        if self.rmsea > RMSEA_MAX:
            out.append(f"RMSEA {self.rmsea:.3f} is above {RMSEA_MAX}")
        if self.srmr > SRMR_MAX:
            out.append(f"SRMR {self.srmr:.3f} is above {SRMR_MAX}")
        return tuple(out)

    def as_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "chi2": round(self.chi2, 3),
            "df": self.df,
            "p": float(f"{self.p:.4g}"),
            "cfi": round(self.cfi, 3),
            "tli": round(self.tli, 3),
            "rmsea": round(self.rmsea, 3),
            "rmsea_ci90": [round(self.rmsea_low, 3), round(self.rmsea_high, 3)],
            "srmr": round(self.srmr, 3),
        }


@dataclass(frozen=True, slots=True)
class Loading:
    factor: str
    item: str
    std: float

    @property
    def weak(self) -> bool:
        return self.std < LOADING_MIN


@dataclass(frozen=True, slots=True)
class CFAResult:
    fit: Fit
    loadings: tuple[Loading, ...]
    factor_correlations: dict[tuple[str, str], float] = field(default_factory=dict)

    def flags(self) -> tuple[str, ...]:
        weak = [f"{x.item} loads {x.std:.2f} on {x.factor}" for x in self.loadings if x.weak]
        return (*self.fit.flags(), *(f"{w} (below {LOADING_MIN})" for w in weak))


@dataclass(frozen=True, slots=True)
class Comparison:
    """A nested model (fewer factors) against the fuller one."""

    delta_chi2: float
    delta_df: int
    p: float
    delta_cfi: float

    def as_json(self) -> dict[str, Any]:
        return {
            "delta_chi2": round(self.delta_chi2, 3),
            "delta_df": self.delta_df,
            "p": float(f"{self.p:.4g}"),
            "delta_cfi": round(self.delta_cfi, 3),
        }


def _description(model: Mapping[str, Sequence[str]]) -> str:
    return "\n".join(f"{factor} =~ {' + '.join(items)}" for factor, items in model.items())


def rmsea_interval(chi2: float, df: int, n: int, level: float = 0.90) -> tuple[float, float]:
    """The RMSEA interval from the noncentral chi-square (Browne & Cudeck 1993; as lavaan)."""
    from scipy.optimize import brentq
    from scipy.stats import ncx2

    tail = (1 - level) / 2

    def bound(target: float) -> float:
        # The noncentrality at which chi2 sits at the `target` quantile; 0 when even a central
        # distribution puts it below.
        def gap(nc: float) -> float:
            return float(ncx2.cdf(chi2, df, nc) if nc > 0 else _central(chi2, df)) - target

        if gap(0.0) < 0:
            return 0.0
        high = max(chi2, 1.0)
        while gap(high) > 0:
            high *= 2
        return float(brentq(gap, 0.0, high, xtol=1e-10))

    low_nc, high_nc = bound(1 - tail), bound(tail)
    scale = df * n
    return math.sqrt(low_nc / scale), math.sqrt(high_nc / scale)


def _central(chi2: float, df: int) -> float:
    from scipy.stats import chi2 as chi2_distribution

    return float(chi2_distribution.cdf(chi2, df))


def _srmr(sample: FloatArray, implied: FloatArray) -> float:
    """Bentler's SRMR: residual correlations over the lower triangle with the diagonal."""
    sd = np.sqrt(np.diag(sample))
    implied_sd = np.sqrt(np.diag(implied))
    residual = sample / np.outer(sd, sd) - implied / np.outer(implied_sd, implied_sd)
    lower = np.tril_indices(sample.shape[0])
    return float(np.sqrt(np.mean(residual[lower] ** 2)))


def fit_cfa(
    covariance: FloatArray, n: int, items: Sequence[str], model: Mapping[str, Sequence[str]]
) -> CFAResult:
    """Fit `model` (factor -> its items) to the covariance of `items` from `n` respondents.

    Factors are scaled by their first loading (fixed to 1) and allowed to correlate.
    """
    import pandas as pd
    import semopy
    from scipy.stats import chi2 as chi2_distribution

    used = [item for factor_items in model.values() for item in factor_items]
    position = {item: i for i, item in enumerate(items)}
    columns = [position[item] for item in used]
    # The maximum-likelihood (divide-by-n) covariance, so chi-square = n F_ML as in lavaan's
    # default ("normal" likelihood) and the published reference values can be matched.
    sample = covariance[np.ix_(columns, columns)] * (n - 1) / n
    frame = pd.DataFrame(sample, index=used, columns=used)
    spec = semopy.Model(_description(model))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spec.fit(cov=frame, n_samples=n, obj="MLW")
    p = len(used)
    sigma = np.asarray(spec.calc_sigma()[0], dtype=np.float64)
    # Order the implied matrix as `used`: semopy orders observed variables itself.
    order = [spec.vars["observed"].index(item) for item in used]
    implied = sigma[np.ix_(order, order)]
    chi2, df = _chi2(sample, implied, n, p, spec)
    baseline_chi2 = _baseline_chi2(sample, n)
    baseline_df = p * (p - 1) // 2
    d_model = max(chi2 - df, 0.0)
    d_base = max(baseline_chi2 - baseline_df, d_model)
    cfi = 1.0 - d_model / d_base if d_base > 0 else 1.0
    tli = (
        (baseline_chi2 / baseline_df - chi2 / df) / (baseline_chi2 / baseline_df - 1)
        if df > 0
        else 1.0
    )
    rmsea = math.sqrt(d_model / (df * n)) if df > 0 else 0.0
    low, high = rmsea_interval(chi2, df, n) if df > 0 else (0.0, 0.0)
    fit = Fit(
        n=n,
        chi2=chi2,
        df=df,
        p=float(chi2_distribution.sf(chi2, df)) if df > 0 else 1.0,
        cfi=min(cfi, 1.0),
        tli=tli,
        rmsea=rmsea,
        rmsea_low=low,
        rmsea_high=high,
        srmr=_srmr(sample, implied),
    )
    estimates = spec.inspect(std_est=True)
    loadings = []
    correlations: dict[tuple[str, str], float] = {}
    for row in estimates.itertuples(index=False):
        lval, op, rval, std = row[0], row[1], row[2], float(row[4])
        if op == "~" and lval in position and rval in model:
            loadings.append(Loading(factor=rval, item=lval, std=std))
        elif op == "~~" and lval in model and rval in model and lval != rval:
            correlations[(lval, rval)] = std
    order_of = {item: i for i, item in enumerate(used)}
    loadings.sort(key=lambda x: order_of[x.item])
    return CFAResult(fit=fit, loadings=tuple(loadings), factor_correlations=correlations)


def _chi2(sample: FloatArray, implied: FloatArray, n: int, p: int, spec: Any) -> tuple[float, int]:
    """The likelihood-ratio chi-square n F_ML, and its degrees of freedom."""
    _sign, logdet_implied = np.linalg.slogdet(implied)
    _, logdet_sample = np.linalg.slogdet(sample)
    f_ml = logdet_implied + np.trace(sample @ np.linalg.inv(implied)) - logdet_sample - p
    free = len(spec.param_vals)
    df = p * (p + 1) // 2 - free
    return float(max(f_ml, 0.0) * n), df


def _baseline_chi2(sample: FloatArray, n: int) -> float:
    """The independence model: only the variances, so chi2 = -(n - 1) log|R|."""
    sd = np.sqrt(np.diag(sample))
    _, logdet = np.linalg.slogdet(sample / np.outer(sd, sd))
    return float(-n * logdet)


def compare_models(nested: CFAResult, full: CFAResult) -> Comparison:
    from scipy.stats import chi2 as chi2_distribution

    delta = nested.fit.chi2 - full.fit.chi2
    delta_df = nested.fit.df - full.fit.df
    return Comparison(
        delta_chi2=delta,
        delta_df=delta_df,
        p=float(chi2_distribution.sf(max(delta, 0.0), delta_df)) if delta_df > 0 else 1.0,
        delta_cfi=full.fit.cfi - nested.fit.cfi,
    )


def htmt(
    covariance: FloatArray, items: Sequence[str], model: Mapping[str, Sequence[str]]
) -> dict[tuple[str, str], float]:
    """Heterotrait-monotrait ratio per pair of factors: the mean correlation between their
    items over the geometric mean of the mean correlations within each."""
    position = {item: i for i, item in enumerate(items)}
    sd = np.sqrt(np.diag(covariance))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = covariance / np.outer(sd, sd)
    blocks = {f: [position[i] for i in its] for f, its in model.items()}

    def within(f: str) -> float:
        idx = blocks[f]
        sub = corr[np.ix_(idx, idx)]
        return float(sub[np.triu_indices(len(idx), 1)].mean())

    mono = {f: within(f) for f in model}
    out = {}
    factors = list(model)
    for a, first in enumerate(factors):
        for second in factors[a + 1 :]:
            hetero = float(corr[np.ix_(blocks[first], blocks[second])].mean())
            denominator = (
                math.sqrt(mono[first] * mono[second])
                if mono[first] > 0 < mono[second]
                else math.nan
            )
            out[(first, second)] = abs(hetero) / denominator if denominator else math.nan
    return out


def complete_covariance(
    answers: npt.NDArray[np.int8], columns: Sequence[int]
) -> tuple[FloatArray, int]:
    """Covariance of `columns` over the respondents who answered every one of them (0 = none)."""
    block = answers[:, list(columns)]
    complete = (block > 0).all(axis=1)
    x = block[complete].astype(np.float64)
    n = int(x.shape[0])
    if n < 2:
        return np.full((len(columns), len(columns)), np.nan), n
    return np.cov(x, rowvar=False), n


@dataclass(frozen=True, slots=True)
class Structure:
    """The six-factor model, the one-factor model against it, and discriminant validity."""

    n: int
    six: CFAResult | None
    one: CFAResult | None
    comparison: Comparison | None
    htmt: dict[tuple[str, str], float]
    reason: str = ""

    def flags(self) -> tuple[str, ...]:
        if self.six is None:
            return ()
        out = list(self.six.flags())
        out += [
            f"HTMT {first}-{second} {value:.2f} is above {HTMT_MAX}"
            for (first, second), value in self.htmt.items()
            if value > HTMT_MAX
        ]
        if self.comparison is not None and self.comparison.p >= 0.05:
            out.append("one general factor fits no worse than the separate factors")
        return tuple(out)

    def as_json(self) -> dict[str, Any]:
        if self.six is None:
            return {"n": self.n, "estimator": ESTIMATOR, "reason": self.reason}
        return {
            "n": self.n,
            "estimator": ESTIMATOR,
            **self.six.fit.as_json(),
            "loadings": {x.item: round(x.std, 3) for x in self.six.loadings},
            "factor_correlations": {
                f"{a}~{b}": round(r, 3) for (a, b), r in self.six.factor_correlations.items()
            },
            "htmt": {f"{a}~{b}": _round(r) for (a, b), r in self.htmt.items()},
            "one_factor": self.one.fit.as_json() if self.one is not None else None,
            "comparison": self.comparison.as_json() if self.comparison is not None else None,
            "flags": list(self.flags()),
        }


def _round(value: float) -> float | None:
    return round(value, 3) if math.isfinite(value) else None


def structure(
    covariance: FloatArray,
    n: int,
    items: Sequence[str],
    model: Mapping[str, Sequence[str]],
    *,
    min_n: int = CFA_MIN_N,
) -> Structure:
    """The measurement model, one general factor over the same items, and HTMT."""
    if n < min_n:
        reason = f"only {n} complete responses; a factor analysis needs {min_n}"
        return Structure(n=n, six=None, one=None, comparison=None, htmt={}, reason=reason)
    six = fit_cfa(covariance, n, items, model)
    general = {"general": [item for its in model.values() for item in its]}
    one = fit_cfa(covariance, n, items, general) if len(model) > 1 else None
    comparison = compare_models(one, six) if one is not None else None
    return Structure(
        n=n, six=six, one=one, comparison=comparison, htmt=htmt(covariance, items, model)
    )
