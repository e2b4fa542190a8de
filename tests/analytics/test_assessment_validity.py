"""Factor structure: a CFA matched against lavaan's published fit, and simulated cycles."""

from __future__ import annotations

import numpy as np
import pytest

from execution2.analytics.assessment import validity as v

HS_MODEL = {
    "visual": ["x1", "x2", "x3"],
    "textual": ["x4", "x5", "x6"],
    "speed": ["x7", "x8", "x9"],
}
ITEMS = [f"x{i}" for i in range(1, 10)]


@pytest.fixture(scope="module")
def holzinger() -> v.CFAResult:
    from semopy.examples import holzinger39

    frame = holzinger39.get_data()[ITEMS]
    return v.fit_cfa(np.cov(frame.to_numpy(), rowvar=False), len(frame), ITEMS, HS_MODEL)


def test_the_three_factor_model_of_holzinger_swineford_fits_as_lavaan_reports(
    holzinger: v.CFAResult,
) -> None:
    # lavaan's tutorial: cfa(HS.model, data = HolzingerSwineford1939), ML estimator.
    fit = holzinger.fit
    assert fit.n == 301
    assert fit.df == 24
    assert fit.chi2 == pytest.approx(85.306, abs=0.05)
    assert fit.cfi == pytest.approx(0.931, abs=0.0015)
    assert fit.tli == pytest.approx(0.896, abs=0.0015)
    assert fit.rmsea == pytest.approx(0.092, abs=0.0015)
    assert fit.rmsea_low == pytest.approx(0.071, abs=0.0015)
    assert fit.rmsea_high == pytest.approx(0.114, abs=0.0015)
    assert fit.srmr == pytest.approx(0.065, abs=0.0015)


def test_its_standardised_loadings_are_lavaans(holzinger: v.CFAResult) -> None:
    # lavaan's standardizedSolution(): Std.all of the loadings.
    published = {
        "x1": 0.772,
        "x2": 0.424,
        "x3": 0.581,
        "x4": 0.852,
        "x5": 0.855,
        "x6": 0.838,
        "x7": 0.570,
        "x8": 0.723,
        "x9": 0.665,
    }
    got = {x.item: x.std for x in holzinger.loadings}
    assert got == pytest.approx(published, abs=0.002)
    assert [x.item for x in holzinger.loadings if x.weak] == ["x2"]


def test_it_flags_the_misfit_and_the_weak_loading_of_holzinger_swineford(
    holzinger: v.CFAResult,
) -> None:
    flags = holzinger.flags()
    assert any(f.startswith("CFI 0.931") for f in flags)
    assert any(f.startswith("RMSEA 0.092") for f in flags)
    assert not any(f.startswith("SRMR") for f in flags)
    assert any(f.startswith("x2 loads 0.42") for f in flags)


def simulate(
    n: int, factors: int, items: int, correlation: float, loading: float, seed: int
) -> tuple[np.ndarray, list[str], dict[str, list[str]]]:
    """Five-point answers from a `factors`-factor model (one factor: every item on it)."""
    rng = np.random.default_rng(seed)
    phi = np.full((factors, factors), correlation)
    np.fill_diagonal(phi, 1.0)
    latent = rng.multivariate_normal(np.zeros(factors), phi, n)
    names = [f"a{f}_{i}" for f in range(6) for i in range(items)]
    columns = []
    for f in range(6):
        for _ in range(items):
            source = latent[:, f % factors]
            continuous = loading * source + np.sqrt(1 - loading**2) * rng.normal(size=n)
            columns.append(np.digitize(continuous, [-1.5, -0.5, 0.5, 1.5]) + 1)
    answers = np.column_stack(columns).astype(np.int8)
    model = {f"a{f}": [f"a{f}_{i}" for i in range(items)] for f in range(6)}
    return answers, names, model


def test_a_simulated_six_factor_cycle_fits_well_and_passes_every_check() -> None:
    answers, names, model = simulate(2000, 6, 5, 0.4, 0.75, seed=3)
    covariance, n = v.complete_covariance(answers, range(len(names)))
    result = v.fit_cfa(covariance, n, names, model)
    assert result.fit.cfi > 0.98
    assert result.fit.rmsea < 0.03
    assert result.fit.srmr < 0.03
    assert result.flags() == ()
    ratios = v.htmt(covariance, names, model)
    assert len(ratios) == 15
    assert max(ratios.values()) < v.HTMT_MAX
    # The latent correlation is 0.4: HTMT estimates it.
    assert np.mean(list(ratios.values())) == pytest.approx(0.4, abs=0.05)


def test_a_simulated_one_factor_cycle_is_flagged_and_its_six_factors_are_not_distinct() -> None:
    answers, names, model = simulate(2000, 1, 5, 0.0, 0.75, seed=4)
    covariance, n = v.complete_covariance(answers, range(len(names)))
    report = v.structure(covariance, n, names, model)
    assert report.six is not None
    assert report.one is not None
    # A six-factor model still "fits" one-factor data (its factors correlate near 1) ...
    assert max(report.htmt.values()) > v.HTMT_MAX
    assert any("HTMT" in flag for flag in report.flags())
    # ... and the one-factor model explains it as well: no significant loss.
    assert report.comparison is not None
    assert report.comparison.delta_cfi < 0.01


def test_on_six_factor_data_one_general_factor_fits_much_worse() -> None:
    answers, names, model = simulate(1500, 6, 5, 0.3, 0.7, seed=5)
    covariance, n = v.complete_covariance(answers, range(len(names)))
    report = v.structure(covariance, n, names, model)
    assert report.one is not None
    assert report.comparison is not None
    assert report.comparison.delta_df == 15
    assert report.comparison.p < 1e-6
    assert report.comparison.delta_cfi > 0.1
    assert any(f.startswith("CFI") for f in report.one.flags())


def test_it_declines_a_factor_analysis_on_too_few_complete_respondents() -> None:
    answers, names, model = simulate(150, 6, 5, 0.4, 0.75, seed=6)
    covariance, n = v.complete_covariance(answers, range(len(names)))
    report = v.structure(covariance, n, names, model)
    assert report.six is None
    assert report.reason == f"only 150 complete responses; a factor analysis needs {v.CFA_MIN_N}"


def test_complete_covariance_uses_only_respondents_who_answered_every_item() -> None:
    answers = np.array([[1, 2], [3, 0], [5, 4], [2, 2]], dtype=np.int8)
    covariance, n = v.complete_covariance(answers, [0, 1])
    assert n == 3
    assert covariance == pytest.approx(np.cov(np.array([[1, 2], [5, 4], [2, 2]]), rowvar=False))
