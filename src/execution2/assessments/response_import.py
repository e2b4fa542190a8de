"""Answers collected elsewhere: a wide CSV or XLSX, one row per response.

Columns: `subject_id` (the rated manager's person id; blank in a pulse), `rater_group`, one
column per item key (1-5; blank or NA for "don't know / not observed"), the open questions'
keys (text, optional), and in a pulse `unit` (the unit path the answer counts toward).
The whole file is checked first; any problem refuses it with `FILE:ROW:COLUMN: message`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from execution2.analytics.problems import ImportRefused, Problems
from execution2.assessments.choices import CycleKind, ResponseSource
from execution2.assessments.models import Comment, Cycle, Response, Subject
from execution2.core.bulk import insert_rows
from execution2.core.tabular import read_table
from execution2.orgs.models import Person, Unit
from execution2.orgs.selectors import positions_as_of
from execution2.orgs.services import audit_record

NOT_OBSERVED = {"", "na", "n/a", "dk", "0", "-", "not observed", "don't know"}
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class ImportResult:
    responses: int
    comments: int
    subjects_added: int

    def summary(self) -> str:
        managers = "manager" if self.subjects_added == 1 else "managers"
        return (
            f"{self.responses} responses imported ({self.comments} comments); "
            f"{self.subjects_added} {managers} added to the cycle."
        )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def responses_import(
    *,
    cycle: Cycle,
    source: str | Path | IO[bytes],
    file_name: str | None = None,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    spec = cycle.instrument.parsed()
    item_keys = list(spec.item_keys)
    questions = [q.key for q in spec.open_questions]
    pulse = cycle.kind == CycleKind.PULSE
    required = ["rater_group", *item_keys] + ([] if pulse else ["subject_id"])
    known = ["subject_id", "rater_group", "unit", *item_keys, *questions]
    table = read_table(source, known_columns=known, required_columns=required, file_name=file_name)
    if table.problems:
        raise ImportRefused(table.problems)
    name = table.file
    organization = cycle.organization
    people = dict(Person.objects.filter(organization=organization).values_list("external_id", "pk"))
    units = {
        path.casefold(): pk
        for pk, path in Unit.objects.filter(organization=organization).values_list("pk", "path")
    }
    allowed_groups = cycle.rater_groups
    problems = Problems(name)

    def problem(row: int, column: str, message: str) -> None:
        problems.add(row, table.header_of(column), message, "answer")

    rows: list[tuple[str | None, str, int | None, dict[str, int], dict[str, str]]] = []
    total = len(table.rows)
    for done, (number, cells) in enumerate(table.rows, start=1):
        subject_id = _text(table.value(cells, "subject_id"))
        group = _text(table.value(cells, "rater_group")).lower()
        if group not in allowed_groups:
            problem(
                number,
                "rater_group",
                f"rater group {group!r} is not one of {', '.join(allowed_groups)} "
                f"in a {cycle.kind} cycle",
            )
        unit_pk = None
        if pulse:
            if subject_id:
                problem(
                    number,
                    "subject_id",
                    "a pulse survey rates management in general: leave subject_id blank",
                )
            unit_path = " / ".join(
                part.strip()
                for part in _text(table.value(cells, "unit")).split("/")
                if part.strip()
            )
            if not unit_path:
                problem(number, "unit", "a pulse answer needs the unit it counts toward")
            elif unit_path.casefold() not in units:
                problem(number, "unit", f"no unit {unit_path!r} in this organization")
            else:
                unit_pk = units[unit_path.casefold()]
        elif not subject_id:
            problem(number, "subject_id", "the id of the rated manager is missing")
        elif subject_id not in people:
            problem(
                number,
                "subject_id",
                f"{subject_id!r} is not the id of a person in this organization",
            )
        answers: dict[str, int] = {}
        for key in item_keys:
            raw = _text(table.value(cells, key))
            if raw.casefold() in NOT_OBSERVED:
                continue
            if raw in {"1", "2", "3", "4", "5"}:
                answers[key] = int(raw)
            else:
                problem(
                    number, key, f"answer {raw!r} should be 1 to 5, or blank or NA for not observed"
                )
        comments = {q: text[:2000] for q in questions if (text := _text(table.value(cells, q)))}
        rows.append((subject_id or None, group, unit_pk, answers, comments))
        if progress is not None and (done % 1000 == 0 or done == total):
            progress("read", done, total)
    if not rows and not problems:
        problem(1, "-", "the file has a header but no answers")
    problems.refuse_if_any()
    return _write(cycle, rows, people, name, actor, progress)


@transaction.atomic
def _write(
    cycle: Cycle,
    rows: list[tuple[str | None, str, int | None, dict[str, int], dict[str, str]]],
    people: dict[str, int],
    name: str,
    actor: AbstractBaseUser | AnonymousUser | None,
    progress: Progress | None,
) -> ImportResult:
    subjects = dict(Subject.objects.filter(cycle=cycle).values_list("person_id", "pk"))
    subject_units = dict(Subject.objects.filter(cycle=cycle).values_list("pk", "unit_id"))
    wanted = {people[s] for s, *_ in rows if s is not None} - set(subjects)
    added = 0
    if wanted:
        positions = positions_as_of(organization=cycle.organization, day=cycle.opens_on)
        current = dict(Person.objects.filter(pk__in=wanted).values_list("pk", "unit_id"))
        created = Subject.objects.bulk_create(
            [
                Subject(
                    cycle=cycle,
                    person_id=pid,
                    unit_id=positions[pid].unit_id if pid in positions else current[pid],
                )
                for pid in sorted(wanted)
            ]
        )
        added = len(created)
        for subject in Subject.objects.filter(cycle=cycle, person_id__in=wanted):
            subjects[subject.person_id] = subject.pk
            subject_units[subject.pk] = subject.unit_id
    day = min(timezone.localdate(), cycle.closes_on)
    response_rows = []
    comment_rows = []
    for subject_external, group, unit_pk, answers, comments in rows:
        subject_pk = subjects[people[subject_external]] if subject_external else None
        unit = unit_pk if unit_pk is not None else subject_units[subject_pk or 0]
        response_rows.append(
            (cycle.pk, subject_pk, group, unit, answers, day, ResponseSource.IMPORT)
        )
        comment_rows.extend(
            (cycle.pk, subject_pk, group, unit, question, text)
            for question, text in comments.items()
        )
    if progress is not None:
        progress("write", 0, len(response_rows))
    insert_rows(
        Response,
        ("cycle_id", "subject_id", "rater_group", "unit_id", "answers", "submitted_on", "source"),
        response_rows,
    )
    insert_rows(
        Comment,
        ("cycle_id", "subject_id", "rater_group", "unit_id", "question", "text"),
        comment_rows,
    )
    if progress is not None:
        progress("write", len(response_rows), len(response_rows))
    audit_record(
        organization=cycle.organization,
        actor=actor,
        action="assessment.import",
        detail={"cycle": cycle.pk, "file": name, "responses": len(response_rows)},
    )
    return ImportResult(len(response_rows), len(comment_rows), added)
