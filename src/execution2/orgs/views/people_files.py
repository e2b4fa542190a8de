"""Importing and exporting the people file from the browser: the same service as the CLI."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from execution2.core.jobs import job_submit
from execution2.core.tabular import ImportRefused
from execution2.core.uploads import upload_form_valid, upload_view
from execution2.orgs.choices import AuditAction, Role
from execution2.orgs.forms import PeopleImportForm
from execution2.orgs.models import AuditEvent
from execution2.orgs.people_export import people_export as export_people
from execution2.orgs.people_import import (
    PEOPLE_COLUMNS,
    REQUIRED_PEOPLE_COLUMNS,
)
from execution2.orgs.people_import import (
    people_import as import_people,
)
from execution2.orgs.tenancy import OrgRequest, org_view

COLUMN_HELP = {
    "id": "The person's employee number or other id that never changes.",
    "name": "Full name.",
    "unit": "Where they sit, parents first: Marketing / Social Media.",
    "manager_id": "The id of their manager; empty for the top of the organization.",
    "email": "Work e-mail; links their login when they have one.",
    "title": "Job title.",
    "location": "Office or city.",
    "start_date": "First day, as YYYY-MM-DD.",
    "end_date": "Last day, for leavers who are still in the file.",
}
EXAMPLE = """id,name,unit,manager_id,email,title,location,start_date
1,Ada Chief,Executive Office,,ada@example.com,Chief Executive Officer,London,2015-01-05
2,Bram Market,Marketing,1,bram@example.com,Chief Marketing Officer,London,2016-03-01
3,Chloé Social,Marketing / Social Media,2,chloe@example.com,Social Media Lead,Paris,2019-06-10"""

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _import_context(request: OrgRequest, form: PeopleImportForm, **extra: Any) -> dict[str, Any]:
    recent = AuditEvent.objects.filter(
        organization=request.organization,
        action=AuditAction.PEOPLE_IMPORT,
    ).order_by("-created_at", "-id")[:5]
    return {
        "form": form,
        "columns": [
            {"name": c, "required": c in REQUIRED_PEOPLE_COLUMNS, "help": COLUMN_HELP.get(c, "")}
            for c in PEOPLE_COLUMNS
        ],
        "example": EXAMPLE,
        "recent_imports": list(recent),
        "max_upload_bytes": settings.EXECUTION2_MAX_UPLOAD_BYTES,
        **extra,
    }


@org_view(min_role=Role.ADMIN)
def _people_import(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    if request.method != "POST":
        return render(
            request, "orgs/people_import.html", _import_context(request, PeopleImportForm())
        )
    form = PeopleImportForm(request.POST, request.FILES)
    if not upload_form_valid(request, form):
        return render(
            request, "orgs/people_import.html", _import_context(request, form), status=422
        )
    upload = form.cleaned_data["file"]
    if upload.size > settings.EXECUTION2_IMPORT_INLINE_BYTES:
        # A big file runs as a job so the page can show its progress instead of hanging.
        effective = form.cleaned_data["effective_date"]
        job = job_submit(
            organization=organization,
            kind="people.import",
            label=f"Import people from {upload.name}",
            params={
                "column_map": form.cleaned_data["columns"],
                "encoding": form.cleaned_data["encoding"],
                "date_format": form.cleaned_data["date_format"],
                "effective_date": effective.isoformat() if effective else None,
                "back_url": request.path,
            },
            actor=request.user,
            upload=upload,
        )
        return redirect("orgs:job", org_slug=organization.slug, job_id=job.pk)
    try:
        result = import_people(
            organization=organization,
            source=upload,
            file_name=upload.name,
            column_map=form.cleaned_data["columns"],
            encoding=form.cleaned_data["encoding"],
            date_format=form.cleaned_data["date_format"],
            effective_date=form.cleaned_data["effective_date"],
            actor=request.user,
        )
    except ImportRefused as refused:
        return render(
            request,
            "orgs/people_import.html",
            _import_context(
                request,
                form,
                problems=[str(problem) for problem in refused.problems],
                refused_file=upload.name,
            ),
            status=422,
        )
    messages.success(request, f"Imported {upload.name}. {result.summary()}")
    return redirect("orgs:people", org_slug=organization.slug)


people_import = upload_view(_people_import)


@org_view(min_role=Role.ADMIN)
def people_export(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    file_format = request.GET.get("format", "csv")
    if file_format not in EXPORT_FORMATS:
        file_format = "csv"
    data = export_people(organization=organization, file_format=file_format, actor=request.user)
    response = HttpResponse(data, content_type=EXPORT_FORMATS[file_format])
    response["Content-Disposition"] = (
        f'attachment; filename="{organization.slug}-people.{file_format}"'
    )
    response["Cache-Control"] = "no-store"
    return response
