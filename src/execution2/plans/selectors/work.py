"""Assignments and blockers of one person."""

from __future__ import annotations

from django.db.models import F, QuerySet

from execution2.orgs.models import Organization, Person
from execution2.plans.models import (
    Assignment,
    Blocker,
)


def assignments_for(*, organization: Organization) -> QuerySet[Assignment]:
    return Assignment.objects.filter(organization=organization).select_related(
        "initiative", "tactic", "owner", "delegator"
    )


def my_assignments(*, organization: Organization, person: Person) -> QuerySet[Assignment]:
    return (
        assignments_for(organization=organization)
        .filter(owner=person)
        .order_by(
            F("due").asc(nulls_last=True),
            "pk",
        )
    )


def blockers_escalated_to(*, organization: Organization, person: Person) -> QuerySet[Blocker]:
    return Blocker.objects.filter(
        organization=organization, escalated_to=person, resolved_at__isnull=True
    ).select_related("assignment", "initiative", "raised_by")
