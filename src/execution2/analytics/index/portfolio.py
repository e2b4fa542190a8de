"""Benchmarks of one organization among all organizations of an installation (issue 7, the
consultant view).

An organization's place is its **percentile rank**: the share of the organizations whose value
is below its own, ties counting half, itself included (the "mean" definition:
`scipy.stats.percentileofscore(population, value, kind="mean")`). For five organizations with
distinct values that gives 10, 30, 50, 70 and 90: the middle one sits at the 50th percentile
and nobody at 0 or 100, so the rank alone never says "the lowest of all".

Beside it, the installation's **quartiles** (first, median, third; linear interpolation
between order statistics, numpy's default): the shape of the field without any one
organization's value attached to a name.

Nothing is shown below `MIN_ORGANIZATIONS` values: with fewer organizations a percentile or a
quartile says too much about the few others.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from execution2.analytics.index.components import COMPONENTS

MIN_ORGANIZATIONS = 5

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Quartiles:
    q1: float
    median: float
    q3: float
    n: int


@dataclass(frozen=True, slots=True)
class Benchmark:
    """One organization's place on one measure."""

    percentile: float
    """0-100: organizations below, ties counting half, over all `n` (itself included)."""
    quartiles: Quartiles


def _finite(population: Sequence[float | None]) -> FloatArray:
    values = np.array(
        [v for v in population if v is not None and math.isfinite(v)], dtype=np.float64
    )
    return values


def percentile_rank(value: float, population: Sequence[float | None]) -> float:
    """The percentile rank (0-100) of `value` among `population` (module docstring).

    `population` must contain the value's own organization; missing values (None, NaN) are
    left out.
    """
    values = _finite(population)
    if not math.isfinite(value):
        raise ValueError("the value must be a finite number")
    if len(values) == 0:
        raise ValueError("the population is empty")
    below = int(np.sum(values < value))
    equal = int(np.sum(values == value))
    return 100.0 * (below + 0.5 * equal) / len(values)


def quartiles(population: Sequence[float | None]) -> Quartiles:
    """First quartile, median and third quartile of the finite values."""
    values = _finite(population)
    if len(values) == 0:
        raise ValueError("the population is empty")
    q1, median, q3 = np.percentile(values, [25.0, 50.0, 75.0])
    return Quartiles(float(q1), float(median), float(q3), len(values))


def benchmark(
    value: float | None,
    population: Sequence[float | None],
    *,
    minimum: int = MIN_ORGANIZATIONS,
) -> Benchmark | None:
    """The value's percentile and the population's quartiles; None when the value is missing
    or fewer than `minimum` organizations have a value."""
    if value is None or not math.isfinite(value):
        return None
    if len(_finite(population)) < minimum:
        return None
    return Benchmark(percentile_rank(value, population), quartiles(population))


def field_quartiles(
    population: Sequence[float | None], *, minimum: int = MIN_ORGANIZATIONS
) -> Quartiles | None:
    """The quartiles, or None below `minimum` values."""
    if len(_finite(population)) < minimum:
        return None
    return quartiles(population)


def component_matrix(rows: Sequence[Mapping[str, float | None]]) -> FloatArray:
    """(N, 9) component scores in `COMPONENTS` order, NaN where a score is missing (None,
    absent or not a finite number): the input `suggest_weights` expects."""
    matrix = np.full((len(rows), len(COMPONENTS)), np.nan, dtype=np.float64)
    for i, row in enumerate(rows):
        for j, key in enumerate(COMPONENTS):
            value = row.get(key)
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if number and value is not None and math.isfinite(value):
                matrix[i, j] = float(value)
    return matrix
