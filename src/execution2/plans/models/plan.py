"""Opportunities, initiatives (with their KPIs) and tactics: the plan itself."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from execution2.orgs.models import Organization, Person, Unit
from execution2.plans.choices import (
    Direction,
    InitiativeStatus,
)

KEY_HELP = "A short id used by plan files (letters, digits, - and _), unique in the organization."


class Opportunity(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="opportunities"
    )
    key = models.SlugField(max_length=64, help_text=KEY_HELP)
    title = models.CharField(max_length=200)
    segment = models.CharField("market segment", max_length=200, blank=True)
    description = models.TextField(blank=True)
    size_estimate = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(0)], help_text="Money per year."
    )
    evidence = models.JSONField(default=list, blank=True, help_text="Links (URLs) as a list.")
    position = models.PositiveIntegerField(default=0)
    archived = models.BooleanField(default=False)
    # Raised by every saved edit: an edit opened at an older version is refused (see services).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="opportunity_key_unique")
        ]
        verbose_name_plural = "opportunities"

    def __str__(self) -> str:
        return self.title


class Initiative(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="initiatives"
    )
    key = models.SlugField(max_length=64, help_text=KEY_HELP)
    title = models.CharField(max_length=200)
    objective = models.TextField(blank=True)
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sponsor = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    units = models.ManyToManyField(Unit, blank=True, related_name="+")
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=InitiativeStatus.choices, default=InitiativeStatus.ACTIVE
    )
    weight = models.FloatField(default=1.0, validators=[MinValueValidator(0)])
    opportunities = models.ManyToManyField(Opportunity, blank=True, related_name="initiatives")
    parents = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="children")
    position = models.PositiveIntegerField(default=0)
    # Raised by every saved edit of the initiative or its parts (KPIs, tactics, resources,
    # returns): an edit opened at an older version is refused (see services).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="initiative_key_unique"),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="initiative_weight"),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="initiative_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class KPI(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(max_length=200)
    unit_of_measure = models.CharField(max_length=40, blank=True)
    baseline = models.FloatField()
    target = models.FloatField()
    direction = models.CharField(max_length=4, choices=Direction.choices, default=Direction.UP)
    update_every_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="How often a new value is expected; older than that, the KPI is stale.",
    )
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["initiative_id", "pk"]
        verbose_name = "KPI"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.direction == Direction.UP and self.target < self.baseline:
            raise ValidationError({"target": "A KPI that should go up needs target >= baseline."})
        if self.direction == Direction.DOWN and self.target > self.baseline:
            raise ValidationError({"target": "A KPI that should go down needs target <= baseline."})


class KPIValue(models.Model):
    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="values")
    day = models.DateField()
    value = models.FloatField()

    class Meta:
        ordering = ["kpi_id", "day"]
        constraints = [models.UniqueConstraint(fields=["kpi", "day"], name="kpi_value_per_day")]

    def __str__(self) -> str:
        return f"{self.day}: {self.value}"


class Tactic(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="tactics")
    key = models.CharField(max_length=64, blank=True, help_text=KEY_HELP)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.FloatField(default=1.0, validators=[MinValueValidator(0)])
    position = models.PositiveIntegerField(default=0)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["initiative_id", "position", "pk"]

    def __str__(self) -> str:
        return self.title
