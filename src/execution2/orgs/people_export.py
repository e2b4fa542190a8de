"""Writing the people file back out, in exactly the columns the import reads."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from execution2.orgs.choices import AuditAction
from execution2.orgs.models import Organization, Person
from execution2.orgs.people_import import PEOPLE_COLUMNS
from execution2.orgs.services import audit_record


def _people_rows(organization: Organization) -> Iterator[list[str]]:
    people = (
        Person.objects.filter(organization=organization, active=True)
        .order_by("pk")
        .values_list(
            "external_id",
            "name",
            "unit__path",
            "manager__external_id",
            "email",
            "title",
            "location",
            "start_date",
            "end_date",
        )
    )
    for values in people.iterator(chunk_size=5000):
        yield [
            "" if v is None else (v.isoformat() if hasattr(v, "isoformat") else str(v))
            for v in values
        ]


def people_export(
    *,
    organization: Organization,
    file_format: str = "csv",
    actor: AbstractBaseUser | AnonymousUser | None = None,
) -> bytes:
    """The active people as CSV (UTF-8) or XLSX bytes; importing them again changes nothing."""
    if file_format not in {"csv", "xlsx"}:
        raise ValueError(f"unknown export format {file_format!r}: use csv or xlsx")
    rows = _people_rows(organization)
    count = 0
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(PEOPLE_COLUMNS)
        for row in rows:
            writer.writerow(row)
            count += 1
        data = buffer.getvalue().encode("utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("people")
        sheet.append(list(PEOPLE_COLUMNS))
        for row in rows:
            sheet.append(row)
            count += 1
        out = io.BytesIO()
        workbook.save(out)
        data = out.getvalue()
    audit_record(
        organization=organization,
        actor=actor,
        action=AuditAction.PEOPLE_EXPORT,
        detail={"format": file_format, "people": count},
    )
    return data
