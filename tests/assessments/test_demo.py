"""The demo's feedback cycles: reliable scales, a trend, dated around today, safe to run twice."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from execution2.analytics.synth import generate_organization
from execution2.assessments.demo import demo_cycles, demo_extend
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
    assert latest.name == demo_cycles(timezone.localdate())[-1][0]


def test_the_cycles_close_on_fridays_about_six_months_and_one_month_before_today() -> None:
    today = datetime.date(2026, 11, 27)
    (first, _, first_opens, first_closes, _), (last, _, opens, closes, _) = demo_cycles(today)
    assert (first, first_opens, first_closes) == (
        "Spring 2026 feedback",
        datetime.date(2026, 5, 4),
        datetime.date(2026, 5, 22),
    )
    assert (last, opens, closes) == (
        "Autumn 2026 feedback",
        datetime.date(2026, 10, 5),
        datetime.date(2026, 10, 23),
    )
    assert first_closes.weekday() == closes.weekday() == 4


def test_a_cycle_opened_in_december_belongs_to_the_next_years_winter() -> None:
    names = [cycle[0] for cycle in demo_cycles(datetime.date(2027, 2, 5))]
    assert names == ["Summer 2026 feedback", "Winter 2027 feedback"]


def test_a_rebuild_on_a_later_day_replaces_the_earlier_demo_cycles_and_keeps_others(
    make_org: Any, import_people: Any
) -> None:
    from execution2.assessments.choices import CycleKind
    from execution2.assessments.services import cycle_create

    company = generate_organization(people=60, seed=3)
    organization = make_org("demo", company.name)
    import_people(organization, synthetic_people_csv(company).decode())
    demo_extend(organization=organization, company=company, seed=3)
    # As if the demo had been built a year earlier, beside a cycle an admin created.
    for cycle in Cycle.objects.filter(organization=organization):
        cycle.name = cycle.name.replace("2026", "2025")
        cycle.save(update_fields=["name"])
    cycle_create(
        organization=organization,
        name="Pulse check",
        kind=CycleKind.PULSE,
        opens_on=datetime.date(2026, 1, 5),
        closes_on=datetime.date(2026, 1, 16),
    )
    demo_extend(organization=organization, company=company, seed=3)
    names = sorted(Cycle.objects.filter(organization=organization).values_list("name", flat=True))
    assert names == sorted([c[0] for c in demo_cycles(timezone.localdate())] + ["Pulse check"])
