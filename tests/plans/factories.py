"""Small plan objects for tests of other packages (the tenancy walker fills URLs with them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PlanObjects:
    initiative: Any
    assignment: Any
    idea: Any
    opportunity: Any


def plan_objects(organization: Any) -> PlanObjects:
    """An initiative with one assignment and an idea in `organization`, made once."""
    from django.utils import timezone

    from execution2.orgs.models import Person
    from execution2.plans.models import Assignment, Idea, Initiative, Opportunity

    initiative, _ = Initiative.objects.get_or_create(
        organization=organization, key="tenancy", defaults={"title": "Tenancy check"}
    )
    people = Person.objects.filter(organization=organization).order_by("pk")
    owner = people.last()
    assignment = Assignment.objects.filter(initiative=initiative).first()
    if assignment is None:
        assignment = Assignment.objects.create(
            organization=organization,
            initiative=initiative,
            title="Check tenancy",
            owner=owner,
            delegator=people.first(),
            created_at=timezone.now(),
        )
    idea = Idea.objects.filter(organization=organization).first() or Idea.objects.create(
        organization=organization, title="An idea"
    )
    opportunity, _ = Opportunity.objects.get_or_create(
        organization=organization, key="tenancy", defaults={"title": "Tenancy market"}
    )
    return PlanObjects(initiative, assignment, idea, opportunity)
