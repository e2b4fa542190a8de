"""Percentile benchmarks of the consultant view (analytics.index.portfolio)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import percentileofscore

from execution2.analytics.index import COMPONENTS
from execution2.analytics.index.portfolio import (
    MIN_ORGANIZATIONS,
    benchmark,
    component_matrix,
    field_quartiles,
    percentile_rank,
    quartiles,
)


def test_five_distinct_organizations_sit_at_the_10th_to_the_90th_percentile() -> None:
    population = [52.0, 61.0, 70.0, 48.0, 66.0]
    ranks = [percentile_rank(v, population) for v in sorted(population)]
    assert ranks == pytest.approx([10.0, 30.0, 50.0, 70.0, 90.0])


def test_ties_count_half() -> None:
    # Two of four share 60: below 1, equal 2 -> (1 + 1) / 4.
    assert percentile_rank(60.0, [50.0, 60.0, 60.0, 70.0]) == pytest.approx(50.0)
    assert percentile_rank(5.0, [5.0] * 6) == pytest.approx(50.0)


def test_the_rank_agrees_with_scipys_mean_percentile_of_score() -> None:
    generator = np.random.default_rng(7)
    for _ in range(50):
        population = np.round(generator.normal(65, 10, size=generator.integers(5, 40)), 0)
        value = float(generator.choice(population))
        expected = percentileofscore(population, value, kind="mean")
        assert percentile_rank(value, list(population)) == pytest.approx(expected)


def test_missing_values_are_left_out_of_the_population() -> None:
    assert percentile_rank(70.0, [None, 50.0, math.nan, 70.0]) == pytest.approx(75.0)


def test_the_quartiles_interpolate_between_order_statistics() -> None:
    found = quartiles([10.0, 20.0, 30.0, 40.0])
    # Positions 0.75, 1.5 and 2.25 of the sorted values (numpy's "linear").
    assert (found.q1, found.median, found.q3, found.n) == (17.5, 25.0, 32.5, 4)


def test_no_benchmark_below_five_organizations_or_without_a_value() -> None:
    four = [50.0, 60.0, 70.0, 80.0]
    assert MIN_ORGANIZATIONS == 5
    assert benchmark(60.0, four) is None
    assert field_quartiles(four) is None
    assert benchmark(None, [*four, 90.0]) is None
    # Five values, but one of them missing: still four.
    assert benchmark(60.0, [*four, None]) is None
    found = benchmark(60.0, [*four, 90.0])
    assert found is not None
    assert found.percentile == pytest.approx(30.0)
    assert found.quartiles.median == 70.0
    assert found.quartiles.n == 5


def test_a_value_or_population_that_is_not_a_number_is_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        percentile_rank(math.nan, [1.0, 2.0])
    with pytest.raises(ValueError, match="empty"):
        percentile_rank(1.0, [None])
    with pytest.raises(ValueError, match="empty"):
        quartiles([])


def test_the_component_matrix_keeps_the_component_order_and_marks_gaps_with_nan() -> None:
    rows = [
        {"leadership": 70.0, "buy_in": 55, "delivery": None},
        {"connectedness": 40.5, "unknown": 12.0, "motivation": "high", "conflict": True},
    ]
    matrix = component_matrix(rows)
    assert matrix.shape == (2, len(COMPONENTS))
    assert matrix[0, COMPONENTS.index("leadership")] == 70.0
    assert matrix[0, COMPONENTS.index("buy_in")] == 55.0
    assert math.isnan(matrix[0, COMPONENTS.index("delivery")])
    assert matrix[1, COMPONENTS.index("connectedness")] == 40.5
    # Strings and booleans are not scores.
    assert math.isnan(matrix[1, COMPONENTS.index("motivation")])
    assert math.isnan(matrix[1, COMPONENTS.index("conflict")])
    assert int(np.isnan(matrix).sum()) == 2 * len(COMPONENTS) - 3
