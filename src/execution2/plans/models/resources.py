"""Resources against plan, returns, and snapshots of the whole plan (versions)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from execution2.orgs.models import Organization
from execution2.plans.choices import (
    ResourceKind,
    ReturnKind,
)
from execution2.plans.models.plan import Initiative


class ResourceLine(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(max_length=16, choices=ResourceKind.choices)
    label = models.CharField(max_length=200, blank=True)
    period = models.DateField(help_text="The month, as its first day.")
    planned = models.FloatField(default=0, validators=[MinValueValidator(0)])
    actual = models.FloatField(default=0, validators=[MinValueValidator(0)])
    cost_rate = models.FloatField(
        default=1.0,
        validators=[MinValueValidator(0)],
        help_text="Money per hour for people's hours; 1 for money lines.",
    )

    class Meta:
        ordering = ["initiative_id", "period", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned__gte=0) & models.Q(actual__gte=0),
                name="resource_amounts_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period:%Y-%m}"

    def clean(self) -> None:
        if self.period is not None and self.period.day != 1:
            self.period = self.period.replace(day=1)


class Return(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="returns")
    period = models.DateField(help_text="The month, as its first day.")
    amount = models.FloatField()
    kind = models.CharField(max_length=16, choices=ReturnKind.choices, default=ReturnKind.REVENUE)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["initiative_id", "period", "pk"]

    def __str__(self) -> str:
        return f"{self.amount:,.0f} in {self.period:%Y-%m}"

    def clean(self) -> None:
        if self.period is not None and self.period.day != 1:
            self.period = self.period.replace(day=1)


class PlanVersion(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="plan_versions"
    )
    number = models.PositiveIntegerField()
    label = models.CharField(max_length=200, blank=True)
    snapshot = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="plan_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"
