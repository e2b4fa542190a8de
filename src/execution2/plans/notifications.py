"""Notices by e-mail through Django's mail backend: at once, or gathered into a daily digest.

Each person chooses (NotificationPreference.daily_digest). `notify` either sends now or queues a
PendingNotification; `digest_send` (run daily by `execution2 plan digest`) sends each person one
message with everything queued for them, and first queues the "due soon" reminders.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail, send_mass_mail
from django.db import transaction
from django.utils import timezone

from execution2.orgs.models import Organization, Person
from execution2.plans.choices import OPEN_ASSIGNMENT_STATUSES, NotificationKind
from execution2.plans.models import Assignment, NotificationPreference, PendingNotification

DUE_SOON_DAYS = 2
SENDER = getattr(settings, "DEFAULT_FROM_EMAIL", "execution2@localhost")


def wants_digest(person: Person) -> bool:
    return NotificationPreference.objects.filter(person=person, daily_digest=True).exists()


def notify(
    *, organization: Organization, person: Person | None, kind: str, subject: str, body: str
) -> None:
    """Tell `person` now, or keep it for their digest; people without e-mail are skipped."""
    if person is None or not person.email or not person.active:
        return
    if wants_digest(person):
        PendingNotification.objects.create(
            organization=organization, person=person, kind=kind, subject=subject, body=body
        )
        return
    message = f"{body}\n\n-- Execution 2.0, {organization.name}"
    transaction.on_commit(
        lambda: send_mail(subject, message, SENDER, [person.email], fail_silently=True)
    )


def due_soon_queue(*, organization: Organization, today: datetime.date | None = None) -> int:
    """Remind owners of open assignments due within DUE_SOON_DAYS, once per assignment."""
    today = today or timezone.localdate()
    due = Assignment.objects.filter(
        organization=organization,
        status__in=OPEN_ASSIGNMENT_STATUSES,
        due__gte=today,
        due__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
        reminded_at__isnull=True,
    ).select_related("owner", "initiative")
    count = 0
    now = timezone.now()
    for assignment in due:
        notify(
            organization=organization,
            person=assignment.owner,
            kind=NotificationKind.DUE_SOON,
            subject=f"Due {assignment.due:%d %b}: {assignment.title}",
            body=(
                f'Your assignment "{assignment.title}" for {assignment.initiative.title} is '
                f"due on {assignment.due:%A %d %B %Y}."
            ),
        )
        assignment.reminded_at = now
        assignment.save(update_fields=["reminded_at"])
        count += 1
    return count


@transaction.atomic
def digest_send(
    *, organization: Organization, today: datetime.date | None = None
) -> dict[str, int]:
    """Queue due-soon reminders, then send every queued notice as one message per person."""
    reminders = due_soon_queue(organization=organization, today=today)
    pending = list(
        PendingNotification.objects.filter(organization=organization, sent_at__isnull=True)
        .select_related("person")
        .order_by("person_id", "created_at", "pk")
    )
    by_person: dict[int, list[PendingNotification]] = defaultdict(list)
    for notice in pending:
        by_person[notice.person_id].append(notice)
    messages = []
    for notices in by_person.values():
        person = notices[0].person
        if not person.email:
            continue
        lines = [f"- {n.subject}\n  {n.body}" for n in notices]
        messages.append(
            (
                f"Your daily summary: {len(notices)} update(s) in {organization.name}",
                "\n\n".join(lines) + f"\n\n-- Execution 2.0, {organization.name}",
                SENDER,
                [person.email],
            )
        )
    PendingNotification.objects.filter(pk__in=[n.pk for n in pending]).update(
        sent_at=timezone.now()
    )
    if messages:
        batch = tuple(messages)
        transaction.on_commit(lambda: send_mass_mail(batch, fail_silently=True))
    return {"reminders": reminders, "digests": len(messages), "notices": len(pending)}
