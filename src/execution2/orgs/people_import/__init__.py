"""The people import: one service behind the command line and the web page.

A file is read and validated whole before anything is written (`reading`); then everything is
written in one transaction (`writing`), so a refused or failed import leaves the organization
exactly as it was.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from execution2.orgs.choices import AuditAction
from execution2.orgs.models import Organization
from execution2.orgs.people_import.reading import (
    PEOPLE_COLUMNS,
    REQUIRED_PEOPLE_COLUMNS,
    UNIT_SEPARATOR,
    PersonRow,
    people_file_read,
    unit_path_normalize,
)
from execution2.orgs.people_import.writing import PeopleImportResult, Progress, people_apply
from execution2.orgs.services import audit_record

__all__ = [
    "PEOPLE_COLUMNS",
    "REQUIRED_PEOPLE_COLUMNS",
    "UNIT_SEPARATOR",
    "PeopleImportResult",
    "PersonRow",
    "Progress",
    "people_file_read",
    "people_import",
    "unit_path_normalize",
]


def _no_progress(phase: str, done: int, total: int) -> None:
    return None


def people_import(
    *,
    organization: Organization,
    source: str | Path | IO[bytes],
    file_name: str | None = None,
    column_map: Mapping[str, str] | None = None,
    encoding: str = "utf-8-sig",
    date_format: str | None = None,
    effective_date: datetime.date | None = None,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    progress: Progress | None = None,
) -> PeopleImportResult:
    """Upsert the organization's people from a file; people missing from it are deactivated.

    Changes of unit, manager or title take effect on `effective_date` (default today) and are
    kept in PersonHistory, so analyses can ask how the organization looked on any date.
    """
    report = progress or _no_progress
    report("read", 0, 1)
    rows = people_file_read(
        source,
        file_name=file_name,
        column_map=column_map,
        encoding=encoding,
        date_format=date_format,
    )
    report("read", 1, 1)
    day = effective_date or timezone.localdate()
    with transaction.atomic():
        # One import per organization at a time: the second waits for the first to commit.
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        result = people_apply(organization, rows, day, report)
        audit_record(
            organization=organization,
            actor=actor,
            action=AuditAction.PEOPLE_IMPORT,
            detail={
                "file": Path(file_name or str(getattr(source, "name", "upload"))).name,
                "effective_date": day.isoformat(),
                "total": result.total,
                "created": result.created,
                "updated": result.updated,
                "deactivated": result.deactivated,
                "reactivated": result.reactivated,
            },
        )
    return result
