"""Relative weights against published worked examples, and bootstrap intervals that cover."""

from __future__ import annotations

import numpy as np
import pytest

from execution2.analytics.assessment import drivers as d

# R's datasets::mtcars: mpg, cyl, disp, hp, gear of the 32 cars.
MTCARS = np.array(
    [
        [21.0, 6, 160.0, 110, 4],
        [21.0, 6, 160.0, 110, 4],
        [22.8, 4, 108.0, 93, 4],
        [21.4, 6, 258.0, 110, 3],
        [18.7, 8, 360.0, 175, 3],
        [18.1, 6, 225.0, 105, 3],
        [14.3, 8, 360.0, 245, 3],
        [24.4, 4, 146.7, 62, 4],
        [22.8, 4, 140.8, 95, 4],
        [19.2, 6, 167.6, 123, 4],
        [17.8, 6, 167.6, 123, 4],
        [16.4, 8, 275.8, 180, 3],
        [17.3, 8, 275.8, 180, 3],
        [15.2, 8, 275.8, 180, 3],
        [10.4, 8, 472.0, 205, 3],
        [10.4, 8, 460.0, 215, 3],
        [14.7, 8, 440.0, 230, 3],
        [32.4, 4, 78.7, 66, 4],
        [30.4, 4, 75.7, 52, 4],
        [33.9, 4, 71.1, 65, 4],
        [21.5, 4, 120.1, 97, 3],
        [15.5, 8, 318.0, 150, 3],
        [15.2, 8, 304.0, 150, 3],
        [13.3, 8, 350.0, 245, 3],
        [19.2, 8, 400.0, 175, 3],
        [27.3, 4, 79.0, 66, 4],
        [26.0, 4, 120.3, 91, 5],
        [30.4, 4, 95.1, 113, 5],
        [15.8, 8, 351.0, 264, 5],
        [19.7, 6, 145.0, 175, 5],
        [15.0, 8, 301.0, 335, 5],
        [21.4, 4, 121.0, 109, 4],
    ]
)


def test_relative_weights_of_the_two_predictor_example_match_the_rwa_package() -> None:
    # rwa (Chan, CRAN) documents rwa(diamonds, "price", c("depth", "carat")) with its RXX and
    # RXY: raw weights depth 0.000729149, carat 0.849946308, R² 0.8506755.
    rxx = np.array([[1.0, 0.02822431], [0.02822431, 1.0]])
    rxy = np.array([-0.0106474, 0.9215913])
    weights = d.relative_weights(rxx, rxy)
    assert weights.raw == pytest.approx([0.000729149, 0.849946308], abs=2e-7)
    assert weights.r2 == pytest.approx(0.8506755, abs=2e-7)
    assert weights.rescaled == pytest.approx([0.08571412, 99.91428588], abs=1e-4)


def test_relative_weights_of_mtcars_match_the_rwa_package() -> None:
    # rwa(mtcars, "mpg", c("cyl", "disp", "hp", "gear")): R² 0.7791896 and these raw weights.
    corr = np.corrcoef(MTCARS, rowvar=False)
    weights = d.relative_weights(corr[1:, 1:], corr[1:, 0])
    assert weights.r2 == pytest.approx(0.7791896, abs=1e-6)
    assert weights.raw == pytest.approx([0.2284797, 0.2221469, 0.2321744, 0.0963886], abs=1e-6)
    assert weights.rescaled == pytest.approx([29.32274, 28.50999, 29.79691, 12.37037], abs=1e-4)


def test_weights_of_uncorrelated_predictors_are_their_squared_correlations() -> None:
    weights = d.relative_weights(np.eye(3), np.array([0.5, -0.3, 0.1]))
    assert weights.raw == pytest.approx([0.25, 0.09, 0.01])
    assert weights.r2 == pytest.approx(0.35)


def population(beta: np.ndarray, phi: np.ndarray, noise: float) -> np.ndarray:
    """The true relative weights of y = X beta + e, X ~ N(0, phi), e ~ N(0, noise²)."""
    var_y = beta @ phi @ beta + noise**2
    cov_xy = phi @ beta
    sd_x = np.sqrt(np.diag(phi))
    rxx = phi / np.outer(sd_x, sd_x)
    rxy = cov_xy / (sd_x * np.sqrt(var_y))
    return d.relative_weights(rxx, rxy).raw


def test_the_bootstrap_intervals_cover_the_simulated_truth_about_as_often_as_they_say() -> None:
    rng = np.random.default_rng(11)
    phi = np.full((6, 6), 0.45)
    np.fill_diagonal(phi, 1.0)
    beta = np.array([0.5, 0.1, 0.3, 0.0, 0.2, 0.05])
    truth = population(beta, phi, 1.0)
    covered = []
    for _ in range(30):
        x = rng.multivariate_normal(np.zeros(6), phi, 400)
        y = x @ beta + rng.normal(size=400)
        (result,) = d.drivers(
            x, y, np.zeros(400, dtype=np.int64), np.ones((1, 1), dtype=bool), seed=1
        )
        assert result is not None
        covered.append((result.low <= truth) & (truth <= result.high))
    coverage = np.mean(covered)
    # 180 intervals at 90%: a binomial 95% range is about 0.85-0.94.
    assert 0.83 <= coverage <= 0.96


def test_drivers_pool_cells_into_groups_and_skip_groups_too_small() -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(size=(300, 6))
    y = x[:, 0] + rng.normal(size=300)
    cells = np.repeat([0, 1, 2], 100)
    cells[:5] = -1
    groups = np.array([[1, 1, 1], [1, 0, 0], [0, 0, 1]], dtype=bool)
    everyone, first, third = d.drivers(x, y, cells, groups, min_n=100, replicates=50)
    assert everyone is not None
    assert everyone.n == 295
    assert first is None  # 95 rows
    assert third is not None
    assert third.n == 100
    # The pooled point estimate is the plain relative weights of those rows.
    rows = cells >= 0
    corr = np.corrcoef(np.column_stack([x[rows], y[rows]]), rowvar=False)
    expected = d.relative_weights(corr[:6, :6], corr[:6, 6])
    assert everyone.raw == pytest.approx(expected.raw)
    assert everyone.r2 == pytest.approx(expected.r2)
    assert int(np.argmax(everyone.raw)) == 0
    assert everyone.low[0] <= everyone.raw[0] <= everyone.high[0]
    assert np.all(everyone.low <= everyone.high)
    # The weights of the five null predictors are near zero, and so are their intervals.
    assert np.all(everyone.high[1:] < 0.05)


def test_rows_with_a_missing_value_are_left_out() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(120, 6))
    y = x[:, 1] + rng.normal(size=120)
    x[:10, 2] = np.nan
    (result,) = d.drivers(
        x, y, np.zeros(120, dtype=np.int64), np.ones((1, 1), dtype=bool), replicates=20
    )
    assert result is not None
    assert result.n == 110
