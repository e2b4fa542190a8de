"""Measurement invariance across groups: configural, metric (equal loadings), scalar (equal
loadings and intercepts), fitted jointly by maximum likelihood with mean structure.

semopy fits one group at a time, so the multi-group model with equality constraints is fitted
here: the ML discrepancy summed over groups, n_g [log|S_g^| + tr(S_g inv(S_g^)) - log|S_g| - p
+ (m_g - mu_g)' inv(S_g^) (m_g - mu_g)], with the implied S_g^ = L_g F_g L_g' + T_g and
mu_g = intercepts_g + L_g kappa_g,
minimised with L-BFGS-B on its analytic gradient. Identification as lavaan's: each factor's
first loading is 1; factor means are 0, except in the scalar model, where they are free in
every group but the first. The chi-square is the minimised sum (lavaan's "normal" likelihood),
so the configural chi-square equals the sum of the groups' single-group fits.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
STEPS = ("configural", "metric", "scalar")
# Chen (2007): a drop in CFI of more than 0.01 from one step to the next signals non-invariance.
DELTA_CFI_MAX = 0.01


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    chi2: float
    df: int
    cfi: float
    rmsea: float
    delta_chi2: float | None = None
    delta_df: int | None = None
    p: float | None = None
    delta_cfi: float | None = None

    @property
    def holds(self) -> bool | None:
        """Whether this step's constraints hold against the step before (ΔCFI ≤ 0.01)."""
        return None if self.delta_cfi is None else self.delta_cfi <= DELTA_CFI_MAX

    def as_json(self) -> dict[str, Any]:
        def r(x: float | None, digits: int) -> float | None:
            return None if x is None else round(x, digits)

        return {
            "step": self.name,
            "chi2": round(self.chi2, 3),
            "df": self.df,
            "cfi": round(self.cfi, 3),
            "rmsea": round(self.rmsea, 3),
            "delta_chi2": r(self.delta_chi2, 3),
            "delta_df": self.delta_df,
            "p": None if self.p is None else float(f"{self.p:.4g}"),
            "delta_cfi": r(self.delta_cfi, 3),
            "holds": self.holds,
        }


class _Layout:
    """Where each parameter sits in the flat vector, for one invariance step."""

    def __init__(self, pattern: npt.NDArray[np.int64], groups: int, step: str):
        self.p = pattern.shape[0]
        self.m = int(pattern.max()) + 1
        self.groups = groups
        self.pattern = pattern
        markers = {int(f): int(np.flatnonzero(pattern == f)[0]) for f in range(self.m)}
        self.free_loading = np.array([i not in markers.values() for i in range(self.p)])
        self.lower = np.tril_indices(self.m)
        shared_loadings = step in ("metric", "scalar")
        shared_intercepts = step == "scalar"
        size = 0
        self.slices: list[dict[str, slice]] = []
        shared: dict[str, slice] = {}
        n_load, n_phi = int(self.free_loading.sum()), len(self.lower[0])
        for g in range(groups):
            entry: dict[str, slice] = {}
            for name, count, is_shared in (
                ("loading", n_load, shared_loadings),
                ("phi", n_phi, False),
                ("theta", self.p, False),
                ("nu", self.p, shared_intercepts),
                ("kappa", self.m if step == "scalar" and g > 0 else 0, False),
            ):
                if is_shared and name in shared:
                    entry[name] = shared[name]
                    continue
                entry[name] = slice(size, size + count)
                size += count
                if is_shared:
                    shared[name] = entry[name]
            self.slices.append(entry)
        self.size = size

    def unpack(
        self, x: FloatArray, g: int
    ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
        s = self.slices[g]
        lam = np.zeros((self.p, self.m))
        values = np.ones(self.p)
        values[self.free_loading] = x[s["loading"]]
        lam[np.arange(self.p), self.pattern] = values
        phi = np.zeros((self.m, self.m))
        phi[self.lower] = x[s["phi"]]
        phi = phi + phi.T - np.diag(np.diag(phi))
        kappa = x[s["kappa"]] if s["kappa"].stop > s["kappa"].start else np.zeros(self.m)
        return lam, phi, x[s["theta"]], x[s["nu"]], kappa


def _objective(
    x: FloatArray,
    layout: _Layout,
    stats: Sequence[tuple[int, FloatArray, FloatArray, float]],
) -> tuple[float, FloatArray]:
    total = 0.0
    grad = np.zeros_like(x)
    p = layout.p
    for g, (n, mean, cov, logdet_s) in enumerate(stats):
        lam, phi, theta, nu, kappa = layout.unpack(x, g)
        sigma = lam @ phi @ lam.T + np.diag(theta)
        sign, logdet = np.linalg.slogdet(sigma)
        if sign <= 0:
            return 1e12, np.zeros_like(x)
        w = np.linalg.inv(sigma)
        d = mean - (nu + lam @ kappa)
        wd = w @ d
        total += n * (logdet + np.trace(cov @ w) - logdet_s - p + d @ wd)
        m = n * (w - w @ (cov + np.outer(d, d)) @ w)
        s = layout.slices[g]
        d_lam = 2 * m @ lam @ phi - 2 * n * np.outer(wd, kappa)
        grad[s["loading"]] += d_lam[np.arange(p), layout.pattern][layout.free_loading]
        d_phi = lam.T @ m @ lam
        d_phi = 2 * d_phi - np.diag(np.diag(d_phi))
        grad[s["phi"]] += d_phi[layout.lower]
        grad[s["theta"]] += np.diag(m)
        grad[s["nu"]] += -2 * n * wd
        if s["kappa"].stop > s["kappa"].start:
            grad[s["kappa"]] += -2 * n * (lam.T @ wd)
    return float(total), grad


def _start(
    layout: _Layout, stats: Sequence[tuple[int, FloatArray, FloatArray, float]]
) -> FloatArray:
    x = np.zeros(layout.size)
    for g, (_n, mean, cov, _l) in enumerate(stats):
        s = layout.slices[g]
        x[s["loading"]] = 1.0
        phi = np.zeros((layout.m, layout.m))
        for f in range(layout.m):
            items = np.flatnonzero(layout.pattern == f)
            block = cov[np.ix_(items, items)]
            # The mean covariance among a factor's items estimates its variance (loadings 1).
            off = block[np.triu_indices(len(items), 1)]
            phi[f, f] = max(float(off.mean()) if off.size else float(block[0, 0]) / 2, 0.05)
        x[s["phi"]] = phi[layout.lower]
        x[s["theta"]] = np.diag(cov) / 2
        x[s["nu"]] = mean
    return x


def _fit(
    layout: _Layout,
    stats: Sequence[tuple[int, FloatArray, FloatArray, float]],
    start: FloatArray | None = None,
) -> tuple[float, FloatArray]:
    from scipy.optimize import minimize

    x0 = _start(layout, stats) if start is None else start
    bounds: list[tuple[float | None, float | None]] = [(None, None)] * layout.size
    for g in range(layout.groups):
        s = layout.slices[g]["theta"]
        for i in range(s.start, s.stop):
            bounds[i] = (1e-6, None)
    found = minimize(
        _objective,
        x0,
        args=(layout, stats),
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 5000, "maxfun": 20000, "ftol": 1e-13, "gtol": 1e-7},
    )
    return float(found.fun), np.asarray(found.x, dtype=np.float64)


def _carry(old: _Layout, new: _Layout, x: FloatArray) -> FloatArray:
    """Start the next step from the last one's estimates (shared ones averaged)."""
    out = np.zeros(new.size)
    counts = np.zeros(new.size)
    for g in range(old.groups):
        for name, target in new.slices[g].items():
            source = old.slices[g][name]
            width = target.stop - target.start
            if source.stop - source.start == width:
                out[target] += x[source]
                counts[target] += 1
    out = np.divide(out, counts, out=np.zeros_like(out), where=counts > 0)
    return out


def _baseline_chi2(stats: Sequence[tuple[int, FloatArray, FloatArray, float]]) -> float:
    total = 0.0
    for n, _mean, cov, logdet_s in stats:
        total += n * (float(np.sum(np.log(np.diag(cov)))) - logdet_s)
    return total


def invariance(
    groups: Sequence[FloatArray | npt.NDArray[np.int8]],
    items: Sequence[str],
    model: Mapping[str, Sequence[str]],
) -> list[Step]:
    """The three steps for `groups` (each an (n_g, items) array of complete answers)."""
    from scipy.stats import chi2 as chi2_distribution

    if len(groups) < 2:
        raise ValueError("invariance needs at least two groups")
    position = {item: i for i, item in enumerate(items)}
    order = [position[item] for its in model.values() for item in its]
    pattern = np.array([f for f, its in enumerate(model.values()) for _ in its], dtype=np.int64)
    stats = []
    for block in groups:
        x = np.asarray(block, dtype=np.float64)[:, order]
        n = x.shape[0]
        cov = np.cov(x, rowvar=False) * (n - 1) / n
        stats.append((n, x.mean(axis=0), cov, float(np.linalg.slogdet(cov)[1])))
    p = len(order)
    moments = p * (p + 1) // 2 + p
    base_chi2 = _baseline_chi2(stats)
    base_df = len(groups) * (p * (p - 1) // 2)
    n_total = sum(s[0] for s in stats)
    steps: list[Step] = []
    previous: tuple[_Layout, FloatArray] | None = None
    for name in STEPS:
        layout = _Layout(pattern, len(groups), name)
        start = _carry(previous[0], layout, previous[1]) if previous is not None else None
        chi2, x = _fit(layout, stats, start)
        df = len(groups) * moments - layout.size
        d_model = max(chi2 - df, 0.0)
        d_base = max(base_chi2 - base_df, d_model)
        cfi = 1 - d_model / d_base if d_base > 0 else 1.0
        # RMSEA of a multi-group model: sqrt(G) times the pooled value (as lavaan).
        rmsea = math.sqrt(len(groups)) * math.sqrt(d_model / (df * n_total)) if df > 0 else 0.0
        step = Step(name=name, chi2=chi2, df=df, cfi=cfi, rmsea=rmsea)
        if steps:
            last = steps[-1]
            delta, delta_df = chi2 - last.chi2, df - last.df
            step = Step(
                name=name,
                chi2=chi2,
                df=df,
                cfi=cfi,
                rmsea=rmsea,
                delta_chi2=delta,
                delta_df=delta_df,
                p=float(chi2_distribution.sf(max(delta, 0.0), delta_df)),
                delta_cfi=last.cfi - cfi,
            )
        steps.append(step)
        previous = (layout, x)
    return steps
