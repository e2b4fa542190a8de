"""The Execution Index of one scope or of many at once, its gaps, priorities and interval.

- **index** = Σ w_c s_c over the components c with data, the weights re-normalised over those
  (`effective_weight`); a component without data is missing, never 0, and the result says so
  in `note`. With no component at all (or only zero-weight ones) there is no index (None).
- **gap** = target - score, per component with data (negative: above target).
- **priorities**: the components with a positive gap, by weight * gap (largest first), using
  the organization's (normalised) weights, not the re-weighted ones: how much closing that gap
  would move the index as configured.
- **interval**: a 90% percentile bootstrap interval over respondents. Each replicate redraws the
  respondents of the scope (a Poisson(1) count per respondent: the standard large-scale form of
  drawing respondents with replacement, which lets one draw serve every unit a respondent
  counts toward, so a whole unit tree is bootstrapped in one pass), recomputes the six attribute
  and buy-in scores from them, and keeps the non-survey components (connectedness, delivery) at
  their values: they are whole-population measurements over the window or the plan, not a
  sample of people, so their uncertainty is not of the same kind and is left out. The interval
  is therefore the uncertainty from who answered the survey. A replicate that draws nobody for
  a scale the index uses is discarded (only plausible for tiny groups); the interval reports
  how many replicates it rests on. Without respondent-level data there is no interval.

Everything runs on (scopes * components) arrays, so every unit of an organization is computed
at once (`execution_indexes`, `index_arrays`, `bootstrap_intervals`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from execution2.analytics.index.components import (
    COMPONENTS,
    DEFAULT_TARGET,
    DEFAULT_WEIGHTS,
    SURVEY_COLUMNS,
    SURVEY_COMPONENTS,
    TITLES,
    ComponentValue,
    IndexInputs,
    component_matrix,
    validate_target,
    validate_weights,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

DEFAULT_CONFIDENCE = 0.90
DEFAULT_REPLICATES = 1000
# Replicates drawn per pass: bounds memory at (scopes * chunk * 14) floats.
CHUNK = 20


@dataclass(frozen=True, slots=True)
class Component:
    key: str
    title: str
    score: float | None
    """0-100; None when missing (no data), never 0 for "no data"."""
    weight: float
    """The organization's weight, normalised over all nine components."""
    effective_weight: float
    """The weight actually used: re-normalised over the components with data; 0 when missing."""
    missing: bool
    n: int
    sources: tuple[str, ...]
    parts: Mapping[str, float]
    gap: float | None
    """target - score; None when missing."""


@dataclass(frozen=True, slots=True)
class Priority:
    key: str
    title: str
    score: float
    gap: float
    weight: float
    priority: float
    """weight * gap: index points the gap costs at the organization's weights."""


@dataclass(frozen=True, slots=True)
class Interval:
    low: float
    high: float
    confidence: float
    replicates: int
    """Replicates the interval rests on (discarded ones excluded)."""
    respondents: int


@dataclass(frozen=True)
class ExecutionIndex:
    index: float | None
    """0-100, None when no component has data."""
    target: float
    gap: float | None
    components: tuple[Component, ...]
    priorities: tuple[Priority, ...]
    interval: Interval | None
    interval_note: str
    """Why there is no interval, or "" when there is one."""
    reweighted: bool
    missing: tuple[str, ...]
    note: str
    """The re-weighting (or no-data) note in words; "" when every component has data."""
    respondents: int
    """The most respondents behind any survey component (what the index rests on, in people)."""

    def component(self, key: str) -> Component:
        for component in self.components:
            if component.key == key:
                return component
        raise KeyError(key)


@dataclass(frozen=True)
class RespondentTable:
    """Respondent-level survey scores for bootstrapping many scopes at once.

    `scores` (R, 7) in `SURVEY_COMPONENTS` order, 0-100, NaN = not answered; `scope` (R,) the
    row of the scope each respondent counts toward directly (-1: none); `parent` (S,) each
    scope's parent row (-1 for a root), so a scope's respondents are those of its whole subtree
    (the organization as the root, units below it). Without `parent`, scopes are flat.
    """

    scores: FloatArray
    scope: IntArray
    parent: IntArray | None = None

    def __post_init__(self) -> None:
        if self.scores.ndim != 2 or self.scores.shape[1] != len(SURVEY_COMPONENTS):
            raise ValueError(f"scores must have {len(SURVEY_COMPONENTS)} columns")
        if self.scope.shape != (self.scores.shape[0],):
            raise ValueError("scope must have one entry per respondent")


def weight_vector(weights: Mapping[str, float]) -> FloatArray:
    normalised = validate_weights(weights)
    return np.array([normalised[key] for key in COMPONENTS], dtype=np.float64)


def index_arrays(scores: FloatArray, weights: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Index (S,) and effective weights (S, C) from component scores (S, C) with NaN = missing.

    The index is NaN where no component with a positive weight has data.
    """
    present = ~np.isnan(scores)
    w = np.where(present, weights[None, :], 0.0)
    total = w.sum(axis=1)
    has = total > 0
    effective = np.divide(w, np.where(has, total, 1.0)[:, None])
    effective[~has] = 0.0
    index = (effective * np.where(present, scores, 0.0)).sum(axis=1)
    return np.where(has, index, np.nan), effective


def _closure(parent: IntArray | None, s_count: int) -> sparse.csr_matrix:
    """Sparse (S, S) matrix with a 1 at (ancestor, scope) for every scope and each ancestor
    (itself included): multiplying per-scope totals by it sums each scope's whole subtree."""
    scopes = np.arange(s_count, dtype=np.int64)
    rows, cols = [scopes], [scopes]
    if parent is not None:
        parent = np.asarray(parent, dtype=np.int64)
        if parent.shape != (s_count,):
            raise ValueError("parent must have one entry per scope")
        current, below = parent.copy(), scopes
        for _ in range(s_count + 1):
            up = current >= 0
            if not up.any():
                break
            current, below = current[up], below[up]
            rows.append(current)
            cols.append(below)
            current = parent[current]
        else:
            raise ValueError("the scope tree has a cycle")
    row, col = np.concatenate(rows), np.concatenate(cols)
    return sparse.csr_matrix((np.ones(len(row)), (row, col)), shape=(s_count, s_count))


# Poisson(1) cumulative probabilities P(X <= j), j = 0..11: a count is the number of these a
# uniform draw exceeds. In float32 the thresholds from j = 10 on round to 1, so counts stop at
# 10 (P(X > 10) is about 1e-8). Several times faster than Generator.poisson for the tens of
# millions of counts a whole organization needs.
_POISSON_CDF = np.cumsum(
    [math.exp(-1.0) / math.factorial(j) for j in range(12)], dtype=np.float64
).astype(np.float32)


def _poisson_counts(rng: np.random.Generator, shape: tuple[int, int]) -> FloatArray:
    uniform = rng.random(shape, dtype=np.float32)
    counts = np.zeros(shape, dtype=np.float64)
    for threshold in _POISSON_CDF:
        counts += uniform > threshold
    return counts


def _row_quantiles(values: FloatArray, valid: IntArray, q: float) -> FloatArray:
    """Linear-interpolated quantile per row over its first `valid` sorted entries."""
    rows = np.arange(values.shape[0])
    position = q * np.maximum(valid - 1, 0)
    low = np.floor(position).astype(np.int64)
    high = np.minimum(low + 1, np.maximum(valid - 1, 0))
    fraction = position - low
    result: FloatArray = values[rows, low] * (1 - fraction) + values[rows, high] * fraction
    return result


def bootstrap_intervals(
    scores: FloatArray,
    weights: FloatArray,
    respondents: RespondentTable,
    *,
    replicates: int = DEFAULT_REPLICATES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
) -> tuple[FloatArray, FloatArray, IntArray, IntArray]:
    """Percentile interval (low, high) per scope, replicates used and respondents per scope.

    `scores` (S, C) are the point component scores: their missing pattern fixes the effective
    weights, and the non-survey components stay at these values (module docstring). low/high
    are NaN where no interval can be formed.
    """
    if replicates < 10:
        raise ValueError("replicates must be at least 10")
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    s_count = scores.shape[0]
    _, effective = index_arrays(scores, weights)
    survey_cols = np.array(SURVEY_COLUMNS)
    fixed_cols = np.setdiff1d(np.arange(len(COMPONENTS)), survey_cols)
    fixed = (effective[:, fixed_cols] * np.nan_to_num(scores[:, fixed_cols])).sum(axis=1)
    survey_weight = effective[:, survey_cols]  # (S, 7)
    uses = survey_weight > 0

    data = respondents.scores
    answered = ~np.isnan(data)
    scope = respondents.scope
    if np.any(scope >= s_count):
        raise ValueError("a respondent's scope is not one of the scopes")
    keep = scope >= 0
    order = np.argsort(scope[keep], kind="stable")
    matrix = np.concatenate([np.where(answered, data, 0.0), answered.astype(np.float64)], axis=1)[
        keep
    ][order]
    own = scope[keep][order]
    bounds = np.searchsorted(own, np.arange(s_count + 1))
    nonempty = np.flatnonzero(bounds[1:] > bounds[:-1])

    closure = _closure(respondents.parent, s_count)
    own_people = np.zeros(s_count)
    own_people[nonempty] = bounds[nonempty + 1] - bounds[nonempty]
    people = np.rint(closure @ own_people).astype(np.int64)

    rng = np.random.default_rng(seed)
    k = len(SURVEY_COMPONENTS)
    r_count = matrix.shape[0]
    # Per replicate: own-scope totals = (S x R sparse, one Poisson count per respondent) @ matrix.
    drawn_matrix = sparse.csr_matrix(
        (np.ones(r_count), np.arange(r_count), bounds), shape=(s_count, r_count)
    )
    results = np.full((s_count, replicates), np.nan)
    for first in range(0, replicates, CHUNK):
        b = min(CHUNK, replicates - first)
        counts_drawn = _poisson_counts(rng, (b, r_count))
        own_totals = np.empty((s_count, b, 2 * k))
        for rep in range(b):
            drawn_matrix.data = counts_drawn[rep]
            own_totals[:, rep, :] = drawn_matrix @ matrix
        totals = np.asarray(closure @ own_totals.reshape(s_count, b * 2 * k)).reshape(
            s_count, b, 2 * k
        )
        sums, counts = totals[:, :, :k], totals[:, :, k:]
        drawn = counts > 0
        means = np.divide(sums, np.where(drawn, counts, 1.0))
        ok = np.all(drawn | ~uses[:, None, :], axis=2)
        value = fixed[:, None] + (survey_weight[:, None, :] * np.where(drawn, means, 0.0)).sum(
            axis=2
        )
        results[:, first : first + b] = np.where(ok, value, np.nan)
    valid = (~np.isnan(results)).sum(axis=1)
    ordered = np.sort(results, axis=1)  # NaN sort last
    alpha = (1 - confidence) / 2
    low = _row_quantiles(ordered, valid, alpha)
    high = _row_quantiles(ordered, valid, 1 - alpha)
    # An interval needs survey components in the index and enough usable replicates.
    formed = uses.any(axis=1) & (valid >= max(10, replicates // 2))
    return (
        np.where(formed, low, np.nan),
        np.where(formed, high, np.nan),
        np.where(formed, valid, 0).astype(np.int64),
        people,
    )


def _note(missing: list[str], weights: list[float], index: float | None) -> str:
    if not missing:
        return ""
    names = ", ".join(TITLES[key].lower() for key in missing)
    if index is None:
        if len(missing) == len(COMPONENTS):
            return "No data yet: no component has data, so there is no index."
        return f"No index: only components with zero weight have data (missing: {names})."
    kept = float(sum(w for key, w in zip(COMPONENTS, weights, strict=True) if key not in missing))
    return (
        f"Re-weighted: no data for {names}. The index rests on the other "
        f"{len(COMPONENTS) - len(missing)} components, which carry {kept:.0%} of the weight; "
        f"each of their weights is divided by {kept:.2f}."
    )


def _result(
    values: Mapping[str, ComponentValue],
    weights: list[float],
    effective: list[float],
    index: float,
    target: float,
    interval: Interval | None,
    interval_note: str,
) -> ExecutionIndex:
    components = []
    missing = []
    ranked = []
    for col, key in enumerate(COMPONENTS):
        value = values[key]
        score = value.score
        gap = None
        if score is None:
            missing.append(key)
        else:
            gap = target - score
            if gap > 0 and weights[col] > 0:
                ranked.append((-weights[col] * gap, col, score, gap))
        components.append(
            Component(
                key,
                TITLES[key],
                score,
                weights[col],
                effective[col],
                score is None,
                value.n,
                value.sources,
                value.parts,
                gap,
            )
        )
    priorities = []
    for minus_priority, col, score, gap in sorted(ranked):
        key = COMPONENTS[col]
        priorities.append(Priority(key, TITLES[key], score, gap, weights[col], -minus_priority))
    result_index = None if math.isnan(index) else index
    respondents = max((values[key].n for key in SURVEY_COMPONENTS), default=0)
    return ExecutionIndex(
        index=result_index,
        target=target,
        gap=target - result_index if result_index is not None else None,
        components=tuple(components),
        priorities=tuple(priorities),
        interval=interval if result_index is not None else None,
        interval_note=interval_note if result_index is not None else "There is no index.",
        reweighted=bool(missing) and result_index is not None,
        missing=tuple(missing),
        note=_note(missing, weights, result_index) if missing else "",
        respondents=respondents,
    )


def execution_indexes(
    inputs: Sequence[IndexInputs],
    *,
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
    target: float = DEFAULT_TARGET,
    respondents: RespondentTable | None = None,
    replicates: int = DEFAULT_REPLICATES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
) -> tuple[ExecutionIndex, ...]:
    """The index of many scopes at once (e.g. the organization and every unit), row by row.

    `respondents` gives the bootstrap its respondent-level data for all scopes at once (its
    `scope` indexes `inputs`); without it, no interval (a scope's own `survey.respondents` are
    not used here: use `execution_index` for a single scope).
    """
    vector = weight_vector(weights)
    target = validate_target(target)
    scores, _, values = component_matrix(list(inputs))
    index, effective = index_arrays(scores, vector)
    s_count = len(values)
    low = high = np.full(s_count, np.nan)
    used = people = np.zeros(s_count, dtype=np.int64)
    if respondents is not None:
        low, high, used, people = bootstrap_intervals(
            scores,
            vector,
            respondents,
            replicates=replicates,
            confidence=confidence,
            seed=seed,
        )
    weight_list = vector.tolist()
    effective_rows = effective.tolist()
    index_list = index.tolist()
    results = []
    for row in range(s_count):
        interval = None
        note = "No respondent-level survey data: no interval."
        if respondents is not None and not math.isnan(low[row]):
            interval = Interval(
                float(low[row]), float(high[row]), confidence, int(used[row]), int(people[row])
            )
            note = ""
        elif respondents is not None:
            note = (
                "No survey component in the index: nothing to resample."
                if not np.any(effective[row, list(SURVEY_COLUMNS)] > 0)
                else "Too few respondents for an interval."
            )
        results.append(
            _result(
                values[row],
                weight_list,
                effective_rows[row],
                index_list[row],
                target,
                interval,
                note,
            )
        )
    return tuple(results)


def execution_index(
    inputs: IndexInputs,
    *,
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
    target: float = DEFAULT_TARGET,
    replicates: int = DEFAULT_REPLICATES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
) -> ExecutionIndex:
    """The index of one scope; the interval uses `inputs.survey.respondents` when given."""
    table = None
    survey = inputs.survey
    if survey is not None and survey.respondents is not None:
        data = np.asarray(survey.respondents, dtype=np.float64)
        table = RespondentTable(data, np.zeros(data.shape[0], dtype=np.int64))
    return execution_indexes(
        [inputs],
        weights=weights,
        target=target,
        respondents=table,
        replicates=replicates,
        confidence=confidence,
        seed=seed,
    )[0]
