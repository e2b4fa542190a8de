"""The demo's feedback cycles: reliable scales, a trend, and safe to run twice."""

from __future__ import annotations

from typing import Any

import pytest

from execution2.analytics.synth import generate_organization
from execution2.assessments.demo import demo_extend
from execution2.assessments.models import Cycle
from execution2.assessments.results import cycle_result
from execution2.orgs.demo import synthetic_people_csv

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_closed_cycles_with_scales_of_alpha_between_0_75_and_0_9(
    make_org: Any, import_people: Any
) -> None:
    company = generate_organization(people=300, seed=7)
    organization = make_org("demo", company.name)
    import_people(organization, synthetic_people_csv(company).decode())
    summary = demo_extend(organization=organization, company=company, seed=7)
    assert "2 closed 360 feedback cycles" in summary
    demo_extend(organization=organization, company=company, seed=7)  # replaces, doesn't fail
    cycles = list(Cycle.objects.filter(organization=organization).order_by("opens_on"))
    assert [c.status for c in cycles] == ["closed", "closed"]
    result = cycle_result(cycles[-1])
    assert result.previous is not None
    assert result.previous.cycle == cycles[0]
    overall = result.group("organization", None)
    assert overall is not None
    assert not overall.suppressed
    for scale in overall.attributes:
        assert 0.75 <= (scale.alpha or 0) <= 0.9, scale
        assert scale.change is not None
    invited = cycles[-1].invitations.count()
    rate = cycles[-1].invitations.filter(answered=True).count() / invited
    assert 0.6 <= rate <= 0.85


def test_the_demo_action_plans_give_consideration_evidence(
    make_org: Any, import_people: Any
) -> None:
    from execution2.assessments.selectors import action_plan_evidence, latest_closed_cycle

    company = generate_organization(people=200, seed=3)
    organization = make_org("demo", company.name)
    import_people(organization, synthetic_people_csv(company).decode())
    demo_extend(organization=organization, company=company, seed=3)
    evidence = action_plan_evidence(organization=organization)
    assert evidence["items"] > 0
    assert 0 < evidence["closed"] <= evidence["items"]
    assert evidence["closed_on_time"] == evidence["closed"]  # the demo closes items before due
    latest = latest_closed_cycle(organization=organization)
    assert latest is not None
    assert latest.name == "Autumn 2025 feedback"
