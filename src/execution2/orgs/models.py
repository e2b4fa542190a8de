from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from execution2.core.text import fold
from execution2.orgs.choices import AuditAction, Role

# Organization.settings holds what later capabilities configure per organization; these are the
# defaults every reader merges under what is stored, so old rows keep working as keys are added.
DEFAULT_ORGANIZATION_SETTINGS: dict[str, Any] = {
    "anonymity": {"min_group": 5, "min_direct_reports": 5, "min_comments": 5},
    "index": {
        "target": 75,
        "weights": {
            "leadership": 0.10,
            "delegation": 0.10,
            "stewardship": 0.10,
            "conflict": 0.10,
            "motivation": 0.10,
            "consideration": 0.10,
            "connectedness": 0.20,
            "delivery": 0.10,
            "buy_in": 0.10,
        },
    },
}
ANONYMITY_FLOOR = 3


def _merged(defaults: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
    merged = dict(defaults)
    for key, value in stored.items():
        if isinstance(value, dict) and isinstance(defaults.get(key), dict):
            merged[key] = _merged(defaults[key], value)
        else:
            merged[key] = value
    return merged


class Organization(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_settings(self) -> dict[str, Any]:
        return _merged(DEFAULT_ORGANIZATION_SETTINGS, self.settings or {})


class Unit(models.Model):
    """A node of the organization's unit tree; `path` is the full " / "-joined name."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(max_length=200)
    path = models.CharField(max_length=1000)
    depth = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                "organization", Lower("path"), name="unit_path_unique_per_organization"
            )
        ]

    def __str__(self) -> str:
        return self.path

    @property
    def segments(self) -> list[str]:
        return self.path.split(" / ")


class Person(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="people")
    external_id = models.CharField(max_length=100)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    title = models.CharField(max_length=200, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.RESTRICT, related_name="people")
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    location = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)
    # Name, e-mail, title, location and id folded (see core.text.fold), for searching.
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "external_id"], name="person_external_id_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="person_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["organization", "active", "name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = person_search_text(
            self.name, self.email, self.title, self.location, self.external_id
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)


def person_search_text(name: str, email: str, title: str, location: str, external_id: str) -> str:
    return fold(" ".join((name, email, title, location, external_id)))


class PersonHistory(models.Model):
    """Where a person sat, under whom, with which title, from `valid_from` until `valid_to`.

    `valid_from` is null for the first record (in place since before records began);
    `valid_to` is null for the current record. Periods are half-open: [from, to).
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="history")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.RESTRICT, related_name="+")
    manager = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["person_id", "valid_from"]
        indexes = [models.Index(fields=["person", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.valid_from} to {self.valid_to}"

    def covers(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_org"),
            models.UniqueConstraint(
                fields=["organization", "person"],
                condition=models.Q(person__isnull=False),
                name="one_login_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} as {self.role}"


class AuditEvent(models.Model):
    """Who imported, exported or changed access, when; kept even when the actor is deleted."""

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"
