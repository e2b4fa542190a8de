"""The status of one job: a page that polls itself until the work has ended."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from execution2.core.jobs import job_progress
from execution2.core.models import Job
from execution2.orgs.tenancy import OrgRequest, org_view


@org_view()
def job_detail(request: OrgRequest, job_id: uuid.UUID) -> HttpResponse:
    job = get_object_or_404(Job, pk=job_id, organization=request.organization)
    progress = job_progress(job)
    total = progress.get("total") or 0
    percent = round(100 * progress.get("done", 0) / total) if total else None
    context = {"job": job, "progress": progress, "percent": percent}
    template = "orgs/_job_status.html" if request.headers.get("HX-Request") else "orgs/job.html"
    return render(request, template, context)
