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
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from execution2.orgs.choices import AuditAction
from execution2.orgs.models import Organization, Person
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
    "person_upsert",
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


def person_upsert(
    *,
    organization: Organization,
    row: PersonRow,
    effective_date: datetime.date | None = None,
    actor: AbstractBaseUser | AnonymousUser | None = None,
) -> tuple[Person, bool]:
    """Create or update one person by external id (the API's upsert); nobody is deactivated.

    The row is what a file row would be, so it keeps history the same way an import does. The
    manager, when named, must already exist in the organization.
    """
    day = effective_date or timezone.localdate()
    if row.manager_id is not None and row.manager_id == row.external_id:
        raise ValidationError({"manager_id": "A person can't be their own manager."})
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        if (
            row.manager_id is not None
            and not Person.objects.filter(
                organization=organization, external_id=row.manager_id
            ).exists()
        ):
            raise ValidationError({"manager_id": f"No person has the id {row.manager_id!r}."})
        if row.manager_id is not None and _reports_to(
            organization, row.manager_id, row.external_id
        ):
            raise ValidationError(
                {"manager_id": f"{row.manager_id!r} reports to {row.external_id!r} already."}
            )
        result = people_apply(organization, [row], day, _no_progress, deactivate_missing=False)
        person = Person.objects.get(organization=organization, external_id=row.external_id)
        if result.created or result.updated:
            audit_record(
                organization=organization,
                actor=actor,
                action=AuditAction.PEOPLE_IMPORT,
                detail={
                    "person": row.external_id,
                    "created": result.created,
                    "updated": result.updated,
                    "effective_date": day.isoformat(),
                },
            )
    return person, bool(result.created)


def _reports_to(organization: Organization, external_id: str, boss: str) -> bool:
    """Whether `boss` is above `external_id` in the chart (so making it their report loops)."""
    manager_of = dict(
        Person.objects.filter(organization=organization).values_list(
            "external_id", "manager__external_id"
        )
    )
    seen: set[str] = set()
    node: str | None = external_id
    while node is not None and node not in seen:
        if node == boss:
            return True
        seen.add(node)
        node = manager_of.get(node)
    return False
