"""Importing and exporting the people file from the browser: the same service as the CLI."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from execution2.core.jobs import job_submit
from execution2.core.tabular import ImportRefused
from execution2.orgs.choices import AuditAction, Role
from execution2.orgs.forms import PeopleImportForm, upload_limit_message
from execution2.orgs.models import AuditEvent
from execution2.orgs.people_export import people_export as export_people
from execution2.orgs.people_import import (
    PEOPLE_COLUMNS,
    REQUIRED_PEOPLE_COLUMNS,
)
from execution2.orgs.people_import import (
    people_import as import_people,
)
from execution2.orgs.tenancy import org_view

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


class UploadLimitHandler(FileUploadHandler):
    """Stops storing an upload once it passes the limit, so a huge file never fills the disk.

    Django reads the request body before the view runs; the rest of the file is skipped and
    the view sees `request.upload_too_big` instead of the file.
    """

    def __init__(self, request: HttpRequest, limit: int):
        super().__init__(request)
        self.limit = limit

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.request.upload_too_big = True  # type: ignore[union-attr]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _import_context(request: HttpRequest, form: PeopleImportForm, **extra: Any) -> dict[str, Any]:
    recent = AuditEvent.objects.filter(
        organization=request.organization,  # type: ignore[attr-defined]
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
def _people_import(request: HttpRequest) -> HttpResponse:
    organization = request.organization  # type: ignore[attr-defined]
    if request.method != "POST":
        return render(
            request, "orgs/people_import.html", _import_context(request, PeopleImportForm())
        )
    form = PeopleImportForm(request.POST, request.FILES)
    valid = form.is_valid()
    if getattr(request, "upload_too_big", False):
        form.errors.pop("file", None)
        form.add_error("file", upload_limit_message())
        valid = False
    if not valid:
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


@csrf_exempt
@never_cache
@wraps(_people_import)
def people_import(request: HttpRequest, org_slug: str) -> HttpResponse:
    # The upload handler must be in place before anything reads the body, and the CSRF check
    # reads it; so CSRF is exempted here and enforced just inside (Django's documented way).
    request.upload_handlers.insert(
        0, UploadLimitHandler(request, settings.EXECUTION2_MAX_UPLOAD_BYTES)
    )
    return csrf_protect(_people_import)(request, org_slug=org_slug)


@org_view(min_role=Role.ADMIN)
def people_export(request: HttpRequest) -> HttpResponse:
    organization = request.organization  # type: ignore[attr-defined]
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
