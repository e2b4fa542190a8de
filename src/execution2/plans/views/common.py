"""Pieces the plan views share."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from execution2.orgs.models import Person
from execution2.orgs.tenancy import OrgRequest
from execution2.plans.models import Assignment, Initiative

MAX_ID = 2**63 - 1
CHOICE_LIMIT = 400


def id_param(value: object) -> int | None:
    """A positive database id from a query parameter, or None for anything else."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def get_initiative(request: OrgRequest, initiative_id: int) -> Initiative:
    initiative = (
        Initiative.objects.filter(organization=request.organization, pk=initiative_id)
        .select_related("owner", "sponsor")
        .first()
    )
    if initiative is None:
        raise Http404("No such initiative")
    return initiative


def get_assignment(request: OrgRequest, assignment_id: int) -> Assignment:
    assignment = (
        Assignment.objects.filter(organization=request.organization, pk=assignment_id)
        .select_related("initiative", "tactic", "owner", "delegator", "owner__unit")
        .first()
    )
    if assignment is None:
        raise Http404("No such assignment")
    return assignment


def colleagues(person: Person | None, *, extra: list[int] | None = None) -> QuerySet[Person]:
    """People someone works with: manager, reports, peers, and the ids in `extra`."""
    if person is None:
        return Person.objects.none()
    condition = Q(manager_id=person.pk) | Q(pk__in=extra or [])
    if person.manager_id:
        condition |= Q(pk=person.manager_id) | Q(manager_id=person.manager_id)
    ids = list(
        Person.objects.filter(organization_id=person.organization_id, active=True)
        .filter(condition)
        .exclude(pk=person.pk)
        .order_by("name", "pk")
        .values_list("pk", flat=True)[:CHOICE_LIMIT]
    )
    return limited(ids)


def limited(ids: list[int]) -> QuerySet[Person]:
    """A queryset of these people that a form field can still filter (no slice in it)."""
    return Person.objects.filter(pk__in=ids).order_by("name", "pk")
