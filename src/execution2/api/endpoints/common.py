"""Schemas and helpers several endpoint modules share."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import Http404
from ninja import Schema

from execution2.core.jobs import job_progress
from execution2.core.models import Job


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    label: str
    status: str
    message: str
    problems: list[str]
    result: dict[str, Any]
    progress: dict[str, Any]
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None


def job_out(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "label": job.label,
        "status": job.status,
        "message": job.message,
        "problems": [str(p) for p in job.problems or []],
        "result": {k: v for k, v in (job.result or {}).items() if k != "next_url"},
        "progress": job_progress(job),
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def one(queryset: Any, **lookup: Any) -> Any:
    """The object or a 404 (never a 500 for an id too large for the database)."""
    for value in lookup.values():
        if isinstance(value, int) and not 0 < value < 2**63:
            raise Http404
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404
    return found
