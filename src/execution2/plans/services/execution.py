"""Delegation and execution: assignments, check-ins, blockers, recognition, KPI values, ideas."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from execution2.orgs.models import Organization, Person
from execution2.orgs.services import audit_record
from execution2.plans.choices import (
    AssignmentStatus,
    IdeaStatus,
    InitiativeStatus,
    NotificationKind,
    Resolution,
)
from execution2.plans.models import (
    KPI,
    Assignment,
    Blocker,
    CheckIn,
    Idea,
    IdeaComment,
    IdeaVote,
    Initiative,
    KPIValue,
    NotificationPreference,
    Recognition,
    Tactic,
)
from execution2.plans.notifications import notify

Actor = AbstractBaseUser | AnonymousUser | None


def _same_org(organization: Organization, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and obj.organization_id != organization.pk:
            raise ValidationError("That belongs to another organization.")


@transaction.atomic
def assignment_create(
    *,
    organization: Organization,
    initiative: Initiative,
    owner: Person,
    delegator: Person | None,
    title: str,
    instructions: str = "",
    acceptance_criteria: str = "",
    due: datetime.date | None = None,
    tactic: Tactic | None = None,
    weight: float = 1.0,
) -> Assignment:
    _same_org(organization, initiative, owner, delegator)
    if not owner.active:
        raise ValidationError({"owner": f"{owner.name} has left the organization."})
    assignment = Assignment(
        organization=organization,
        initiative=initiative,
        tactic=tactic,
        title=title.strip(),
        instructions=instructions.strip(),
        acceptance_criteria=acceptance_criteria.strip(),
        due=due,
        owner=owner,
        delegator=delegator,
        weight=weight,
        created_at=timezone.now(),
    )
    assignment.full_clean()
    assignment.save()
    by = f" from {delegator.name}" if delegator else ""
    due_text = f", due {due:%d %b %Y}" if due else ""
    notify(
        organization=organization,
        person=owner,
        kind=NotificationKind.ASSIGNMENT_NEW,
        subject=f"New assignment: {assignment.title}",
        body=(
            f"You have a new assignment{by} for {initiative.title}{due_text}.\n\n"
            f"Instructions: {assignment.instructions or '(none given)'}\n"
            f"Done when: {assignment.acceptance_criteria or '(not stated)'}\n\n"
            "Open My work to acknowledge it."
        ),
    )
    return assignment


def _require_owner(assignment: Assignment, person: Person | None) -> Person:
    if person is None or person.pk != assignment.owner_id:
        raise ValidationError("Only the assignment's owner can do that.")
    return person


@transaction.atomic
def assignment_acknowledge(*, assignment: Assignment, person: Person | None) -> Assignment:
    _require_owner(assignment, person)
    if assignment.status != AssignmentStatus.PROPOSED:
        raise ValidationError("This assignment was acknowledged already.")
    assignment.status = AssignmentStatus.ACKNOWLEDGED
    assignment.acknowledged_at = timezone.now()
    assignment.save(update_fields=["status", "acknowledged_at"])
    return assignment


@transaction.atomic
def checkin_create(
    *,
    assignment: Assignment,
    author: Person | None,
    progress: float,
    confidence: int,
    comment: str = "",
    done: bool = False,
) -> CheckIn:
    """Append a check-in; it moves the assignment to in progress, or done at 100% when asked."""
    if author is None or author.pk not in (assignment.owner_id, assignment.delegator_id):
        raise ValidationError("Only the owner or the delegator can check in on an assignment.")
    if not assignment.is_open:
        raise ValidationError("This assignment is closed; check-ins are for open work.")
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": "Progress is a percentage from 0 to 100."})
    if not 0 <= confidence <= 10:
        raise ValidationError({"confidence": "Confidence goes from 0 to 10."})
    now = timezone.now()
    if done:
        progress = 100.0
    checkin = CheckIn(
        assignment=assignment,
        progress=progress,
        confidence=confidence,
        comment=comment.strip(),
        author=author,
        created_at=now,
    )
    checkin.full_clean()
    checkin.save()
    fields = ["progress", "status"]
    assignment.progress = progress
    if assignment.acknowledged_at is None and author.pk == assignment.owner_id:
        assignment.acknowledged_at = now
        fields.append("acknowledged_at")
    if done:
        assignment.status = AssignmentStatus.DONE
        assignment.completed_at = now
        fields.append("completed_at")
    else:
        assignment.status = AssignmentStatus.IN_PROGRESS
    assignment.save(update_fields=fields)
    return checkin


@transaction.atomic
def assignment_drop(*, assignment: Assignment, person: Person | None) -> Assignment:
    if person is None or person.pk != assignment.delegator_id:
        raise ValidationError("Only the person who delegated it can drop an assignment.")
    assignment.status = AssignmentStatus.DROPPED
    assignment.save(update_fields=["status"])
    return assignment


@transaction.atomic
def blocker_raise(
    *,
    assignment: Assignment,
    raised_by: Person | None,
    description: str,
    escalate_to: Person | None = None,
) -> Blocker:
    if raised_by is None:
        raise ValidationError("Link your login to a person to raise blockers.")
    _same_org(assignment.organization, raised_by, escalate_to)
    if not description.strip():
        raise ValidationError({"description": "Say what is in the way."})
    blocker = Blocker(
        organization_id=assignment.organization_id,
        initiative_id=assignment.initiative_id,
        assignment=assignment,
        description=description.strip(),
        raised_by=raised_by,
        raised_at=timezone.now(),
    )
    blocker.full_clean()
    blocker.save()
    if escalate_to is not None:
        blocker_escalate(blocker=blocker, to=escalate_to)
    return blocker


@transaction.atomic
def blocker_escalate(*, blocker: Blocker, to: Person) -> Blocker:
    if blocker.resolved_at is not None:
        raise ValidationError("This blocker is resolved already.")
    if to.organization_id != blocker.organization_id:
        raise ValidationError("That person belongs to another organization.")
    blocker.escalated_to = to
    blocker.escalated_at = timezone.now()
    blocker.save(update_fields=["escalated_to", "escalated_at"])
    title = blocker.assignment.title if blocker.assignment else blocker.initiative.title
    raised_by = blocker.raised_by.name if blocker.raised_by else "Someone"
    notify(
        organization=blocker.organization,
        person=to,
        kind=NotificationKind.BLOCKER_ESCALATED,
        subject=f"Blocker escalated to you: {title}",
        body=f'{raised_by} needs your help on "{title}":\n\n{blocker.description}',
    )
    return blocker


def blocker_may_resolve(*, blocker: Blocker, person: Person | None) -> bool:
    """Whether this person may resolve the blocker: who raised it, the person it was escalated
    to, and the owner and delegator of its assignment (the pages ask this before offering it)."""
    if person is None:
        return False
    allowed = {blocker.raised_by_id, blocker.escalated_to_id}
    if blocker.assignment is not None:
        allowed |= {blocker.assignment.owner_id, blocker.assignment.delegator_id}
    return person.pk in allowed


@transaction.atomic
def blocker_resolve(
    *, blocker: Blocker, person: Person | None, resolution: str, note: str = ""
) -> Blocker:
    if not blocker_may_resolve(blocker=blocker, person=person):
        raise ValidationError(
            "Only the person who raised it, the owner, the delegator or the person it was "
            "escalated to can resolve a blocker."
        )
    if blocker.resolved_at is not None:
        raise ValidationError("This blocker is resolved already.")
    if resolution not in Resolution.values:
        raise ValidationError({"resolution": "Choose how it was resolved."})
    blocker.resolution = resolution
    blocker.resolution_note = note.strip()
    blocker.resolved_at = timezone.now()
    blocker.save(update_fields=["resolution", "resolution_note", "resolved_at"])
    return blocker


@transaction.atomic
def recognition_create(
    *,
    organization: Organization,
    giver: Person | None,
    receiver: Person,
    message: str,
    assignment: Assignment | None = None,
) -> Recognition:
    if giver is None:
        raise ValidationError("Link your login to a person to recognise colleagues.")
    _same_org(organization, giver, receiver, assignment)
    if giver.pk == receiver.pk:
        raise ValidationError({"receiver": "Recognise a colleague, not yourself."})
    if not message.strip():
        raise ValidationError({"message": "Say what you recognise them for."})
    recognition = Recognition(
        organization=organization,
        giver=giver,
        receiver=receiver,
        message=message.strip(),
        assignment=assignment,
        created_at=timezone.now(),
    )
    recognition.full_clean()
    recognition.save()
    about = f' for "{assignment.title}"' if assignment else ""
    notify(
        organization=organization,
        person=receiver,
        kind=NotificationKind.RECOGNITION,
        subject=f"{giver.name} recognised you{about}",
        body=f"{giver.name} wrote:\n\n{recognition.message}",
    )
    return recognition


@transaction.atomic
def kpi_value_record(*, kpi: KPI, day: datetime.date, value: float) -> KPIValue:
    row, _ = KPIValue.objects.update_or_create(kpi=kpi, day=day, defaults={"value": value})
    return row


@transaction.atomic
def notification_preference_set(*, person: Person, daily_digest: bool) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.update_or_create(
        person=person, defaults={"daily_digest": daily_digest}
    )
    return preference


# --- ideas -------------------------------------------------------------------------------------


@transaction.atomic
def idea_create(*, organization: Organization, author: Any, title: str, description: str) -> Idea:
    idea = Idea(
        organization=organization,
        author=author,
        title=title.strip(),
        description=description.strip(),
    )
    idea.full_clean()
    idea.save()
    return idea


@transaction.atomic
def idea_vote_toggle(*, idea: Idea, user: Any) -> bool:
    """Vote for the idea, or take the vote back; returns whether the user now votes for it."""
    if idea.status != IdeaStatus.OPEN:
        raise ValidationError("Voting is closed on this idea.")
    deleted, _ = IdeaVote.objects.filter(idea=idea, user=user).delete()
    if deleted:
        return False
    IdeaVote.objects.create(idea=idea, user=user)
    return True


@transaction.atomic
def idea_comment_add(*, idea: Idea, author: Any, text: str) -> IdeaComment:
    if not text.strip():
        raise ValidationError({"text": "Write a comment first."})
    comment = IdeaComment(idea=idea, author=author, text=text.strip()[:5000])
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def idea_promote(*, idea: Idea, actor: Actor, key: str, owner: Person | None = None) -> Initiative:
    """Make an open idea an initiative (proposed); the idea keeps the link."""
    if idea.status != IdeaStatus.OPEN:
        raise ValidationError("Only open ideas can be promoted.")
    if Initiative.objects.filter(organization=idea.organization, key=key).exists():
        raise ValidationError({"key": f"An initiative with the key {key!r} exists already."})
    _same_org(idea.organization, owner)
    initiative = Initiative(
        organization=idea.organization,
        key=key,
        title=idea.title,
        objective=idea.description,
        owner=owner,
        status=InitiativeStatus.PROPOSED,
    )
    initiative.full_clean()
    initiative.save()
    idea.status = IdeaStatus.PROMOTED
    idea.initiative = initiative
    idea.save(update_fields=["status", "initiative"])
    audit_record(
        organization=idea.organization,
        actor=actor,
        action="plan.idea_promote",
        detail={"idea": idea.title, "initiative": key},
    )
    return initiative


@transaction.atomic
def idea_close(*, idea: Idea, actor: Actor) -> Idea:
    if idea.status != IdeaStatus.OPEN:
        raise ValidationError("Only open ideas can be closed.")
    idea.status = IdeaStatus.CLOSED
    idea.save(update_fields=["status"])
    audit_record(
        organization=idea.organization,
        actor=actor,
        action="plan.idea_close",
        detail={"idea": idea.title},
    )
    return idea
