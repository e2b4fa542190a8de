"""What the relational database keeps about collaboration data: metadata and results only.

The events themselves are Parquet files under the organization's data directory
(`core.storage.organization_data_dir(org.id, "network")`), queried with DuckDB. `EventStore`
names the current generation of those files, so an import that fails leaves the previous one
in place, and one that succeeds switches over in a single database write.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from execution2.orgs.models import Organization


class EventStore(models.Model):
    """The organization's collaboration events: which folder of Parquet files is current."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="network_events"
    )
    generation = models.CharField(max_length=64)
    interactions = models.BigIntegerField(default=0)
    """Stored rows: one per event and recipient."""
    first_at = models.DateTimeField(null=True, blank=True)
    last_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(interactions__gte=0), name="network_store_interactions"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} events ({self.interactions})"


class EventImport(models.Model):
    """One imported event file and what came of it."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="network_imports"
    )
    file_name = models.CharField(max_length=255)
    events = models.BigIntegerField(default=0)
    interactions_read = models.BigIntegerField(default=0)
    interactions_added = models.BigIntegerField(default=0)
    unknown_people = models.BigIntegerField(default=0)
    unknown_sample = models.JSONField(default=list, blank=True)
    events_with_unknown_sender = models.BigIntegerField(default=0)
    outside_employment = models.BigIntegerField(default=0)
    pseudonymised = models.BooleanField(default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d})"


class NetworkSnapshot(models.Model):
    """The metrics of one analysis: a window of events ending on `as_of`.

    `results` holds the figures about units and the organization, which every member may see;
    `brokers` the figures about individual people (admins only). Per-person arrays are in the
    file `people_file` under the organization's data directory.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="network_snapshots"
    )
    as_of = models.DateField()
    window_days = models.PositiveIntegerField()
    min_interactions = models.PositiveIntegerField(default=2)
    generation = models.CharField(max_length=64, blank=True)
    people = models.PositiveIntegerField(default=0)
    ties = models.BigIntegerField(default=0)
    results = models.JSONField(default=dict, blank=True)
    brokers = models.JSONField(default=dict, blank=True)
    people_file = models.CharField(max_length=255, blank=True)
    seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_days__gte=1), name="network_snapshot_window"
            ),
            models.CheckConstraint(
                condition=models.Q(min_interactions__gte=1), name="network_snapshot_threshold"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} network as of {self.as_of} ({self.window_days} days)"
