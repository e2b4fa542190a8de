"""Measurement invariance matched against lavaan's published multi-group fits."""

from __future__ import annotations

import numpy as np
import pytest

from execution2.analytics.assessment import validity as v
from execution2.analytics.assessment.invariance import invariance

ITEMS = [f"x{i}" for i in range(1, 10)]
MODEL = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"], "speed": ["x7", "x8", "x9"]}


@pytest.fixture(scope="module")
def schools() -> list[np.ndarray]:
    from semopy.examples import holzinger39

    frame = holzinger39.get_data()
    # lavaan orders the groups as they first appear: Pasteur, then Grant-White.
    return [frame[frame.school == s][ITEMS].to_numpy() for s in ("Pasteur", "Grant-White")]


def test_invariance_across_the_two_schools_matches_lavaans_tutorial(
    schools: list[np.ndarray],
) -> None:
    # lavaan's tutorial, cfa(HS.model, group = "school"), then group.equal = "loadings" and
    # c("intercepts", "loadings"): chi-square 115.85, 124.04, 164.10 on 48, 54, 60 df; the
    # differences 8.1922 (p 0.2244) and 40.0598 (p 4.44e-07).
    configural, metric, scalar = invariance(schools, ITEMS, MODEL)
    assert (configural.df, metric.df, scalar.df) == (48, 54, 60)
    assert configural.chi2 == pytest.approx(115.851, abs=0.01)
    assert metric.chi2 == pytest.approx(124.044, abs=0.01)
    assert scalar.chi2 == pytest.approx(164.103, abs=0.01)
    assert metric.delta_chi2 == pytest.approx(8.1922, abs=0.01)
    assert metric.p == pytest.approx(0.2244, abs=0.001)
    assert scalar.p == pytest.approx(4.44e-07, rel=0.02)
    assert metric.holds is True
    assert scalar.holds is False


def test_the_configural_fit_is_the_sum_of_each_groups_own_cfa(schools: list[np.ndarray]) -> None:
    configural = invariance(schools, ITEMS, MODEL)[0]
    separate = sum(
        v.fit_cfa(np.cov(g, rowvar=False), len(g), ITEMS, MODEL).fit.chi2 for g in schools
    )
    assert configural.chi2 == pytest.approx(separate, abs=0.01)


def test_groups_drawn_from_one_model_are_invariant_at_every_step() -> None:
    rng = np.random.default_rng(8)
    lam = np.array([0.8, 0.7, 0.6, 0.8, 0.7, 0.6])
    blocks = []
    for _ in range(2):
        f = rng.multivariate_normal([0, 0], [[1, 0.3], [0.3, 1]], 800)
        x = 3 + f[:, [0, 0, 0, 1, 1, 1]] * lam + rng.normal(0, 0.6, (800, 6))
        blocks.append(x)
    items = [f"i{k}" for k in range(6)]
    steps = invariance(blocks, items, {"a": items[:3], "b": items[3:]})
    assert [s.holds for s in steps] == [None, True, True]
    assert all(s.cfi > 0.99 for s in steps)
