"""Writes of the assessment app: cycles, invitations, answers, action plans."""

from __future__ import annotations

import datetime
import os
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from execution2.assessments.choices import CycleKind, CycleStatus, RaterGroup, ResponseSource
from execution2.assessments.instruments import instrument_default
from execution2.assessments.models import (
    ActionItem,
    Comment,
    Cycle,
    Instrument,
    Invitation,
    InvitationLink,
    PeerNomination,
    Response,
    Subject,
)
from execution2.assessments.tokens import token_hash, token_new
from execution2.orgs.models import Organization, Person
from execution2.orgs.selectors import positions_as_of
from execution2.orgs.services import audit_record

Actor = AbstractBaseUser | AnonymousUser | None
DEFAULT_PEERS = 6
MAX_COMMENT = 2000


def base_url() -> str:
    configured = getattr(settings, "EXECUTION2_BASE_URL", None) or os.environ.get(
        "EXECUTION2_BASE_URL", "http://127.0.0.1:8000"
    )
    return str(configured).rstrip("/")


def survey_path(token: str) -> str:
    """The survey's path; `/s/<token>/` once config/urls.py mounts `assessments.survey_urls`."""
    try:
        return reverse("survey:answer", kwargs={"token": token})
    except NoReverseMatch:
        return f"/s/{token}/"


@transaction.atomic
def cycle_create(
    *,
    organization: Organization,
    name: str,
    kind: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    instrument: Instrument | None = None,
    actor: Actor = None,
) -> Cycle:
    if kind not in CycleKind.values:
        raise ValidationError({"kind": f"kind must be one of {', '.join(CycleKind.values)}"})
    if instrument is None:
        instrument = instrument_default(organization=organization)
    elif instrument.organization_id != organization.pk:
        raise ValidationError({"instrument": "That instrument belongs to another organization."})
    cycle = Cycle(
        organization=organization,
        instrument=instrument,
        name=name.strip(),
        kind=kind,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    cycle.full_clean()
    cycle.save()
    audit_record(
        organization=organization,
        actor=actor,
        action="assessment.cycle_create",
        detail={"cycle": cycle.pk, "name": cycle.name, "kind": kind},
    )
    return cycle


@transaction.atomic
def peer_nominate(*, cycle: Cycle, subject: Person, peers: Iterable[Person]) -> int:
    """Propose the peers who rate `subject` in a 360 cycle (replacing earlier proposals)."""
    if cycle.kind != CycleKind.FULL:
        raise ValidationError("Peers are only part of 360 cycles.")
    if cycle.status != CycleStatus.DRAFT:
        raise ValidationError("Peers can only be proposed before the cycle opens.")
    chosen = [p for p in peers if p.pk != subject.pk]
    if any(p.organization_id != cycle.organization_id for p in [subject, *chosen]):
        raise ValidationError("Everyone must belong to the cycle's organization.")
    PeerNomination.objects.filter(cycle=cycle, subject=subject).delete()
    PeerNomination.objects.bulk_create(
        [PeerNomination(cycle=cycle, subject=subject, peer=p) for p in chosen]
    )
    return len(chosen)


@dataclass(frozen=True, slots=True)
class OpenResult:
    subjects: int
    invitations: int
    emails: int
    without_email: int

    def summary(self) -> str:
        text = (
            f"{self.subjects} managers rated, {self.invitations} invitations, "
            f"{self.emails} e-mails sent"
        )
        if self.without_email:
            text += f", {self.without_email} people without an e-mail address"
        return text + "."


def _raters(cycle: Cycle) -> tuple[dict[int, int], list[tuple[int, int | None, str]]]:
    """(subject person -> unit, [(rater, subject person or None, rater group)]) on the open date."""
    positions = positions_as_of(organization=cycle.organization, day=cycle.opens_on)
    active = set(
        Person.objects.filter(organization=cycle.organization, active=True).values_list(
            "pk", flat=True
        )
    )
    positions = {pid: pos for pid, pos in positions.items() if pid in active}
    reports: dict[int, list[int]] = defaultdict(list)
    for pid, position in positions.items():
        if position.manager_id is not None and position.manager_id in positions:
            reports[position.manager_id].append(pid)
    pairs: list[tuple[int, int | None, str]] = []
    if cycle.kind == CycleKind.PULSE:
        return {}, [(pid, None, RaterGroup.MEMBER) for pid in sorted(positions)]
    subjects = {m: positions[m].unit_id for m in sorted(reports)}
    for manager, team in reports.items():
        pairs.extend((r, manager, RaterGroup.DIRECT) for r in team)
    if cycle.kind == CycleKind.FULL:
        nominated: dict[int, list[int]] = defaultdict(list)
        for subject_id, peer_id in PeerNomination.objects.filter(cycle=cycle).values_list(
            "subject_id", "peer_id"
        ):
            if peer_id in positions:
                nominated[subject_id].append(peer_id)
        chooser = random.Random(cycle.pk)
        for manager in subjects:
            pairs.append((manager, manager, RaterGroup.SELF))
            boss = positions[manager].manager_id
            if boss is not None and boss in positions:
                pairs.append((boss, manager, RaterGroup.MANAGER))
            peers = nominated.get(manager)
            if peers is None:
                colleagues = (
                    sorted(p for p in reports.get(boss, []) if p != manager) if boss else []
                )
                peers = chooser.sample(colleagues, min(DEFAULT_PEERS, len(colleagues)))
            pairs.extend((peer, manager, RaterGroup.PEER) for peer in peers)
    units = {pid: pos.unit_id for pid, pos in positions.items()}
    return subjects, [(r, s, g) for r, s, g in pairs if r in units]


@transaction.atomic
def cycle_open(
    *, cycle: Cycle, actor: Actor = None, send: bool = True, link_base: str | None = None
) -> OpenResult:
    """Generate subjects and raters from the org chart as of the open date; send invitations."""
    if cycle.status != CycleStatus.DRAFT:
        raise ValidationError(f"The cycle is {cycle.get_status_display().lower()}, not a draft.")
    positions = positions_as_of(organization=cycle.organization, day=cycle.opens_on)
    subject_units, pairs = _raters(cycle)
    subjects = Subject.objects.bulk_create(
        [Subject(cycle=cycle, person_id=p, unit_id=u) for p, u in subject_units.items()]
    )
    subject_of = {s.person_id: s.pk for s in Subject.objects.filter(cycle=cycle)}
    invitations = Invitation.objects.bulk_create(
        [
            Invitation(
                cycle=cycle,
                person_id=rater,
                subject_id=subject_of[subject] if subject is not None else None,
                rater_group=group,
                unit_id=positions[rater].unit_id,
            )
            for rater, subject, group in pairs
        ],
        batch_size=2000,
    )
    cycle.status = CycleStatus.OPEN
    cycle.save(update_fields=["status"])
    emails, without = (0, 0)
    if send:
        emails, without = _send(
            cycle, list(Invitation.objects.filter(cycle=cycle)), link_base, reminder=False
        )
    audit_record(
        organization=cycle.organization,
        actor=actor,
        action="assessment.cycle_open",
        detail={"cycle": cycle.pk, "subjects": len(subjects), "invitations": len(invitations)},
    )
    return OpenResult(len(subjects), len(invitations), emails, without)


def _send(
    cycle: Cycle, invitations: list[Invitation], link_base: str | None, *, reminder: bool
) -> tuple[int, int]:
    """One e-mail per person with a fresh link for each of their unanswered invitations."""
    base = (link_base or base_url()).rstrip("/")
    by_person: dict[int, list[tuple[Invitation, str]]] = defaultdict(list)
    links = []
    for invitation in invitations:
        token = token_new()
        links.append(InvitationLink(invitation=invitation, token_hash=token_hash(token)))
        by_person[invitation.person_id].append((invitation, token))
    InvitationLink.objects.bulk_create(links, batch_size=2000)
    people = Person.objects.in_bulk(list(by_person))
    subjects = {
        s.pk: s.person.name for s in Subject.objects.filter(cycle=cycle).select_related("person")
    }
    messages = []
    without = 0
    for person_id, entries in by_person.items():
        person = people[person_id]
        if not person.email:
            without += 1
            continue
        lines = []
        for invitation, token in entries:
            about = (
                "yourself"
                if invitation.rater_group == RaterGroup.SELF
                else subjects.get(invitation.subject_id or 0, "management here")
            )
            lines.append(f"- About {about}: {base}{survey_path(token)}")
        verb = "Reminder: your feedback is still open" if reminder else "Your feedback is invited"
        body = (
            f"Hello {person.name},\n\n{cycle.organization.name} invites your anonymous feedback in "
            f"“{cycle.name}”, open until {cycle.closes_on:%d %B %Y}.\n\n"
            + "\n".join(lines)
            + "\n\nEach link is personal and works once: your answers are saved as you go, and "
            "once you submit, they are stored without your name. Managers see results only "
            "for groups large enough to keep everyone anonymous.\n"
        )
        messages.append(EmailMessage(subject=f"{verb}: {cycle.name}", body=body, to=[person.email]))
    sent = get_connection().send_messages(messages) if messages else 0
    return int(sent or 0), without


@transaction.atomic
def cycle_remind(*, cycle: Cycle, actor: Actor = None, link_base: str | None = None) -> int:
    """E-mail everyone who hasn't answered a new link (earlier links keep working)."""
    if cycle.status != CycleStatus.OPEN:
        raise ValidationError("Only an open cycle sends reminders.")
    pending = list(Invitation.objects.filter(cycle=cycle, answered=False))
    Invitation.objects.filter(pk__in=[i.pk for i in pending]).update(reminders=F("reminders") + 1)
    sent, _ = _send(cycle, pending, link_base, reminder=True)
    audit_record(
        organization=cycle.organization,
        actor=actor,
        action="assessment.cycle_remind",
        detail={"cycle": cycle.pk, "pending": len(pending)},
    )
    return sent


@transaction.atomic
def cycle_close(*, cycle: Cycle, actor: Actor = None) -> Cycle:
    if cycle.status != CycleStatus.OPEN:
        raise ValidationError("Only an open cycle can be closed.")
    cycle.status = CycleStatus.CLOSED
    cycle.save(update_fields=["status"])
    # Answers in progress are dropped: nothing about an unfinished survey is kept.
    Invitation.objects.filter(cycle=cycle, answered=False).update(draft={})
    InvitationLink.objects.filter(invitation__cycle=cycle).delete()
    audit_record(
        organization=cycle.organization,
        actor=actor,
        action="assessment.cycle_close",
        detail={"cycle": cycle.pk},
    )
    return cycle


# --- answering -----------------------------------------------------------------------------------


def invitation_for_token(token: str) -> Invitation | None:
    """The open, unanswered invitation a link stands for, or None."""
    if not token or len(token) > 100:
        return None
    link = (
        InvitationLink.objects.select_related(
            "invitation__cycle__organization",
            "invitation__cycle__instrument",
            "invitation__subject__person",
        )
        .filter(token_hash=token_hash(token))
        .first()
    )
    if link is None:
        return None
    invitation = link.invitation
    if invitation.answered or invitation.cycle.status != CycleStatus.OPEN:
        return None
    return invitation


def clean_answers(
    invitation: Invitation, data: Mapping[str, Any]
) -> tuple[dict[str, int], dict[str, str]]:
    """Keep only known items with 1-5 and known open questions with text."""
    spec = invitation.cycle.instrument.parsed()
    answers: dict[str, int] = {}
    for key in spec.item_keys:
        value = str(data.get(key, "") or "").strip()
        if value in {"1", "2", "3", "4", "5"}:
            answers[key] = int(value)
        elif value == "0":
            answers[key] = 0  # don't know: remembered in the draft, never scored
    comments = {}
    for question in spec.open_questions:
        text = str(data.get(question.key, "") or "").strip()[:MAX_COMMENT]
        if text:
            comments[question.key] = text
    return answers, comments


def survey_save(*, invitation: Invitation, data: Mapping[str, Any]) -> None:
    answers, comments = clean_answers(invitation, data)
    Invitation.objects.filter(pk=invitation.pk, answered=False).update(
        draft={"answers": answers, "comments": comments}
    )


@transaction.atomic
def survey_submit(*, invitation: Invitation, data: Mapping[str, Any]) -> bool:
    """Store the answers without any link to the person; False if this link was used already.

    The flag flips in one conditional UPDATE: of two submits racing on one link, only one
    changes a row, and only that one writes a response.
    """
    answers, comments = clean_answers(invitation, data)
    won = Invitation.objects.filter(pk=invitation.pk, answered=False).update(
        answered=True, draft={}
    )
    if not won:
        return False
    InvitationLink.objects.filter(invitation_id=invitation.pk).delete()
    _store_response(
        cycle=invitation.cycle,
        subject_id=invitation.subject_id,
        rater_group=invitation.rater_group,
        unit_id=_answer_unit(invitation),
        answers=answers,
        comments=comments,
        source=ResponseSource.SURVEY,
    )
    return True


def _answer_unit(invitation: Invitation) -> int:
    if invitation.subject_id is not None:
        return int(Subject.objects.values_list("unit_id", flat=True).get(pk=invitation.subject_id))
    return int(invitation.unit_id)


def _store_response(
    *,
    cycle: Cycle,
    subject_id: int | None,
    rater_group: str,
    unit_id: int,
    answers: Mapping[str, int],
    comments: Mapping[str, str],
    source: str,
    day: datetime.date | None = None,
) -> None:
    Response.objects.create(
        cycle=cycle,
        subject_id=subject_id,
        rater_group=rater_group,
        unit_id=unit_id,
        answers={k: v for k, v in answers.items() if 1 <= v <= 5},
        submitted_on=day or timezone.localdate(),
        source=source,
    )
    Comment.objects.bulk_create(
        [
            Comment(
                cycle=cycle,
                subject_id=subject_id,
                rater_group=rater_group,
                unit_id=unit_id,
                question=question,
                text=text,
            )
            for question, text in comments.items()
        ]
    )


# --- action plans -------------------------------------------------------------------------------


@transaction.atomic
def action_item_add(
    *,
    subject: Subject,
    text: str,
    owner: Person | None,
    due_on: datetime.date | None,
    actor: Actor = None,
) -> ActionItem:
    if owner is not None and owner.organization_id != subject.cycle.organization_id:
        raise ValidationError({"owner": "The owner must belong to this organization."})
    item = ActionItem(
        subject=subject,
        text=text.strip(),
        owner=owner,
        due_on=due_on,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def action_item_close(*, item: ActionItem, day: datetime.date | None = None) -> ActionItem:
    if item.closed_on is None:
        item.closed_on = day or timezone.localdate()
        item.save(update_fields=["closed_on"])
    return item
