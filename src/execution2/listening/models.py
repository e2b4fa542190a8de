"""What listening keeps in the relational database: brands, themes, labels, trained
classifiers and analysis results. The posts themselves are Parquet files (see `store.py`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from execution2.orgs.models import Organization


class SentimentLabelValue(models.TextChoices):
    NEGATIVE = "negative", "Negative"
    NEUTRAL = "neutral", "Neutral"
    POSITIVE = "positive", "Positive"


class Brand(models.Model):
    """The organization's own brand or a competitor, with the names people use for it."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="listening_brands"
    )
    name = models.CharField(max_length=100)
    aliases = models.JSONField(
        default=list, blank=True, help_text="Other names, handles (@name) and hashtags (#name)."
    )
    own = models.BooleanField("our brand", default=False)
    match_case = models.BooleanField(
        default=False, help_text="Only match names written in this case (for ordinary words)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-own", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                "organization", Lower("name"), name="listening_brand_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not isinstance(self.aliases, list) or not all(isinstance(a, str) for a in self.aliases):
            raise ValidationError({"aliases": "Aliases are a list of names."})
        if not self.name.strip():
            raise ValidationError({"name": "A brand needs a name."})


class AnalysisRun(models.Model):
    """One analysis of the organization's posts; the latest is what the pages show."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="listening_runs"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    since = models.DateField(null=True, blank=True)
    posts = models.PositiveIntegerField(default=0)
    sentiment_source = models.CharField(max_length=16, default="lexicon")
    brands = models.JSONField(default=list, blank=True)  # names, in the summary's order
    summary = models.JSONField(default=dict, blank=True)
    timings = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organization} listening {self.created_at:%Y-%m-%d %H:%M}"


class Theme(models.Model):
    """A topic of conversation, kept across analyses so its name, pin and links stay."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="listening_themes"
    )
    name = models.CharField(max_length=120)
    renamed = models.BooleanField(default=False)
    terms = models.JSONField(default=list, blank=True)
    term_weights = models.JSONField(default=dict, blank=True)
    pinned = models.BooleanField(default=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    # A plain id, not a foreign key: the plan's Opportunity model is resolved when it exists
    # (execution2.listening.links), so listening works with or without the plan.
    opportunity_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    topic_index = models.SmallIntegerField(null=True, blank=True)  # in the latest run
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pinned", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")), name="listening_theme_not_self"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SentimentLabel(models.Model):
    """A person's judgement of one post's sentiment, for training and checking the classifier."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="listening_labels"
    )
    key = models.CharField(max_length=64)  # the post's key in the store, or a hash of the text
    text = models.TextField()
    label = models.CharField(max_length=8, choices=SentimentLabelValue.choices)
    source = models.CharField(max_length=8, default="page")  # page, file, demo
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="listening_label_unique")
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.text[:40]}"


class SentimentModel(models.Model):
    """A classifier trained on the organization's labels, with its cross-validated accuracy
    against the lexicon; it is used only when `in_use` (it beat the lexicon)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="listening_models"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    labels = models.PositiveIntegerField()
    evaluation = models.JSONField(default=dict)
    in_use = models.BooleanField(default=False)
    file_name = models.CharField(max_length=100)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"classifier {self.pk} ({self.labels} labels)"

    @property
    def trained_accuracy(self) -> Any:
        return self.evaluation.get("trained_accuracy")

    @property
    def lexicon_accuracy(self) -> Any:
        return self.evaluation.get("lexicon_accuracy")
