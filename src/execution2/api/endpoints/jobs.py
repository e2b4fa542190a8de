"""Jobs: the status and progress of an import or analysis started through the API or a page."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router

from execution2.api.auth import org_context
from execution2.api.endpoints.common import JobOut, job_out
from execution2.core.models import Job

router = Router(tags=["jobs"])


@router.get("/orgs/{org_slug}/jobs/{job_id}", response=JobOut, summary="A job's status")
def job(request: HttpRequest, org_slug: str, job_id: uuid.UUID) -> dict[str, Any]:
    ctx = org_context(request, org_slug)
    found = Job.objects.filter(organization=ctx.organization, pk=job_id).first()
    if found is None:
        raise Http404
    return job_out(found)
