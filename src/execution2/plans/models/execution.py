"""Assignments and what happens to them: check-ins (append-only), blockers, recognition."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from execution2.orgs.models import Organization, Person
from execution2.plans.choices import (
    AssignmentStatus,
    Resolution,
)
from execution2.plans.models.plan import KEY_HELP, Initiative, Tactic


class Assignment(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="assignments"
    )
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="assignments")
    tactic = models.ForeignKey(
        Tactic, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    key = models.CharField(max_length=64, blank=True, help_text=KEY_HELP)
    title = models.CharField(max_length=200)
    instructions = models.TextField(blank=True)
    acceptance_criteria = models.TextField(blank=True)
    due = models.DateField(null=True, blank=True)
    delegator = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.PROPOSED
    )
    weight = models.FloatField(default=1.0, validators=[MinValueValidator(0)])
    progress = models.FloatField(
        default=0.0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Latest check-in's progress, 0-100 (written with the check-in).",
    )
    created_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]
        indexes = [
            models.Index(fields=["organization", "owner", "status"]),
            models.Index(fields=["organization", "delegator"]),
            models.Index(fields=["initiative", "tactic"]),
            # Covering indexes: the roll-up and the breadth read only these columns, so the
            # database answers them from the index without touching the rows.
            models.Index(
                fields=[
                    "organization",
                    "initiative",
                    "tactic",
                    "status",
                    "due",
                    "weight",
                    "progress",
                ],
                name="assignment_rollup",
            ),
            models.Index(fields=["organization", "initiative", "owner"], name="assignment_owners"),
            models.Index(
                fields=["organization", "initiative", "delegator"], name="assignment_delegators"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0) & models.Q(progress__lte=100),
                name="assignment_progress_0_100",
            ),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="assignment_weight"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.tactic_id is not None and self.tactic.initiative_id != self.initiative_id:
            raise ValidationError({"tactic": "That tactic belongs to another initiative."})

    @property
    def is_open(self) -> bool:
        return self.status not in (AssignmentStatus.DONE, AssignmentStatus.DROPPED)


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError("Check-ins are append-only: they can't be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError("Check-ins are append-only: they can't be deleted.")


class CheckIn(AppendOnly):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="checkins")
    progress = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(100)])
    confidence = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    comment = models.TextField(blank=True)
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["assignment_id", "created_at", "pk"]
        indexes = [models.Index(fields=["assignment", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confidence__lte=10), name="checkin_confidence_0_10"
            ),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0) & models.Q(progress__lte=100),
                name="checkin_progress_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.progress:.0f}% ({self.confidence}/10) at {self.created_at:%Y-%m-%d}"


class Blocker(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="blockers")
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.CASCADE, related_name="blockers"
    )
    description = models.TextField()
    raised_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    raised_at = models.DateTimeField()
    escalated_to = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=16, choices=Resolution.choices, blank=True)
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at", "pk"]
        indexes = [models.Index(fields=["organization", "escalated_to", "resolved_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(resolved_at__isnull=True) & models.Q(resolution=""))
                | (models.Q(resolved_at__isnull=False) & ~models.Q(resolution="")),
                name="blocker_resolution_with_time",
            )
        ]

    def __str__(self) -> str:
        return self.description[:60]


class Recognition(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="recognitions"
    )
    giver = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    receiver = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    message = models.TextField()
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="recognitions"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(giver=models.F("receiver")), name="recognition_not_self"
            )
        ]

    def __str__(self) -> str:
        return self.message[:60]
