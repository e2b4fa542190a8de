"""Reliability and agreement against values worked out by hand or from published tables."""

from __future__ import annotations

import numpy as np
import pytest

from execution2.analytics.assessment import psychometrics as pm

HAND = np.array([[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 4, 5]], dtype=float)


def test_rwg_of_four_four_five_three_four_is_three_quarters() -> None:
    """Mean 4, squared deviations 0+0+1+1+0 = 2, s² = 2/4 = 0.5; sigma_E^2 = (25-1)/12 = 2.

    rwg = 1 - 0.5/2 = 0.75 (design.md 4.1).
    """
    assert pm.rwg([4, 4, 5, 3, 4]) == pytest.approx(0.75)


def test_rwg_j_of_the_reference_matrix_is_0_9156() -> None:
    """Item variances 0.5, 0.3, 0.5; mean 1.3/3; ratio r = 0.21667 to sigma_E^2 = 2.

    rwg(j) = 3(1 - r) / (3(1 - r) + r) = 2.35 / 2.56667 = 0.9156.
    """
    matrix = [[4, 5, 4], [4, 4, 4], [5, 5, 4], [3, 4, 3], [4, 4, 5]]
    assert pm.rwg_j(matrix) == pytest.approx(0.9156, abs=5e-5)


def test_more_disagreement_than_chance_means_no_agreement() -> None:
    assert pm.rwg([1, 5, 1, 5]) == 0.0
    assert pm.rwg_j([[1, 5], [5, 1], [1, 5], [5, 1]]) == 0.0


def test_alpha_of_the_hand_example_is_33_over_34() -> None:
    """Item variances 5/3, 2/3, 5/3 (sum 4); totals 5, 8, 10, 13 have variance 34/3.

    alpha = 3/2 * (1 - 4 / (34/3)) = 3/2 * 11/17 = 33/34 = 0.970588.
    """
    assert pm.cronbach_alpha(HAND) == pytest.approx(33 / 34)


def test_feldt_interval_of_the_hand_example_matches_f_tables() -> None:
    """n = 4, k = 3: F(3, 6) upper 2.5% point 6.5988; lower point 1/F(6, 3) = 1/14.735.

    lower = 1 - (1/34) * 6.5988 = 0.80592; upper = 1 - (1/34) / 14.735 = 0.99800.
    """
    low, high = pm.feldt_interval(33 / 34, 4, 3)
    assert float(low) == pytest.approx(0.80592, abs=2e-4)
    assert float(high) == pytest.approx(0.99800, abs=2e-4)


def test_alpha_skips_respondents_who_missed_an_item() -> None:
    with_gap = np.vstack([HAND, [[5, np.nan, 1]]])
    assert pm.cronbach_alpha(with_gap) == pytest.approx(33 / 34)


def test_corrected_item_total_correlates_each_item_with_the_others_sum() -> None:
    expected = [np.corrcoef(HAND[:, i], HAND.sum(axis=1) - HAND[:, i])[0, 1] for i in range(3)]
    assert pm.corrected_item_total(HAND) == pytest.approx(expected)


def test_omega_recovers_a_known_one_factor_structure() -> None:
    """Loadings .8 .7 .6 .5: omega = 2.6² / (2.6² + (.36 + .51 + .64 + .75)) = 6.76 / 9.02."""
    loadings = np.array([0.8, 0.7, 0.6, 0.5])
    correlation = np.outer(loadings, loadings)
    np.fill_diagonal(correlation, 1.0)
    assert pm.omega_from_covariance(correlation[None])[0] == pytest.approx(6.76 / 9.02, abs=1e-4)


def test_omega_is_scale_free_like_a_correlation() -> None:
    loadings = np.array([0.8, 0.7, 0.6, 0.5])
    correlation = np.outer(loadings, loadings)
    np.fill_diagonal(correlation, 1.0)
    spread = np.diag([1.0, 2.0, 0.5, 3.0])
    covariance = spread @ correlation @ spread
    assert pm.omega_from_covariance(covariance[None])[0] == pytest.approx(6.76 / 9.02, abs=1e-4)


def test_batched_moments_give_the_same_alpha_and_item_totals_as_the_matrix_forms() -> None:
    rng = np.random.default_rng(3)
    groups = [rng.integers(1, 6, size=(n, 5)).astype(float) for n in (6, 11, 40)]
    n = np.array([g.shape[0] for g in groups], dtype=float)
    sums = np.stack([g.sum(axis=0) for g in groups])
    cross = np.stack([g.T @ g for g in groups])
    cov = pm.covariance_from_moments(n, sums, cross)
    assert pm.alpha_from_covariance(cov) == pytest.approx([pm.cronbach_alpha(g) for g in groups])
    expected = np.stack([pm.corrected_item_total(g) for g in groups])
    assert pm.item_total_from_covariance(cov) == pytest.approx(expected)
