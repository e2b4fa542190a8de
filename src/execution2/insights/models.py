"""What the Execution Index keeps: each computation (`IndexRun`) with one row per scope
(`ScopeIndex`: the organization and every unit), and the recorded outcomes of closed plans and
initiatives (`Outcome`), against which the index is judged."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from execution2.orgs.models import Organization, Unit


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class IndexRun(models.Model):
    """One computation of the index for the organization and every unit, as of a day.

    `summary` holds what belongs to the whole run: the weights and target used, the sources
    (cycle, network window, plan date) and the trend over past cycles.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="index_runs"
    )
    as_of = models.DateField()
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    summary = models.JSONField(default=dict, blank=True)
    trend_points = models.JSONField(default=dict, blank=True)
    """Past cycles' index per scope, kept for the next run (see `services.index._trend`)."""
    seconds = models.FloatField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organization} index as of {self.as_of}"


class ScopeIndex(models.Model):
    """The index of one scope in a run; `payload` is the whole result as plain JSON."""

    run = models.ForeignKey(IndexRun, on_delete=models.CASCADE, related_name="scopes")
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    """None: the organization."""
    parent_unit_id = models.BigIntegerField(null=True, blank=True)
    """The parent unit's id (None for the organization and the top-level units): children of a
    scope are read with one indexed query."""
    depth = models.PositiveSmallIntegerField(default=0)
    index = models.FloatField(null=True, blank=True)
    low = models.FloatField(null=True, blank=True)
    high = models.FloatField(null=True, blank=True)
    payload = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "unit"], name="one_index_per_scope_and_run"),
        ]
        indexes = [models.Index(fields=["run", "depth", "parent_unit_id"])]

    def __str__(self) -> str:
        return f"{self.unit or 'organization'}: {self.index}"


class OutcomeResult(models.TextChoices):
    SUCCEEDED = "succeeded", "Succeeded"
    PARTLY = "partly", "Partly succeeded"
    FAILED = "failed", "Failed"


class Outcome(models.Model):
    """How a closed plan or initiative turned out, with the index it had when it closed."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="outcomes"
    )
    initiative = models.ForeignKey(
        "plans.Initiative", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    """None: the organization's whole plan (named by `label`)."""
    label = models.CharField(max_length=200)
    result = models.CharField(max_length=16, choices=OutcomeResult.choices)
    closed_on = models.DateField()
    index = models.FloatField(null=True, blank=True)
    components = models.JSONField(default=dict, blank=True)
    """Component key -> score (or None) of the scope behind the outcome, as of `closed_on`."""
    computed_at = models.DateTimeField(null=True, blank=True)
    """When `index` and `components` were worked out; None while that is pending."""
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-closed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "initiative"],
                condition=models.Q(initiative__isnull=False),
                name="one_outcome_per_initiative",
            ),
            models.UniqueConstraint(
                fields=["organization", "label"],
                condition=models.Q(initiative__isnull=True),
                name="one_outcome_per_plan_label",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.result}"
