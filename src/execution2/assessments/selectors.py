"""Reads of the assessment app, always scoped by organization."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from execution2.assessments.choices import CycleStatus
from execution2.assessments.models import ActionItem, Cycle, Subject
from execution2.orgs.choices import Role, role_at_least
from execution2.orgs.models import Membership, Organization, Unit


def cycles_for(*, organization: Organization) -> QuerySet[Cycle]:
    return (
        Cycle.objects.filter(organization=organization)
        .select_related("instrument")
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count("invitations", filter=Q(invitations__answered=True), distinct=True),
            response_count=Count("responses", distinct=True),
        )
    )


def cycle_get(*, organization: Organization, cycle_id: int) -> Cycle:
    cycle = (
        Cycle.objects.select_related("instrument", "organization")
        .filter(organization=organization, pk=cycle_id)
        .first()
    )
    if cycle is None:
        raise Http404("No such cycle")
    return cycle


def may_read_subject(*, membership: Membership, subject: Subject) -> bool:
    """Executives and admins read every manager report; a manager reads their own."""
    if role_at_least(membership.role, Role.EXECUTIVE):
        return True
    return membership.person_id is not None and membership.person_id == subject.person_id


def subject_get(*, membership: Membership, cycle: Cycle, subject_id: int) -> Subject:
    subject = (
        Subject.objects.select_related("person", "unit", "cycle")
        .filter(cycle=cycle, pk=subject_id)
        .first()
    )
    # A report one may not read answers exactly like one that doesn't exist.
    if subject is None or not may_read_subject(membership=membership, subject=subject):
        raise Http404("No such report")
    return subject


def my_subjects(*, membership: Membership) -> QuerySet[Subject]:
    if membership.person_id is None:
        return Subject.objects.none()
    return (
        Subject.objects.filter(
            person_id=membership.person_id, cycle__organization_id=membership.organization_id
        )
        .select_related("cycle", "unit")
        .order_by("-cycle__opens_on")
    )


def actions_of(*, subject: Subject) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(subject=subject).select_related("owner")


def trend_cycles(*, cycle: Cycle) -> list[Cycle]:
    """Closed cycles of the same instrument up to this one, oldest first."""
    return list(
        Cycle.objects.filter(
            organization_id=cycle.organization_id,
            instrument__key=cycle.instrument.key,
            opens_on__lte=cycle.opens_on,
        )
        .filter(Q(status=CycleStatus.CLOSED) | Q(pk=cycle.pk))
        .select_related("instrument", "organization")
        .order_by("opens_on", "pk")
    )


def unit_get(*, organization: Organization, unit_id: str | None) -> Unit | None:
    if not unit_id or not str(unit_id).isdigit():
        return None
    return Unit.objects.filter(organization=organization, pk=int(unit_id)).first()


def latest_closed_cycle(*, organization: Organization) -> Cycle | None:
    """The cycle whose results stand for the organization now (for the Execution Index)."""
    return (
        Cycle.objects.filter(organization=organization, status=CycleStatus.CLOSED)
        .select_related("instrument", "organization")
        .order_by("-closes_on", "-pk")
        .first()
    )


def action_plan_evidence(*, organization: Organization) -> dict[str, int]:
    """Consideration evidence (design.md 4.1): action items after cycles, closed and on time."""
    items = ActionItem.objects.filter(subject__cycle__organization=organization)
    return {
        "items": items.count(),
        "closed": items.filter(closed_on__isnull=False).count(),
        "closed_on_time": items.filter(
            closed_on__isnull=False, due_on__isnull=False, closed_on__lte=F("due_on")
        ).count(),
    }
