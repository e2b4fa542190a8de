"""Long work of the network capability, run through core.jobs."""

from __future__ import annotations

import datetime
from typing import Any

from execution2.analytics.network import NetworkSettings
from execution2.core.jobs import Progress, job_handler
from execution2.core.models import Job
from execution2.network.services import events_import, network_analyze


@job_handler("network.import")
def events_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    params = job.params
    result = events_import(
        organization=job.organization,
        source=params["path"],
        file_name=params["file_name"],
        actor=job.created_by,
        progress=progress,
    )
    if params.get("analyze", True):
        network_analyze(organization=job.organization, actor=job.created_by, progress=progress)
    return {
        "summary": result.summary(),
        "events": result.record.events,
        "added": result.record.interactions_added,
        "unknown_people": result.record.unknown_people,
    }


@job_handler("network.analyze")
def network_analyze_job(job: Job, progress: Progress) -> dict[str, Any]:
    params = job.params
    as_of = params.get("as_of")
    outcome = network_analyze(
        organization=job.organization,
        as_of=datetime.date.fromisoformat(as_of) if as_of else None,
        window_days=int(params.get("window_days") or 90),
        settings=NetworkSettings(min_interactions=int(params.get("min_interactions") or 2)),
        actor=job.created_by,
        progress=progress,
    )
    summary = outcome.analysis.summary
    return {
        "summary": (
            f"Analysed {summary.people:,} people and {summary.ties:,} ties for the "
            f"{outcome.window.days} days up to {outcome.window.as_of:%d %b %Y}."
        ),
        "people": summary.people,
        "ties": summary.ties,
    }
