"""The demo's plan: built from the seed, shaped as promised, and safe to build again."""

from __future__ import annotations

import io
from typing import Any

import pytest

from execution2.analytics.synth import generate_organization
from execution2.orgs.demo import synthetic_people_csv
from execution2.orgs.people_import import people_import
from execution2.plans.demo import demo_extend
from execution2.plans.models import Assignment, CheckIn, Initiative, Recognition
from execution2.plans.selectors import plan_status

pytestmark = pytest.mark.django_db


def test_the_demo_plan_has_a_marketing_trap_and_an_overspender_and_builds_twice(
    make_org: Any,
) -> None:
    company = generate_organization(people=120, seed=3)
    organization = make_org("demo", company.name)
    people_import(
        organization=organization,
        source=io.BytesIO(synthetic_people_csv(company)),
        file_name="people.csv",
    )
    summary = demo_extend(organization=organization, company=company, seed=3)
    assert "480 assignments" in summary
    first = Assignment.objects.filter(organization=organization).count()
    demo_extend(organization=organization, company=company, seed=3)
    assert Assignment.objects.filter(organization=organization).count() == first == 480
    assert CheckIn.objects.filter(assignment__organization=organization).count() > first
    assert Recognition.objects.filter(organization=organization).exists()
    status = plan_status(organization=organization)
    assert 10 <= len(status.initiatives) <= 20
    traps = [r for r in status.initiatives.values() if "marketing trap" in r.flags]
    assert [r.unit_paths for r in traps] == [["Marketing"]]
    overspent = [r for r in status.initiatives.values() if "over budget" in r.flags]
    assert len(overspent) == 1
    assert Initiative.objects.filter(
        organization=organization, assignments__status="proposed"
    ).exists()
