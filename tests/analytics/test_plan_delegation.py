"""Delegation evidence on a hand-built set of assignments."""

from __future__ import annotations

import math

import numpy as np
import pytest

from execution2.analytics.plan import delegation_evidence

NAN = math.nan


def test_the_evidence_figures_of_two_managers() -> None:
    """Manager 0 (team of 3) delegated four assignments, manager 1 (team of 2) one.

    Manager 0, as of day 100:
      a: instructions + due 10, created day 0, acknowledged day 1, done day 9   -> on time
      b: instructions, no due date, created 0, acknowledged day 3, open
      c: instructions + due 20, created 0, acknowledged day 0.5, done day 25    -> late
      d: due 50, no instructions, created 10, never acknowledged, open, overdue  -> late
    instructed share = a, c = 2/4 = 0.5; acknowledged = 3/4 = 0.75;
    median delay of (1, 3, 0.5) = 1; on-time base = a, c (done with due) + d (overdue) = 3,
    on time = a -> 1/3.
    Owners: a, b -> person 10; c -> 11; d -> 12: counts 2, 1, 1 over a team of 3:
    spread = -(0.5 ln 0.5 + 2 * 0.25 ln 0.25) / ln 3 = 1.0397 / 1.0986 = 0.9464; reach 3/3 = 1.
    Blockers: raised day 2 resolved day 6 (4 days), raised day 4 resolved day 5 (1 day), one open:
    median resolution 2.5 days, 1 open.
    Recognition: 6 given over a 3-month window, team of 3 -> 6 / 3 / 3 = 0.667.
    Manager 1: one dropped assignment: acknowledged share has no base (None).
    """
    evidence = delegation_evidence(
        2,
        group=np.array([0, 0, 0, 0, 1]),
        owner=np.array([10, 10, 11, 12, 20]),
        has_instructions=np.array([True, True, True, False, True]),
        has_due=np.array([True, False, True, True, True]),
        dropped=np.array([False, False, False, False, True]),
        created=np.array([0.0, 0.0, 0.0, 10.0, 0.0]),
        acknowledged=np.array([1.0, 3.0, 0.5, NAN, NAN]),
        due_day=np.array([10.0, NAN, 20.0, 50.0, 30.0]),
        completed_day=np.array([9.0, NAN, 25.0, NAN, NAN]),
        as_of_day=100.0,
        team_size=np.array([3, 2]),
        blocker_group=np.array([0, 0, 0]),
        blocker_raised=np.array([2.0, 4.0, 7.0]),
        blocker_resolved=np.array([6.0, 5.0, NAN]),
        recognition_group=np.array([0, 0, 0, 0, 0, 0]),
        months=3.0,
    )
    first, second = evidence
    assert first.assignments == 4
    assert first.instructed_share == pytest.approx(0.5)
    assert first.acknowledged_share == pytest.approx(0.75)
    assert first.median_ack_delay_days == pytest.approx(1.0)
    assert first.on_time_base == 3
    assert first.on_time_share == pytest.approx(1 / 3)
    assert first.blockers == 3
    assert first.blockers_open == 1
    assert first.median_blocker_resolution_days == pytest.approx(2.5)
    assert first.recognition_per_person_month == pytest.approx(6 / 3 / 3)
    spread = -(0.5 * math.log(0.5) + 2 * 0.25 * math.log(0.25)) / math.log(3)
    assert first.spread == pytest.approx(spread)
    assert first.spread == pytest.approx(0.9464, abs=1e-4)
    assert first.reach == 1.0
    assert second.assignments == 1
    assert second.acknowledged_share is None
    assert second.on_time_share is None
    assert second.recognition_per_person_month == 0.0
