"""Long work of the plans app, run through core.jobs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.urls import reverse

from execution2.core.jobs import Progress, job_handler
from execution2.core.models import Job
from execution2.plans.plan_file import plan_import


@job_handler("plans.import")
def plan_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    progress("read", 0, 1)
    result = plan_import(
        organization=job.organization,
        source=Path(job.params["path"]).read_bytes(),
        file_name=job.params["file_name"],
        actor=job.created_by,
    )
    progress("write", 1, 1)
    return {
        "summary": result.summary(),
        "next_url": reverse("plans:tree", kwargs={"org_slug": job.organization.slug}),
    }
