"""Writing a validated people file: units first, then new people level by level, updates,
leavers, and the history of positions. Called inside the import's transaction."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from execution2.core.bulk import insert_rows
from execution2.orgs.models import Organization, Person, PersonHistory, Unit, person_search_text
from execution2.orgs.people_import.reading import UNIT_SEPARATOR, PersonRow, chart_levels

BATCH = 2000

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class PeopleImportResult:
    total: int
    created: int
    updated: int
    unchanged: int
    deactivated: int
    reactivated: int
    units_created: int

    def summary(self) -> str:
        return (
            f"{self.total} people in the file: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.deactivated} deactivated"
            + (f", {self.reactivated} reactivated" if self.reactivated else "")
            + (f"; {self.units_created} new units" if self.units_created else "")
            + "."
        )


def _ensure_units(organization: Organization, rows: list[PersonRow]) -> tuple[dict[str, int], int]:
    """Unit ids by case-folded path, creating the missing ones (parents first)."""
    units = {
        path.casefold(): pk
        for pk, path in Unit.objects.filter(organization=organization).values_list("pk", "path")
    }
    # A unit keeps the spelling it was first seen with, also inside its children's paths.
    spelling = {
        path.casefold(): path
        for path in Unit.objects.filter(organization=organization).values_list("path", flat=True)
    }
    wanted: dict[str, str] = {}
    for row in rows:
        segments = row.unit_path.split(UNIT_SEPARATOR)
        parent = ""
        for segment in segments:
            key = f"{parent}{UNIT_SEPARATOR}{segment}" if parent else segment
            parent = spelling.setdefault(key.casefold(), key)
            wanted.setdefault(key.casefold(), parent)
    missing = sorted(
        (path for key, path in wanted.items() if key not in units),
        key=lambda p: p.count(UNIT_SEPARATOR),
    )
    created = 0
    by_depth: dict[int, list[str]] = {}
    for path in missing:
        by_depth.setdefault(path.count(UNIT_SEPARATOR), []).append(path)
    for depth in sorted(by_depth):
        new_units = []
        for path in by_depth[depth]:
            parent_path, _, name = path.rpartition(UNIT_SEPARATOR)
            new_units.append(
                Unit(
                    organization=organization,
                    parent_id=units[parent_path.casefold()] if parent_path else None,
                    name=name,
                    path=path,
                    depth=depth,
                )
            )
        for unit in Unit.objects.bulk_create(new_units, batch_size=BATCH):
            units[unit.path.casefold()] = unit.pk
        created += len(new_units)
    return units, created


_PERSON_FIELDS = (
    "name",
    "email",
    "title",
    "unit_id",
    "manager_id",
    "location",
    "start_date",
    "end_date",
    "active",
    "search_text",
)


class _Desired:
    """What each row's person should look like, and the people as they are now."""

    def __init__(
        self, organization: Organization, rows: list[PersonRow], day: datetime.date
    ) -> None:
        self.organization = organization
        self.day = day
        self.unit_ids, self.units_created = _ensure_units(organization, rows)
        self.existing: dict[str, dict[str, Any]] = {
            values["external_id"]: values
            for values in Person.objects.filter(organization=organization).values(
                "pk", "external_id", *_PERSON_FIELDS
            )
        }
        self.pk_of = {external_id: values["pk"] for external_id, values in self.existing.items()}
        self.now = timezone.now()

    def of(self, row: PersonRow) -> dict[str, Any]:
        return {
            "name": row.name,
            "email": row.email,
            "title": row.title,
            "unit_id": self.unit_ids[row.unit_path.casefold()],
            "manager_id": self.pk_of[row.manager_id] if row.manager_id else None,
            "location": row.location,
            "start_date": row.start_date,
            "end_date": row.end_date,
            "active": row.end_date is None or row.end_date > self.day,
            "search_text": person_search_text(
                row.name, row.email, row.title, row.location, row.external_id
            ),
        }


@dataclass
class _Updates:
    people: list[Person]
    changed_position: list[tuple[int, dict[str, Any]]]
    reactivated: int


def people_apply(
    organization: Organization,
    rows: list[PersonRow],
    day: datetime.date,
    report: Progress,
    *,
    deactivate_missing: bool = True,
) -> PeopleImportResult:
    total = len(rows)
    desired = _Desired(organization, rows, day)
    new_people = _create_new_people(desired, rows, report)
    updates = _update_changed_people(desired, rows)
    report("write", min(len(new_people) + len(updates.people), total), total)
    leavers = _deactivate_leavers(desired, rows) if deactivate_missing else []
    _record_history_changes(updates.changed_position, day)
    _open_history(new_people)
    report("write", total, total)
    ended_in_file = sum(
        1
        for row in rows
        if row.external_id in desired.existing
        and desired.existing[row.external_id]["active"]
        and not desired.of(row)["active"]
    )
    return PeopleImportResult(
        total=total,
        created=len(new_people),
        updated=len(updates.people),
        unchanged=total - len(new_people) - len(updates.people),
        deactivated=len(leavers) + ended_in_file,
        reactivated=updates.reactivated,
        units_created=desired.units_created,
    )


def _create_new_people(
    desired: _Desired, rows: list[PersonRow], report: Progress
) -> list[tuple[int, dict[str, Any]]]:
    """Insert the people not in the database yet; (pk, values) of each."""
    # New people go in level by level, so each one's manager already has a primary key.
    levels = chart_levels(rows)
    organization, pk_of, now = desired.organization, desired.pk_of, desired.now
    by_level: dict[int, list[PersonRow]] = {}
    for row in rows:
        if row.external_id not in pk_of:
            by_level.setdefault(levels[row.external_id], []).append(row)
    new_people: list[tuple[int, dict[str, Any]]] = []
    for level in sorted(by_level):
        batch = by_level[level]
        wanted = [desired.of(r) for r in batch]
        insert_rows(
            Person,
            ["organization_id", "external_id", *_PERSON_FIELDS, "created_at", "updated_at"],
            (
                (organization.pk, r.external_id, *(w[f] for f in _PERSON_FIELDS), now, now)
                for r, w in zip(batch, wanted, strict=True)
            ),
        )
        ids = [r.external_id for r in batch]
        for start in range(0, len(ids), BATCH):
            pk_of.update(
                Person.objects.filter(
                    organization=organization, external_id__in=ids[start : start + BATCH]
                ).values_list("external_id", "pk")
            )
        new_people += [(pk_of[r.external_id], w) for r, w in zip(batch, wanted, strict=True)]
        report("write", len(new_people), len(rows))
    return new_people


def _update_changed_people(desired: _Desired, rows: list[PersonRow]) -> _Updates:
    updates = _Updates([], [], 0)
    for row in rows:
        before = desired.existing.get(row.external_id)
        if before is None:
            continue
        after = desired.of(row)
        if all(before[f] == after[f] for f in _PERSON_FIELDS):
            continue
        person = Person(
            pk=before["pk"], organization=desired.organization, external_id=row.external_id
        )
        for field_name, value in after.items():
            setattr(person, field_name, value)
        person.updated_at = desired.now
        updates.people.append(person)
        if after["active"] and not before["active"]:
            updates.reactivated += 1
        if any(before[f] != after[f] for f in ("unit_id", "manager_id", "title")) or (
            after["active"] != before["active"]
        ):
            updates.changed_position.append((before["pk"], after))
    Person.objects.bulk_update(updates.people, [*_PERSON_FIELDS, "updated_at"], batch_size=500)
    return updates


def _deactivate_leavers(desired: _Desired, rows: list[PersonRow]) -> list[int]:
    """The active people missing from the file leave on the import's day."""
    day = desired.day
    in_file = {row.external_id for row in rows}
    leavers = [
        values["pk"]
        for external_id, values in desired.existing.items()
        if values["active"] and external_id not in in_file
    ]
    for start in range(0, len(leavers), BATCH):
        chunk = leavers[start : start + BATCH]
        Person.objects.filter(pk__in=chunk).update(active=False, updated_at=desired.now)
        Person.objects.filter(pk__in=chunk, end_date__isnull=True).exclude(
            start_date__gt=day
        ).update(end_date=day)
        PersonHistory.objects.filter(person_id__in=chunk, valid_to__isnull=True).update(
            valid_to=day
        )
    return leavers


def _open_history(new_people: list[tuple[int, dict[str, Any]]]) -> None:
    insert_rows(
        PersonHistory,
        ["person_id", "valid_from", "valid_to", "unit_id", "manager_id", "title"],
        (
            (
                pk,
                w["start_date"],
                None if w["active"] else w["end_date"],
                w["unit_id"],
                w["manager_id"],
                w["title"],
            )
            for pk, w in new_people
        ),
    )


def _record_history_changes(changes: list[tuple[int, dict[str, Any]]], day: datetime.date) -> None:
    """Close each changed person's current record on `day` and open one with the new values."""
    if not changes:
        return
    person_ids = [pk for pk, _ in changes]
    current: dict[int, PersonHistory] = {}
    for start in range(0, len(person_ids), BATCH):
        for record in PersonHistory.objects.filter(
            person_id__in=person_ids[start : start + BATCH], valid_to__isnull=True
        ):
            current[record.person_id] = record
    closed: list[PersonHistory] = []
    rewritten: list[PersonHistory] = []
    opened: list[PersonHistory] = []
    for pk, after in changes:
        record = current.get(pk)
        ends = None if after["active"] else (after["end_date"] or day)
        if record is not None and record.valid_from is not None and record.valid_from >= day:
            # A second change on the same day (or before a future start) replaces the first
            # rather than leaving an empty or backwards period.
            record.unit_id = after["unit_id"]
            record.manager_id = after["manager_id"]
            record.title = after["title"]
            record.valid_to = ends
            rewritten.append(record)
            continue
        if record is not None:
            record.valid_to = day
            closed.append(record)
        if after["active"] or record is None:
            opened.append(
                PersonHistory(
                    person_id=pk,
                    valid_from=day,
                    valid_to=ends,
                    unit_id=after["unit_id"],
                    manager_id=after["manager_id"],
                    title=after["title"],
                )
            )
    PersonHistory.objects.bulk_update(closed, ["valid_to"], batch_size=500)
    PersonHistory.objects.bulk_update(
        rewritten, ["unit_id", "manager_id", "title", "valid_to"], batch_size=500
    )
    PersonHistory.objects.bulk_create(opened, batch_size=BATCH)
