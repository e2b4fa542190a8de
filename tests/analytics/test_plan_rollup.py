"""Progress roll-up and schedule performance on small plans computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from execution2.analytics.plan import PlanGraph, kpi_progress, rollup, schedule_performance


def test_an_initiative_under_two_opportunities_counts_fully_under_each() -> None:
    """Nodes: 0 = opportunity A, 1 = opportunity B, 2 = initiative X (weight 2), 3 = Y (weight 1).

    X serves A and B; Y serves A only.
    X: assignments of weights 1 and 3 at 100% and 0% -> (1*1 + 3*0) / 4 = 0.25.
    Y: assignments of weights 1 and 1 at 50% and 100% -> 0.75.
    A = (2 * 0.25 + 1 * 0.75) / (2 + 1) = 1.25 / 3 = 0.41667.
    B = X alone = 0.25 (X is not split between its parents).
    """
    graph = PlanGraph.build(
        4,
        [(2, 0, 2.0), (2, 1, 2.0), (3, 0, 1.0)],
        work={2: (1 * 1.0 + 3 * 0.0, 4.0), 3: (1 * 0.5 + 1 * 1.0, 2.0)},
    )
    progress = rollup(graph)
    assert progress[2] == pytest.approx(0.25)
    assert progress[3] == pytest.approx(0.75)
    assert progress[0] == pytest.approx(1.25 / 3)
    assert progress[1] == pytest.approx(0.25)


def test_kpis_and_work_each_count_for_half_of_an_initiative() -> None:
    """Initiative 0 with a tactic 1 (weight 1) and a sub-initiative 2 (weight 3), and two KPIs.

    Tactic 1: one assignment at 80% -> 0.8. Sub-initiative 2: one assignment at 40% -> 0.4.
    Work of 0 = (1 * 0.8 + 3 * 0.4) / 4 = 2.0 / 4 = 0.5.
    KPIs of 0: 0.2 and 0.6 -> 0.4.  Progress of 0 = (0.5 + 0.4) / 2 = 0.45.
    """
    graph = PlanGraph.build(
        3,
        [(1, 0, 1.0), (2, 0, 3.0)],
        work={1: (0.8, 1.0), 2: (0.4, 1.0)},
        kpis={0: [0.2, 0.6]},
    )
    assert rollup(graph)[0] == pytest.approx(0.45)


def test_a_node_without_measures_is_left_out_of_its_parents_mean() -> None:
    graph = PlanGraph.build(3, [(1, 0, 1.0), (2, 0, 5.0)], work={1: (0.6, 1.0)})
    progress = rollup(graph)
    assert math.isnan(progress[2])
    assert progress[0] == pytest.approx(0.6)


def test_a_cycle_of_parents_is_refused() -> None:
    graph = PlanGraph.build(2, [(0, 1, 1.0), (1, 0, 1.0)])
    with pytest.raises(ValueError, match="cycle"):
        rollup(graph)


def test_kpi_progress_works_in_both_directions_and_is_clipped() -> None:
    """Up: baseline 10, target 20, now 15 -> 0.5. Down: 24 -> 4 hours, now 14 -> (14-24)/(4-24)
    = 0.5. Overshoot clips to 1, going the wrong way to 0; no value is NaN."""
    result = kpi_progress(
        np.array([10.0, 24.0, 10.0, 10.0, 10.0]),
        np.array([20.0, 4.0, 20.0, 20.0, 20.0]),
        np.array([15.0, 14.0, 30.0, 5.0, np.nan]),
        np.array([True, False, True, True, True]),
    )
    assert result[:4] == pytest.approx([0.5, 0.5, 1.0, 0.0])
    assert math.isnan(result[4])


def test_schedule_performance_is_progress_over_elapsed_time() -> None:
    """Day 0 to day 100, as of day 25: elapsed 0.25. Progress 0.2 -> 0.8; 0.5 -> 2.0.
    Not started yet (as of before start) -> NaN."""
    spi = schedule_performance(
        np.array([0.2, 0.5, 0.3]), np.array([0.0, 0.0, 50.0]), np.array([100.0, 100.0, 150.0]), 25.0
    )
    assert spi[0] == pytest.approx(0.8)
    assert spi[1] == pytest.approx(2.0)
    assert math.isnan(spi[2])
