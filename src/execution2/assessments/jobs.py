"""Long work of the assessment app, run through core.jobs."""

from __future__ import annotations

from typing import Any

from execution2.assessments.models import Cycle
from execution2.assessments.response_import import responses_import
from execution2.core.jobs import Progress, job_handler
from execution2.core.models import Job


@job_handler("assessments.import")
def responses_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    cycle = Cycle.objects.get(organization=job.organization, pk=job.params["cycle"])
    result = responses_import(
        cycle=cycle,
        source=job.params["path"],
        file_name=job.params["file_name"],
        actor=job.created_by,
        progress=progress,
    )
    return {
        "summary": result.summary(),
        "responses": result.responses,
        "comments": result.comments,
        "subjects_added": result.subjects_added,
    }


@job_handler("assessments.open")
def cycle_open_job(job: Job, progress: Progress) -> dict[str, Any]:
    from execution2.assessments.services import cycle_open

    cycle = Cycle.objects.get(organization=job.organization, pk=job.params["cycle"])
    progress("invitations", 0, 1)
    result = cycle_open(cycle=cycle, actor=job.created_by, link_base=job.params.get("link_base"))
    progress("invitations", 1, 1)
    return {
        "summary": f"The cycle is open: {result.summary()}",
        "subjects": result.subjects,
        "invitations": result.invitations,
        "emails": result.emails,
    }


@job_handler("assessments.validity")
def validity_job(job: Job, progress: Progress) -> dict[str, Any]:
    from execution2.assessments.validity import validity_compute

    cycle = Cycle.objects.get(organization=job.organization, pk=job.params["cycle"])
    row = validity_compute(cycle=cycle, actor=job.created_by, progress=progress)
    structure = row.data["structure"]
    if "cfi" in structure:
        summary = (
            f"Instrument quality of {cycle.name}: CFI {structure['cfi']}, "
            f"RMSEA {structure['rmsea']}, SRMR {structure['srmr']}."
        )
    else:
        summary = f"Instrument quality of {cycle.name}: {structure.get('reason', '')}."
    return {"summary": summary, "responses": row.responses}
