"""The roll-ups and the delegation evidence read from the database."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from execution2.plans.models import Assignment, Blocker, Initiative, Recognition
from execution2.plans.selectors import (
    delegation_evidence_by_manager,
    delegation_evidence_by_unit,
    plan_status,
)
from tests.plans.conftest import person

pytestmark = pytest.mark.django_db

JULY = datetime.date(2026, 7, 1)


def test_plan_status_matches_the_arithmetic_by_hand(planned: Any) -> None:
    """eco-line: KPI 5 of 0 -> 10 = 0.5. Work: tactic Design = (100% + 0%) / 2 = 0.5 (weight 1)
    and the child initiative social = 0 (its one assignment at 0%) with weight 1:
    (0.5 + 0) / 2 = 0.25. Progress = (0.5 + 0.25) / 2 = 0.375.
    The opportunity: eco-line (weight 2) at 0.375 and social (weight 1) at 0, each counted once
    under it: (2 * 0.375 + 0) / 3 = 0.25.
    Schedule as of 1 July: elapsed (181 / 364) = 0.4973 -> 0.375 / 0.4973 = 0.754.
    Money: actual 12,000 + 100 h * 50 = 17,000 against 15,000 planned to date (the March line
    is planned only); returns 20,000 -> ROI 3,000 / 17,000; payback 3 + 17,000 / 20,000.
    Breadth of social: its people are all in Marketing -> marketing trap.
    """
    status = plan_status(organization=planned, as_of=JULY)
    eco = next(r for r in status.initiatives.values() if r.key == "eco-line")
    social = next(r for r in status.initiatives.values() if r.key == "social")
    assert eco.kpi_progress == pytest.approx(0.5)
    assert eco.tactics[0].progress == pytest.approx(0.5)
    assert social.progress == pytest.approx(0.0)
    assert eco.progress == pytest.approx(0.375)
    assert status.opportunities[0].progress == pytest.approx(0.25)
    assert eco.schedule == pytest.approx(0.375 / (181 / 364))
    assert eco.finance.actual_cost == 17_000
    assert eco.finance.planned_to_date == 25_000
    assert eco.finance.budget_variance_share == pytest.approx(-0.32)
    assert eco.finance.roi == pytest.approx(3_000 / 17_000)
    assert eco.finance.payback_months == pytest.approx(3.85)
    assert "over budget" not in eco.flags
    february = plan_status(organization=planned, as_of=datetime.date(2026, 2, 15))
    early = next(r for r in february.initiatives.values() if r.key == "eco-line")
    assert early.finance.budget_variance == 2_000
    assert "over budget" in early.flags
    assert social.breadth is not None
    assert social.breadth.marketing_trap
    assert "marketing trap" in social.flags
    assert eco.counts.total == 2
    assert eco.counts.done == 1
    assert eco.counts.late == 1  # the prototype was due 1 April


def test_plan_status_runs_a_fixed_number_of_queries(
    planned: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(25):
        plan_status(organization=planned)


def _assignment(organization: Any, **fields: Any) -> Assignment:
    initiative = Initiative.objects.get(organization=organization, key="eco-line")
    return Assignment.objects.create(organization=organization, initiative=initiative, **fields)


def test_the_evidence_of_a_manager_from_hand_built_assignments(planned: Any) -> None:
    """Bram (2) manages Chloé (3) and Dário (4). Beside the file's brief (done, instructions
    and due date, delegated by Bram to Chloé), Bram delegates:
      x to Chloé: no instructions, due 10 days ago, acknowledged after 2 days, still open (late)
      y to Dário: instructions, due in 5 days, acknowledged after 4 days, done 1 day early
    The brief was created, acknowledged and done at import: delay 0 days, and done after its
    due date (1 Feb 2026) -> late.
    instructed share 2/3; acknowledged 3/3; median delay of (0, 2, 4) = 2 days;
    on time: base = brief (done, due) + y (done, due) + x (open, overdue) = 3, on time = y -> 1/3.
    Blockers on Bram's assignments: one raised 3 days ago, resolved 1 day later -> 1 day.
    Recognition given by Bram: 2 in the window, team of 2, 90 days = 2.957 months.
    Spread over his team of 2: Chloé 2, Dário 1 -> -(2/3 ln 2/3 + 1/3 ln 1/3) / ln 2 = 0.918.
    """
    now = timezone.now()
    today = timezone.localdate()
    bram, chloe, dario = (person(planned, x) for x in ("2", "3", "4"))
    day = datetime.timedelta(days=1)
    brief = Assignment.objects.get(organization=planned, key="brief")
    x = _assignment(
        planned,
        title="x",
        owner=chloe,
        delegator=bram,
        due=today - 10 * day,
        status="acknowledged",
        created_at=now - 20 * day,
        acknowledged_at=now - 18 * day,
    )
    _assignment(
        planned,
        title="y",
        instructions="Do it well",
        owner=dario,
        delegator=bram,
        due=today + 5 * day,
        status="done",
        created_at=now - 10 * day,
        acknowledged_at=now - 6 * day,
        completed_at=now - 3 * day + datetime.timedelta(hours=1),
        progress=100,
    )
    Blocker.objects.create(
        organization=planned,
        initiative=x.initiative,
        assignment=x,
        description="stuck",
        raised_by=chloe,
        raised_at=now - 3 * day,
        resolved_at=now - 2 * day,
        resolution="collaborative",
    )
    for receiver in (chloe, dario):
        Recognition.objects.create(
            organization=planned, giver=bram, receiver=receiver, message="Thanks", created_at=now
        )
    Recognition.objects.create(
        organization=planned,
        giver=bram,
        receiver=chloe,
        message="Long ago",
        created_at=now - 200 * day,
    )
    evidence = delegation_evidence_by_manager(organization=planned)[bram.pk]
    assert brief.delegator_id == bram.pk
    assert evidence.assignments == 3
    assert evidence.instructed_share == pytest.approx(2 / 3)
    assert evidence.acknowledged_share == pytest.approx(1.0)
    assert evidence.median_ack_delay_days == pytest.approx(2.0, abs=1e-3)
    assert evidence.on_time_base == 3
    assert evidence.on_time_share == pytest.approx(1 / 3)
    assert evidence.median_blocker_resolution_days == pytest.approx(1.0)
    assert evidence.recognitions == 2
    assert evidence.recognition_per_person_month == pytest.approx(2 / 2 / (90 / (365.25 / 12)))
    assert evidence.team_size == 2
    assert evidence.spread == pytest.approx(0.9183, abs=1e-4)
    assert evidence.reach == 1.0
    # The same figures for Bram's unit (Marketing and below), over Marketing's 3 people.
    by_unit = delegation_evidence_by_unit(organization=planned)
    marketing = bram.unit_id
    assert by_unit[marketing].assignments == 4  # with Chloé's delegation to Dário
    assert by_unit[marketing].team_size == 3
