"""Demo collaboration events: generated from the organization's seed, imported like a real file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow.parquet as pq
from django.utils import timezone

from execution2.analytics.synth import SyntheticOrganization
from execution2.analytics.synth.network import (
    DEFAULT_EVENTS_PER_PERSON,
    EVENT_SCHEMA,
    generate_events,
    plant_contacts,
)
from execution2.network import store
from execution2.network.services import events_clear, events_import, network_analyze
from execution2.orgs.models import Organization

# Eight months of events: the analysis keeps month-by-month figures, and the Execution Index's
# trend reads the month in which the earlier cycle (six months ago) closed from them; the
# generator's default of six months would leave that month half empty.
DEMO_DAYS = 240


def demo_extend(
    *,
    organization: Organization,
    company: SyntheticOrganization,
    seed: int,
    progress: Callable[[str, int, int], None] | None = None,
    events_per_person: float = DEFAULT_EVENTS_PER_PERSON,
    **_: Any,
) -> str:
    """Collaboration events for the last 180 days of the demo company, then an analysis.

    The events end yesterday (the generator's window stops before its `end`, today), so the
    analysis's 90-day window ends yesterday too, beside the plan (as of today) and the survey
    cycles (closed one and six months ago). Replaces the events of an earlier run.
    `events_per_person` is per 90 days (the command line's `--events`).
    """
    contacts = plant_contacts(company, seed)
    scratch = store.scratch_dir(organization.pk)
    path = scratch / f"{organization.slug}-collaboration.parquet"
    try:
        with pq.ParquetWriter(str(path), EVENT_SCHEMA, compression="snappy") as writer:
            for table in generate_events(
                company,
                seed=seed,
                events_per_person=events_per_person,
                days=DEMO_DAYS,
                end=timezone.localdate(),
                contacts=contacts,
            ):
                writer.write_table(table)
        events_clear(organization=organization)  # the demo's events are replaced, not added to
        result = events_import(
            organization=organization, source=path, file_name=path.name, progress=progress
        )
    finally:
        import shutil

        shutil.rmtree(scratch, ignore_errors=True)
    outcome = network_analyze(organization=organization, progress=progress)
    summary = outcome.analysis.summary
    return (
        f"Collaboration: {result.record.events:,} events "
        f"({result.record.interactions_added:,} new interactions); network of "
        f"{summary.people:,} people and {summary.ties:,} ties; siloed on purpose: "
        + ", ".join(contacts.siloed)
        + "."
    )
