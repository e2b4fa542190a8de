"""Reading and validating a people file whole, before anything is written.

The steps: read the table (`core.tabular`), decide how its slashed dates read, check each row
(`_RowChecker`), then check the manager links across rows (unknown managers, loops). Every
problem is collected (`analytics.problems.Problems`, capped per kind) and the file refused
with all of them.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from execution2.analytics.problems import ImportRefused, Problem, Problems
from execution2.core.tabular import Table, read_table

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
    table = _people_table(source, file_name, column_map, encoding)
    problems = Problems(table.file)
    dates = _DateReader(table, date_format)
    if dates.slash_problem:
        problems.extend([dates.slash_problem])
    checker = _RowChecker(table, dates, problems)
    people = [
        person for row, cells in table.rows if (person := checker.person(row, cells)) is not None
    ]
    _check_managers(checker, problems)
    problems.refuse_if_any()
    return people


def _people_table(
    source: str | Path | IO[bytes],
    file_name: str | None,
    column_map: Mapping[str, str] | None,
    encoding: str,
) -> Table:
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
    return table


class _RowChecker:
    """Checks one row at a time, remembering what later rows must not repeat (ids, e-mails)."""

    def __init__(self, table: Table, dates: _DateReader, problems: Problems) -> None:
        self.table = table
        self.dates = dates
        self.problems = problems
        self.manager_links: dict[str, tuple[int, str | None]] = {}  # id -> (row, manager id)
        self.first_row_of_id: dict[str, int] = {}
        self.first_row_of_email: dict[str, int] = {}

    def problem(self, row: int, column: str, message: str, kind: str) -> None:
        self.problems.add(row, self.table.header_of(column), message, kind)

    def person(self, row: int, cells: tuple[Any, ...]) -> PersonRow | None:
        """The row as a person, or None when it has a problem (then it is recorded)."""
        values = {c: _text(self.table.value(cells, c)) for c in PEOPLE_COLUMNS if c != "start_date"}
        # Every check runs, so one pass reports all of a row's problems.
        checks = [
            self._required(row, values),
            self._id(row, values),
            self._lengths(row, values),
        ]
        unit_path = self._unit(row, values["unit"])
        email = self._email(row, values["email"])
        start_end = self._dates(row, cells)
        if not all(checks) or unit_path is None or email is None or start_end is None:
            return None
        start, end = start_end
        return PersonRow(
            row=row,
            external_id=values["id"],
            name=values["name"],
            unit_path=unit_path,
            manager_id=values["manager_id"] or None,
            email=email,
            title=values["title"],
            location=values["location"],
            start_date=start,
            end_date=end,
        )

    def _required(self, row: int, values: dict[str, str]) -> bool:
        ok = True
        for column in ("id", "name", "unit"):
            if not values[column]:
                self.problem(row, column, f"{column} is blank", "blank")
                ok = False
        return ok

    def _id(self, row: int, values: dict[str, str]) -> bool:
        external_id = values["id"]
        if not external_id:
            return True  # reported as blank
        if len(external_id) > 100:
            self.problem(row, "id", "the id is longer than 100 characters", "long")
            return False
        if external_id in self.first_row_of_id:
            self.problem(
                row,
                "id",
                f"id {external_id!r} appears again (first on row "
                f"{self.first_row_of_id[external_id]})",
                "duplicate",
            )
            return False
        self.first_row_of_id[external_id] = row
        self.manager_links[external_id] = (row, values["manager_id"] or None)
        return True

    def _lengths(self, row: int, values: dict[str, str]) -> bool:
        ok = True
        for column, limit in (("name", 200), ("title", 200), ("location", 200)):
            if len(values[column]) > limit:
                self.problem(row, column, f"{column} is longer than {limit} characters", "long")
                ok = False
        return ok

    def _unit(self, row: int, raw: str) -> str | None:
        """The normalised unit path ("" when blank, reported elsewhere), None when wrong."""
        if not raw:
            return ""
        normalized = unit_path_normalize(raw)
        if normalized is None:
            self.problem(row, "unit", f"unit path {raw!r} has an empty part", "unit")
            return None
        if len(normalized) > 1000 or any(len(s) > 200 for s in normalized.split(" / ")):
            self.problem(row, "unit", "unit path is too long", "unit")
            return None
        return normalized

    def _email(self, row: int, raw: str) -> str | None:
        """The lowercase address ("" when blank), None when it is not one or repeats."""
        email = raw.lower()
        if not email:
            return ""
        try:
            validate_email(email)
        except ValidationError:
            self.problem(row, "email", f"{raw!r} is not an e-mail address", "email")
            return None
        if email in self.first_row_of_email:
            self.problem(
                row,
                "email",
                f"e-mail {email!r} is also on row {self.first_row_of_email[email]}",
                "email",
            )
            return None
        self.first_row_of_email[email] = row
        return email

    def _dates(
        self, row: int, cells: tuple[Any, ...]
    ) -> tuple[datetime.date | None, datetime.date | None] | None:
        parsed: dict[str, datetime.date | None] = {"start_date": None, "end_date": None}
        ok = True
        for column in ("start_date", "end_date"):
            raw = self.table.value(cells, column)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            try:
                parsed[column] = self.dates.parse(raw)
            except ValueError as error:
                self.problem(row, column, str(error), "date")
                ok = False
        start, end = parsed["start_date"], parsed["end_date"]
        if start and end and end < start:
            self.problem(row, "end_date", f"end date {end} is before start date {start}", "date")
            return None
        return (start, end) if ok else None


def _check_managers(checker: _RowChecker, problems: Problems) -> None:
    """Every manager id names someone in the file, and no chain of managers loops."""
    links = checker.manager_links
    for row, manager_id in links.values():
        if manager_id and manager_id not in links:
            checker.problem(
                row, "manager_id", f"manager id {manager_id!r} is not an id in this file", "manager"
            )
    for cycle in _manager_cycles({e: m for e, (_, m) in links.items()}):
        chain = " → ".join([*cycle, cycle[0]])
        for external_id in cycle:
            checker.problem(
                links[external_id][0],
                "manager_id",
                f"the manager chain loops back to itself: {chain}",
                "cycle",
            )


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


def chart_levels(people: list[PersonRow]) -> dict[str, int]:
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
