"""Long work of the orgs app, run through core.jobs."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from execution2.core.jobs import Progress, job_handler
from execution2.core.models import Job
from execution2.orgs.people_import import people_import


@job_handler("people.import")
def people_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    params = job.params
    effective = params.get("effective_date")
    result = people_import(
        organization=job.organization,
        source=params["path"],
        file_name=params["file_name"],
        column_map=params.get("column_map") or {},
        encoding=params.get("encoding") or "utf-8-sig",
        date_format=params.get("date_format") or None,
        effective_date=datetime.date.fromisoformat(effective) if effective else None,
        actor=job.created_by,
        progress=progress,
    )
    return {
        "summary": result.summary(),
        "next_url": reverse("orgs:people", kwargs={"org_slug": job.organization.slug}),
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "deactivated": result.deactivated,
        "reactivated": result.reactivated,
    }
