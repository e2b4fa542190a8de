"""Demo collaboration events: generated from the organization's seed, imported like a real file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow.parquet as pq

from execution2.analytics.synth import SyntheticOrganization
from execution2.analytics.synth.network import (
    DEFAULT_DAYS,
    DEFAULT_EVENTS_PER_PERSON,
    EVENT_SCHEMA,
    generate_events,
    plant_contacts,
)
from execution2.network import store
from execution2.network.services import events_clear, events_import, network_analyze
from execution2.orgs.models import Organization


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

    Replaces the events of an earlier run. `events_per_person` is per 90 days; the command
    line's `--events` option is meant to set it (cli.py passes nothing yet: 100 applies).
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
                days=DEFAULT_DAYS,
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
