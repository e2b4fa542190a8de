"""Instruments, cycles, who is invited, and the anonymous answers (design.md 4.2).

The separation that keeps answers anonymous:

- `Invitation` is the participation table: who was asked about whom, and whether they have
  answered (a flag, no time). It holds the answers in progress (`draft`) until submission, when
  the draft is cleared.
- `InvitationLink` holds only a keyed hash of each link's token (the token itself is only ever
  in the e-mail).
- `Response` and `Comment` hold the answers with no person, no invitation, no token, and a date
  without time. Comments are rows of their own, so a comment can't be joined to the scores of
  the response it came with.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from execution2.assessments.choices import (
    RATER_GROUPS_BY_KIND,
    CycleKind,
    CycleStatus,
    RaterGroup,
    ResponseSource,
)
from execution2.orgs.models import Organization, Person, Unit


class Instrument(models.Model):
    """An instrument as its YAML text (the source of truth) with the parsed form beside it."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="instruments"
    )
    key = models.SlugField(max_length=64)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    source = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "key", "version"], name="instrument_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def parsed(self) -> Any:
        from execution2.assessments.instruments import instrument_of

        return instrument_of(self)


class Cycle(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="cycles")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="cycles")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=CycleKind.choices)
    status = models.CharField(max_length=8, choices=CycleStatus.choices, default=CycleStatus.DRAFT)
    opens_on = models.DateField()
    closes_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="cycle_closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": "The cycle must close on or after its open date."})

    @property
    def rater_groups(self) -> tuple[str, ...]:
        return tuple(str(g) for g in RATER_GROUPS_BY_KIND[CycleKind(self.kind)])


class Subject(models.Model):
    """A manager rated in a cycle, with the unit they led on the open date."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="subjects")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.RESTRICT, related_name="+")

    class Meta:
        ordering = ["person__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="subject_once_per_cycle")
        ]

    def __str__(self) -> str:
        return str(self.person)


class PeerNomination(models.Model):
    """A peer proposed for a 360 subject, by the subject or an admin, before the cycle opens."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="nominations")
    subject = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    peer = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "subject", "peer"], name="nomination_unique"),
            models.CheckConstraint(
                condition=~models.Q(subject=models.F("peer")), name="nomination_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.peer_id} rates {self.subject_id}"


class Invitation(models.Model):
    """The participation table: who is asked about whom, and whether they have answered."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey(
        Subject, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    rater_group = models.CharField(max_length=8, choices=RaterGroup.choices)
    unit = models.ForeignKey(Unit, on_delete=models.RESTRICT, related_name="+")
    """The rater's own unit on the open date: response rates are counted by it."""
    answered = models.BooleanField(default=False)
    draft = models.JSONField(default=dict, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "person", "subject"], name="invitation_once_per_pair"
            ),
            models.UniqueConstraint(
                fields=["cycle", "person"],
                condition=models.Q(subject__isnull=True),
                name="pulse_invitation_once",
            ),
        ]
        indexes = [models.Index(fields=["cycle", "answered"])]

    def __str__(self) -> str:
        return f"invitation {self.pk} ({self.rater_group})"


class InvitationLink(models.Model):
    """One e-mailed link: only the keyed hash of its token is kept."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"link of invitation {self.invitation_id}"


class Response(models.Model):
    """One person's answers, with nothing that leads back to them."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="responses")
    subject = models.ForeignKey(
        Subject, null=True, blank=True, on_delete=models.CASCADE, related_name="responses"
    )
    rater_group = models.CharField(max_length=8, choices=RaterGroup.choices)
    unit = models.ForeignKey(Unit, on_delete=models.RESTRICT, related_name="+")
    """The unit the answers count toward: the subject's, or the rater's own in a pulse."""
    answers = models.JSONField(default=dict)
    """Item key -> 1..5; items answered "don't know" or skipped are absent."""
    submitted_on = models.DateField()
    source = models.CharField(
        max_length=8, choices=ResponseSource.choices, default=ResponseSource.SURVEY
    )

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["cycle", "subject"])]

    def __str__(self) -> str:
        return f"response {self.pk} ({self.rater_group})"


class Comment(models.Model):
    """An answer to an open question: shown only to groups at the comment threshold, shuffled."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="comments")
    subject = models.ForeignKey(
        Subject, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    rater_group = models.CharField(max_length=8, choices=RaterGroup.choices)
    unit = models.ForeignKey(Unit, on_delete=models.RESTRICT, related_name="+")
    question = models.CharField(max_length=64)
    text = models.TextField(max_length=4000)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"comment on {self.question}"


class ActionItem(models.Model):
    """What a manager commits to after a cycle; closing items is consideration evidence."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=500)
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["closed_on", "due_on", "pk"]

    def __str__(self) -> str:
        return self.text


class CycleValidity(models.Model):
    """The instrument-quality analysis of a cycle (factor structure, drivers), kept because a
    factor analysis is too slow to run on every page view. Stale once responses change."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="validity")
    responses = models.PositiveIntegerField()
    """How many responses the cycle had when this was computed."""
    computed_at = models.DateTimeField()
    data = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"validity of cycle {self.cycle_id}"
