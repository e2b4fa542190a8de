"""The ideas board, and each person's notification preference and digest queue."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from execution2.orgs.models import Organization, Person
from execution2.plans.choices import (
    IdeaStatus,
    NotificationKind,
)
from execution2.plans.models.plan import Initiative


class Idea(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="ideas")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=IdeaStatus.choices, default=IdeaStatus.OPEN)
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class IdeaVote(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="one_vote_per_idea")]

    def __str__(self) -> str:
        return f"vote on {self.idea_id}"


class IdeaComment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class NotificationPreference(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="+")
    daily_digest = models.BooleanField(default=False)

    def __str__(self) -> str:
        return "daily digest" if self.daily_digest else "at once"


class PendingNotification(models.Model):
    """A notice waiting for its person's daily digest (sent by `execution2 plan digest`)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["organization", "sent_at"])]

    def __str__(self) -> str:
        return self.subject
