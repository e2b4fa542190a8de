"""The people import: one service behind the command line and the web page.

A file is read and validated whole before anything is written; then everything is written in
one transaction, so a refused or failed import leaves the organization exactly as it was.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from execution2.core.bulk import insert_rows
from execution2.core.tabular import ImportRefused, Problem, Table, read_table
from execution2.orgs.choices import AuditAction
from execution2.orgs.models import (
    Organization,
    Person,
    PersonHistory,
    Unit,
    person_search_text,
)
from execution2.orgs.services import audit_record

PEOPLE_COLUMNS = (
    "id",
    "name",
    "unit",
    "manager_id",
    "email",
    "title",
    "location",
    "start_date",
    "end_date",
)
REQUIRED_PEOPLE_COLUMNS = ("id", "name", "unit", "manager_id")
UNIT_SEPARATOR = " / "
MAX_PROBLEMS_PER_KIND = 200
BATCH = 2000

Progress = Callable[[str, int, int], None]


def _no_progress(phase: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True, slots=True)
class PersonRow:
    row: int
    external_id: str
    name: str
    unit_path: str
    manager_id: str | None
    email: str
    title: str
    location: str
    start_date: datetime.date | None
    end_date: datetime.date | None


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


def unit_path_normalize(raw: str) -> str | None:
    """`Marketing/ Social  Media` -> `Marketing / Social Media`; None when a segment is empty."""
    segments = [re.sub(r"\s+", " ", part).strip() for part in raw.split("/")]
    if not segments or any(not s for s in segments):
        return None
    return UNIT_SEPARATOR.join(segments)


# --- reading and validating -------------------------------------------------------------------

_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


class _DateReader:
    """Reads the date formats HRIS exports use; slashed dates are day- or month-first per file."""

    def __init__(self, table: Table, date_format: str | None):
        self.table = table
        self.date_format = date_format
        self.slash_order: str | None = None  # "dmy" or "mdy"
        self.slash_problem: Problem | None = None
        if date_format is None:
            self._decide_slash_order()

    def _decide_slash_order(self) -> None:
        day_first_row = month_first_row = ambiguous_row = None
        ambiguous_column = ""
        for column in ("start_date", "end_date"):
            if column not in self.table.columns:
                continue
            for row, cells in self.table.rows:
                value = self.table.value(cells, column)
                match = _SLASHED.match(value.strip()) if isinstance(value, str) else None
                if not match:
                    continue
                first, second = int(match[1]), int(match[2])
                if first > 12 and day_first_row is None:
                    day_first_row = row
                elif second > 12 and month_first_row is None:
                    month_first_row = row
                elif first <= 12 and second <= 12 and first != second and ambiguous_row is None:
                    ambiguous_row, ambiguous_column = row, column
        if day_first_row and month_first_row:
            self.slash_problem = Problem(
                self.table.file,
                month_first_row,
                self.table.header_of("start_date"),
                f"dates are day-first on row {day_first_row} but month-first here; "
                "give --date-format",
            )
        elif day_first_row:
            self.slash_order = "dmy"
        elif month_first_row:
            self.slash_order = "mdy"
        elif ambiguous_row:
            self.slash_problem = Problem(
                self.table.file,
                ambiguous_row,
                self.table.header_of(ambiguous_column),
                "slashed dates here could be day-first or month-first; give "
                "--date-format %d/%m/%Y or --date-format %m/%d/%Y",
            )
        else:
            self.slash_order = "dmy"  # only dates like 05/05/2020 remain: either reading agrees

    def parse(self, value: Any) -> datetime.date:
        """Raises ValueError with a message fit for the user."""
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        if self.date_format:
            try:
                return datetime.datetime.strptime(text, self.date_format).date()
            except ValueError:
                raise ValueError(
                    f"{text!r} is not a date in the format {self.date_format}"
                ) from None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
        try:
            return datetime.datetime.fromisoformat(text).date()
        except ValueError:
            pass
        if match := _DOTTED.match(text):
            return _date_or_error(text, int(match[3]), int(match[2]), int(match[1]))
        if match := _SLASHED.match(text):
            a, b, year = int(match[1]), int(match[2]), int(match[3])
            if self.slash_order == "mdy":
                return _date_or_error(text, year, a, b)
            return _date_or_error(text, year, b, a)
        raise ValueError(f"{text!r} is not a date; write it as YYYY-MM-DD")


def _date_or_error(text: str, year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a valid date") from None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return re.sub(r"\s+", " ", str(value)).strip()


def people_file_read(
    source: str | Path | IO[bytes],
    *,
    file_name: str | None = None,
    column_map: Mapping[str, str] | None = None,
    encoding: str = "utf-8-sig",
    date_format: str | None = None,
) -> list[PersonRow]:
    """Read and validate a people file whole; raises ImportRefused listing every problem."""
    table = read_table(
        source,
        known_columns=PEOPLE_COLUMNS,
        required_columns=REQUIRED_PEOPLE_COLUMNS,
        column_map=column_map,
        file_name=file_name,
        encoding=encoding,
    )
    if table.problems:
        raise ImportRefused(table.problems)
    if not table.rows:
        raise ImportRefused([Problem(table.file, 2, "-", "the file has a header but no people")])

    problems: list[Problem] = []
    counts: dict[str, int] = {}

    def problem(row: int, column: str, message: str, kind: str) -> None:
        counts[kind] = counts.get(kind, 0) + 1
        if counts[kind] <= MAX_PROBLEMS_PER_KIND:
            problems.append(Problem(table.file, row, table.header_of(column), message))

    dates = _DateReader(table, date_format)
    if dates.slash_problem:
        problems.append(dates.slash_problem)
    people: list[PersonRow] = []
    manager_links: dict[str, tuple[int, str | None]] = {}  # id -> (row, manager id)
    first_row_of_id: dict[str, int] = {}
    first_row_of_email: dict[str, int] = {}
    for row, cells in table.rows:
        values = {c: _text(table.value(cells, c)) for c in PEOPLE_COLUMNS if c != "start_date"}
        ok = True
        for column in ("id", "name", "unit"):
            if not values[column]:
                problem(row, column, f"{column} is blank", "blank")
                ok = False
        external_id = values["id"]
        if external_id:
            if len(external_id) > 100:
                problem(row, "id", "the id is longer than 100 characters", "long")
                ok = False
            elif external_id in first_row_of_id:
                problem(
                    row,
                    "id",
                    f"id {external_id!r} appears again (first on row "
                    f"{first_row_of_id[external_id]})",
                    "duplicate",
                )
                ok = False
            else:
                first_row_of_id[external_id] = row
                manager_links[external_id] = (row, values["manager_id"] or None)
        for column, limit in (("name", 200), ("title", 200), ("location", 200)):
            if len(values[column]) > limit:
                problem(row, column, f"{column} is longer than {limit} characters", "long")
                ok = False
        unit_path = ""
        if values["unit"]:
            normalized = unit_path_normalize(values["unit"])
            if normalized is None:
                problem(row, "unit", f"unit path {values['unit']!r} has an empty part", "unit")
                ok = False
            elif len(normalized) > 1000 or any(len(s) > 200 for s in normalized.split(" / ")):
                problem(row, "unit", "unit path is too long", "unit")
                ok = False
            else:
                unit_path = normalized
        email = values["email"].lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problem(row, "email", f"{values['email']!r} is not an e-mail address", "email")
                ok = False
            else:
                if email in first_row_of_email:
                    problem(
                        row,
                        "email",
                        f"e-mail {email!r} is also on row {first_row_of_email[email]}",
                        "email",
                    )
                    ok = False
                else:
                    first_row_of_email[email] = row
        parsed: dict[str, datetime.date | None] = {"start_date": None, "end_date": None}
        for column in ("start_date", "end_date"):
            raw = table.value(cells, column)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            try:
                parsed[column] = dates.parse(raw)
            except ValueError as error:
                problem(row, column, str(error), "date")
                ok = False
        start, end = parsed["start_date"], parsed["end_date"]
        if start and end and end < start:
            problem(row, "end_date", f"end date {end} is before start date {start}", "date")
            ok = False
        if ok:
            people.append(
                PersonRow(
                    row=row,
                    external_id=external_id,
                    name=values["name"],
                    unit_path=unit_path,
                    manager_id=values["manager_id"] or None,
                    email=email,
                    title=values["title"],
                    location=values["location"],
                    start_date=start,
                    end_date=end,
                )
            )

    for row, manager_id in manager_links.values():
        if manager_id and manager_id not in manager_links:
            problem(
                row, "manager_id", f"manager id {manager_id!r} is not an id in this file", "manager"
            )
    for cycle in _manager_cycles({e: m for e, (_, m) in manager_links.items()}):
        chain = " → ".join([*cycle, cycle[0]])
        for external_id in cycle:
            problem(
                manager_links[external_id][0],
                "manager_id",
                f"the manager chain loops back to itself: {chain}",
                "cycle",
            )
    for kind, count in counts.items():
        if count > MAX_PROBLEMS_PER_KIND:
            problems.append(
                Problem(
                    table.file,
                    0,
                    "-",
                    f"... and {count - MAX_PROBLEMS_PER_KIND} more problems like these ({kind})",
                )
            )
    if problems:
        raise ImportRefused(problems)
    return people


def _manager_cycles(manager_of: Mapping[str, str | None]) -> list[list[str]]:
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = known to reach a root
    cycles: list[list[str]] = []
    for start in manager_of:
        walk: list[str] = []
        node: str | None = start
        while node is not None and state.get(node) is None:
            state[node] = 1
            walk.append(node)
            node = manager_of.get(node)
        if node is not None and state.get(node) == 1 and node in walk:
            cycles.append(walk[walk.index(node) :])
        for visited in walk:
            state[visited] = 2
    return cycles


def _levels(people: list[PersonRow]) -> dict[str, int]:
    """Distance from the top of the chart; managers have smaller levels than their reports."""
    manager_of = {p.external_id: p.manager_id for p in people}
    level: dict[str, int] = {}
    for start in manager_of:
        chain: list[str] = []
        node: str | None = start
        while node is not None and node not in level:
            chain.append(node)
            node = manager_of.get(node)
        base = -1 if node is None else level[node]
        for offset, member in enumerate(reversed(chain), start=1):
            level[member] = base + offset
    return level


# --- writing -----------------------------------------------------------------------------------


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
        result = _apply(organization, rows, day, report)
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
        result = _apply(organization, [row], day, _no_progress, deactivate_missing=False)
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


def _apply(
    organization: Organization,
    rows: list[PersonRow],
    day: datetime.date,
    report: Progress,
    *,
    deactivate_missing: bool = True,
) -> PeopleImportResult:
    total = len(rows)
    unit_ids, units_created = _ensure_units(organization, rows)
    existing: dict[str, dict[str, Any]] = {
        values["external_id"]: values
        for values in Person.objects.filter(organization=organization).values(
            "pk", "external_id", *_PERSON_FIELDS
        )
    }
    pk_of = {external_id: values["pk"] for external_id, values in existing.items()}
    levels = _levels(rows)
    now = timezone.now()

    def desired(row: PersonRow) -> dict[str, Any]:
        return {
            "name": row.name,
            "email": row.email,
            "title": row.title,
            "unit_id": unit_ids[row.unit_path.casefold()],
            "manager_id": pk_of[row.manager_id] if row.manager_id else None,
            "location": row.location,
            "start_date": row.start_date,
            "end_date": row.end_date,
            "active": row.end_date is None or row.end_date > day,
            "search_text": person_search_text(
                row.name, row.email, row.title, row.location, row.external_id
            ),
        }

    # New people go in level by level, so each one's manager already has a primary key.
    created = 0
    done = 0
    by_level: dict[int, list[PersonRow]] = {}
    for row in rows:
        if row.external_id not in pk_of:
            by_level.setdefault(levels[row.external_id], []).append(row)
    new_people: list[tuple[int, dict[str, Any]]] = []
    for level in sorted(by_level):
        batch = by_level[level]
        wanted = [desired(r) for r in batch]
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
        created += len(batch)
        done += len(batch)
        report("write", done, total)

    updates: list[Person] = []
    changed_position: list[tuple[int, dict[str, Any]]] = []
    reactivated = 0
    for row in rows:
        before = existing.get(row.external_id)
        if before is None:
            continue
        after = desired(row)
        if all(before[f] == after[f] for f in _PERSON_FIELDS):
            continue
        person = Person(pk=before["pk"], organization=organization, external_id=row.external_id)
        for field_name, value in after.items():
            setattr(person, field_name, value)
        person.updated_at = now
        updates.append(person)
        if after["active"] and not before["active"]:
            reactivated += 1
        if any(before[f] != after[f] for f in ("unit_id", "manager_id", "title")) or (
            after["active"] != before["active"]
        ):
            changed_position.append((before["pk"], after))
    Person.objects.bulk_update(updates, [*_PERSON_FIELDS, "updated_at"], batch_size=500)
    done += len(updates)
    report("write", min(done, total), total)

    in_file = {row.external_id for row in rows}
    leavers = [
        values["pk"]
        for external_id, values in existing.items()
        if deactivate_missing and values["active"] and external_id not in in_file
    ]
    for start in range(0, len(leavers), BATCH):
        chunk = leavers[start : start + BATCH]
        Person.objects.filter(pk__in=chunk).update(active=False, updated_at=now)
        Person.objects.filter(pk__in=chunk, end_date__isnull=True).exclude(
            start_date__gt=day
        ).update(end_date=day)
        PersonHistory.objects.filter(person_id__in=chunk, valid_to__isnull=True).update(
            valid_to=day
        )

    _record_history_changes(changed_position, day)
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
    report("write", total, total)
    unchanged = total - created - len(updates)
    return PeopleImportResult(
        total=total,
        created=created,
        updated=len(updates),
        unchanged=unchanged,
        deactivated=len(leavers)
        + sum(
            1
            for row in rows
            if row.external_id in existing
            and existing[row.external_id]["active"]
            and not desired(row)["active"]
        ),
        reactivated=reactivated,
        units_created=units_created,
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
