"""Long work of the Execution Index, run through core.jobs."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from execution2.core.jobs import Progress, job_handler
from execution2.core.models import Job
from execution2.insights.services import index_compute, outcome_index_compute


@job_handler("insights.index")
def index_compute_job(job: Job, progress: Progress) -> dict[str, Any]:
    as_of = job.params.get("as_of")
    run = index_compute(
        organization=job.organization,
        as_of=datetime.date.fromisoformat(as_of) if as_of else None,
        actor=job.created_by,
        progress=progress,
    )
    head = run.scopes.filter(unit=None).values_list("index", "low", "high").first()
    index, low, high = head if head is not None else (None, None, None)
    summary = (
        f"Execution Index {index:.1f} (90% interval {low:.1f}-{high:.1f}) as of {run.as_of}, "
        f"for the organization and {run.summary.get('units', 0)} units."
        if index is not None and low is not None and high is not None
        else f"Index computed as of {run.as_of} for {run.summary.get('units', 0)} units."
        if index is not None
        else "Not enough data for an index yet: see the page for what is missing."
    )
    return {
        "summary": summary,
        "run": run.pk,
        "seconds": round(run.seconds, 2),
        "next_url": reverse("insights:dashboard", kwargs={"org_slug": job.organization.slug}),
    }


@job_handler("insights.outcome_index")
def outcome_index_job(job: Job, progress: Progress) -> dict[str, Any]:
    progress("index when closed", 0, 1)
    outcome = outcome_index_compute(outcome_id=int(job.params["outcome"]))
    progress("index when closed", 1, 1)
    if outcome is None:
        return {"summary": "The outcome was deleted before its index was worked out."}
    index = "no data" if outcome.index is None else f"{outcome.index:.1f}"
    return {
        "summary": f"Index of “{outcome.label}” when it closed on {outcome.closed_on}: {index}.",
        "next_url": reverse("insights:outcomes", kwargs={"org_slug": job.organization.slug}),
    }
