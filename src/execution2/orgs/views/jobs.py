"""The status of one job: a page that polls itself until the work has ended."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from execution2.core.jobs import job_progress, job_retry
from execution2.core.models import Job
from execution2.orgs.tenancy import OrgRequest, org_view


@org_view()
def job_detail(request: OrgRequest, job_id: uuid.UUID) -> HttpResponse:
    job = get_object_or_404(Job, pk=job_id, organization=request.organization)
    return _job_page(request, job)


def _job_page(request: OrgRequest, job: Job) -> HttpResponse:
    progress = job_progress(job)
    total = progress.get("total") or 0
    percent = round(100 * progress.get("done", 0) / total) if total else None
    context = {"job": job, "progress": progress, "percent": percent}
    template = "orgs/_job_status.html" if request.headers.get("HX-Request") else "orgs/job.html"
    return render(request, template, context)


@org_view()
def job_retry_view(request: OrgRequest, job_id: uuid.UUID) -> HttpResponse:
    organization = request.organization
    job = get_object_or_404(Job, pk=job_id, organization=organization)
    if request.method != "POST":
        # Retrying is a POST from the job's page; a GET just shows that page.
        return _job_page(request, job)
    try:
        retry = job_retry(job=job, actor=request.user)
    except ValueError as refused:
        messages.error(request, str(refused).capitalize() + ".")
        return redirect("orgs:job", org_slug=organization.slug, job_id=job.pk)
    return redirect("orgs:job", org_slug=organization.slug, job_id=retry.pk)
