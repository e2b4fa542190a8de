"""The plan as one spreadsheet: a sheet per part, read back with the same checks as YAML.

Export writes the plan file's data (`plan_document`) as sheets with dropdowns (data validation)
for people, units and statuses, and a README sheet. Import turns the sheets back into the plan
file's nested document, every value tagged with its cell, and runs the YAML reader over it, so
the rules are the same and each problem names `FILE:SHEET:ROW:COLUMN`.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from execution2.core.tabular import ImportRefused, Problem
from execution2.orgs.models import Organization, Person, Unit
from execution2.orgs.services import audit_record
from execution2.plans.choices import (
    AssignmentStatus,
    Direction,
    InitiativeStatus,
    ResourceKind,
    ReturnKind,
)
from execution2.plans.plan_file.export import plan_document
from execution2.plans.plan_file.reader import FORMAT_VERSION
from execution2.plans.plan_file.yaml_lines import LineDict, LineList

LIST_SEPARATOR = ";"
# Sheet -> columns, in order. Columns holding several values separate them with ';'.
SHEETS: dict[str, tuple[str, ...]] = {
    "opportunities": (
        "key", "title", "segment", "description", "size_estimate", "evidence", "archived",
    ),
    "initiatives": (
        "key", "title", "objective", "owner", "sponsor", "units", "start", "end", "status",
        "weight", "opportunities", "parents",
    ),
    "kpis": (
        "initiative", "name", "unit", "baseline", "target", "direction", "update_every_days",
        "archived",
    ),
    "kpi_values": ("initiative", "kpi", "day", "value"),
    "tactics": ("initiative", "key", "title", "description", "weight", "archived"),
    "assignments": (
        "initiative", "tactic", "key", "title", "owner", "delegator", "due", "status", "weight",
        "instructions", "acceptance_criteria",
    ),
    "resources": ("initiative", "kind", "label", "period", "planned", "actual", "rate"),
    "returns": ("initiative", "period", "amount", "kind", "note"),
}  # fmt: skip
LIST_COLUMNS = {("initiatives", "units"), ("initiatives", "opportunities"),
                ("initiatives", "parents"), ("opportunities", "evidence")}  # fmt: skip
PEOPLE_COLUMNS = {("initiatives", "owner"), ("initiatives", "sponsor"),
                  ("assignments", "owner"), ("assignments", "delegator")}  # fmt: skip
TEXT_COLUMNS = {"key", "owner", "sponsor", "delegator", "initiative", "tactic", "period"}
CHOICES = {
    ("initiatives", "status"): InitiativeStatus.values,
    ("assignments", "status"): AssignmentStatus.values,
    ("kpis", "direction"): Direction.values,
    ("resources", "kind"): ResourceKind.values,
    ("returns", "kind"): ReturnKind.values,
}
README = [
    "The strategic plan as a spreadsheet, exported by Execution 2.0.",
    "One sheet per part of the plan; row 1 holds the column names; do not rename sheets or "
    "columns.",
    "People are named by employee id (the 'people' list), units by path (the 'units' list), "
    "opportunities, initiatives and tactics by key.",
    "Several values in one cell (units, opportunities, parents, evidence) are separated by ';'.",
    "Dates are 2026-01-31; months (resources, returns) are 2026-03. Type values, not formulas.",
    "Every row of kpis, kpi_values, tactics, assignments, resources and returns names its "
    "initiative by key; an assignment with no tactic belongs to the initiative directly.",
    "`execution2 plan import --org ORG plan.xlsx` (or the Plan file page) checks the whole file "
    "and writes nothing if anything is wrong; each problem names FILE:SHEET:ROW:COLUMN.",
    "An import updates what exists (by key), creates the rest and keeps what the file doesn't "
    "mention; the resources and returns of each initiative in the file are replaced.",
]


# --- export ---------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return f"{LIST_SEPARATOR} ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else None
    return value


def _rows(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in SHEETS}
    rows["opportunities"] = list(document["opportunities"])
    for initiative in document["initiatives"]:
        key = initiative["key"]
        rows["initiatives"].append(initiative)
        for kpi in initiative.get("kpis", []):
            rows["kpis"].append({"initiative": key, **kpi})
            for day, value in kpi.get("values", {}).items():
                rows["kpi_values"].append(
                    {"initiative": key, "kpi": kpi["name"], "day": day, "value": value}
                )
        for tactic in initiative.get("tactics", []):
            rows["tactics"].append({"initiative": key, **tactic})
            for assignment in tactic.get("assignments", []):
                rows["assignments"].append(
                    {"initiative": key, "tactic": tactic["key"], **assignment}
                )
        for assignment in initiative.get("assignments", []):
            rows["assignments"].append({"initiative": key, **assignment})
        for line in initiative.get("resources", []):
            rows["resources"].append({"initiative": key, **line})
        for entry in initiative.get("returns", []):
            rows["returns"].append({"initiative": key, **entry})
    return rows


def _lists_sheet(workbook: Workbook, organization: Organization) -> dict[str, str]:
    """A hidden sheet of people, units and choices; returns each list's cell range."""
    sheet = workbook.create_sheet("lists")
    sheet.sheet_state = "hidden"
    columns: dict[str, list[str]] = {
        "people": list(
            Person.objects.filter(organization=organization, active=True)
            .order_by("external_id")
            .values_list("external_id", flat=True)
        ),
        "units": list(
            Unit.objects.filter(organization=organization)
            .order_by("path")
            .values_list("path", flat=True)
        ),
    }
    for (sheet_name, column), values in CHOICES.items():
        columns[f"{sheet_name}.{column}"] = list(values)
    ranges = {}
    for index, (name, values) in enumerate(columns.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=name)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=index, value=value)
        ranges[name] = f"lists!${letter}$2:${letter}${max(len(values) + 1, 2)}"
    return ranges


def _validate(sheet: Any, column: int, source: str, rows: int, prompt: str) -> None:
    validation = DataValidation(type="list", formula1=f"={source}", allow_blank=True)
    validation.error = prompt
    validation.errorTitle = "Not in the list"
    letter = get_column_letter(column)
    validation.add(f"{letter}2:{letter}{max(rows + 1, 2) + 500}")
    sheet.add_data_validation(validation)


def plan_xlsx(
    *, organization: Organization, actor: AbstractBaseUser | AnonymousUser | None = None
) -> bytes:
    """The whole plan as an .xlsx workbook (an empty organization gives an empty template)."""
    document = plan_document(organization=organization)
    audit_record(
        organization=organization,
        actor=actor,
        action="plan.export",
        detail={"format": "xlsx", "initiatives": len(document["initiatives"])},
    )
    workbook = Workbook(write_only=False)
    readme = workbook.active
    readme.title = "README"
    for row, text in enumerate(README, start=1):
        readme.cell(row=row, column=1, value=text)
    readme.column_dimensions["A"].width = 120
    rows = _rows(document)
    for name, columns in SHEETS.items():
        sheet = workbook.create_sheet(name)
        sheet.append(list(columns))
        sheet.freeze_panes = "A2"
        for record in rows[name]:
            sheet.append([_cell(record.get(column)) for column in columns])
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column) + 4)
            if column in TEXT_COLUMNS:
                for cells in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cells[0].number_format = "@"
    ranges = _lists_sheet(workbook, organization)
    for name, columns in SHEETS.items():
        sheet = workbook[name]
        for index, column in enumerate(columns, start=1):
            if (name, column) in PEOPLE_COLUMNS:
                _validate(sheet, index, ranges["people"], len(rows[name]), "Use an employee id.")
            elif (name, column) in CHOICES:
                _validate(
                    sheet, index, ranges[f"{name}.{column}"], len(rows[name]), "Choose a value."
                )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- import ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    sheet: str
    row: int
    column: str


class _Cells:
    """Numbers standing for cells: the YAML reader reports 'lines', here each is a cell."""

    def __init__(self) -> None:
        self.cells: dict[int, Cell] = {}

    def tag(self, sheet: str, row: int, column: str) -> int:
        number = len(self.cells) + 1
        self.cells[number] = Cell(sheet, row, column)
        return number


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _split(value: Any) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", str(value)) if part.strip()]


class _Reader:
    def __init__(self, file_name: str):
        self.file_name = file_name
        self.cells = _Cells()
        self.problems: list[Problem] = []

    def problem(self, sheet: str, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(f"{self.file_name}:{sheet}", row, column, message))

    def records(self, workbook: Any, name: str) -> Iterator[tuple[int, LineDict]]:
        """Each filled row of a sheet as a mapping whose 'lines' are its cells."""
        if name not in workbook.sheetnames:
            self.problem(name, 1, "-", f"the sheet {name!r} is missing")
            return
        sheet = workbook[name]
        rows = sheet.iter_rows()
        header_row = next(rows, ())
        header = [
            str(c.value).strip().casefold() if c.value is not None else "" for c in header_row
        ]
        missing = [c for c in SHEETS[name] if c not in header]
        for column in missing:
            self.problem(name, 1, column, f"the column {column!r} is missing")
        if missing:
            return
        for cells in rows:
            if all(c.value is None or str(c.value).strip() == "" for c in cells):
                continue
            row = cells[0].row
            record = LineDict()
            record.line = self.cells.tag(name, row, "-")
            record.lines = {}
            record.duplicates = []
            for column, cell in zip(header, cells, strict=False):
                if column not in SHEETS[name]:
                    continue
                if cell.data_type == "f":
                    self.problem(name, row, column, "a formula; type the value itself")
                    continue
                value = _plain(cell.value)
                if value is None:
                    continue
                line = self.cells.tag(name, row, column)
                if (name, column) in LIST_COLUMNS:
                    items = LineList(_split(value))
                    items.line = line
                    items.lines = [line] * len(items)
                    value = items
                elif column == "archived":
                    value = str(value).strip().casefold() in ("true", "yes", "1", "x")
                record[column] = value
                record.lines[column] = line
            yield row, record

    def nest(self, parent: LineDict, name: str, record: LineDict) -> None:
        items = parent.get(name)
        if items is None:
            items = LineList()
            items.line = record.line
            items.lines = []
            parent[name] = items
            parent.lines[name] = record.line
        items.append(record)
        items.lines.append(record.line)


def _document(workbook: Any, reader: _Reader) -> LineDict:
    document = LineDict(version=FORMAT_VERSION)
    document.line = 1
    document.lines = {}
    document.duplicates = []
    for _row, record in reader.records(workbook, "opportunities"):
        reader.nest(document, "opportunities", record)
    initiatives: dict[str, LineDict] = {}
    for _row, record in reader.records(workbook, "initiatives"):
        reader.nest(document, "initiatives", record)
        if record.get("key") is not None:
            initiatives[str(record["key"])] = record
    document.setdefault("opportunities", _empty_list())
    document.setdefault("initiatives", _empty_list())

    def owner_of(sheet: str, row: int, record: LineDict) -> LineDict | None:
        key = record.pop("initiative", None)
        record.lines.pop("initiative", None)
        found = initiatives.get(str(key)) if key is not None else None
        if found is None:
            reader.problem(
                sheet, row, "initiative", f"no initiative with the key {key!r} in 'initiatives'"
            )
        return found

    kpis: dict[tuple[str, str], LineDict] = {}
    for row, record in reader.records(workbook, "kpis"):
        initiative_key = record.get("initiative")
        if (initiative := owner_of("kpis", row, record)) is not None:
            reader.nest(initiative, "kpis", record)
            kpis[(str(initiative_key), str(record.get("name")))] = record
    for row, record in reader.records(workbook, "kpi_values"):
        target = kpis.get((str(record.get("initiative")), str(record.get("kpi"))))
        if target is None:
            reader.problem("kpi_values", row, "kpi", "no such KPI of that initiative in 'kpis'")
            continue
        values = target.get("values")
        if values is None:
            values = LineDict()
            values.line = record.line
            values.lines = {}
            values.duplicates = []
            target["values"] = values
            target.lines["values"] = record.line
        day = record.get("day")
        values[day] = record.get("value")
        values.lines[day] = record.lines.get("value", record.line)
    tactics: dict[tuple[str, str], LineDict] = {}
    for row, record in reader.records(workbook, "tactics"):
        initiative_key = record.get("initiative")
        if (initiative := owner_of("tactics", row, record)) is not None:
            reader.nest(initiative, "tactics", record)
            tactics[(str(initiative_key), str(record.get("key")))] = record
    for row, record in reader.records(workbook, "assignments"):
        initiative_key = str(record.get("initiative"))
        tactic_key = record.pop("tactic", None)
        tactic_line = record.lines.pop("tactic", record.line)
        if (initiative := owner_of("assignments", row, record)) is None:
            continue
        if tactic_key is None:
            reader.nest(initiative, "assignments", record)
        elif (tactic := tactics.get((initiative_key, str(tactic_key)))) is not None:
            reader.nest(tactic, "assignments", record)
        else:
            cell = reader.cells.cells[tactic_line]
            reader.problem("assignments", cell.row, "tactic", f"no tactic {tactic_key!r} there")
    for sheet in ("resources", "returns"):
        for row, record in reader.records(workbook, sheet):
            if (initiative := owner_of(sheet, row, record)) is not None:
                reader.nest(initiative, sheet, record)
    return document


def _empty_list() -> LineList:
    items = LineList()
    items.line = 1
    items.lines = []
    return items


def xlsx_document(source: bytes | IO[bytes], file_name: str) -> tuple[LineDict, _Reader]:
    """The workbook as the plan file's document, or ImportRefused (missing sheets, formulas)."""
    data = source if isinstance(source, bytes) else source.read()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=False, data_only=False)
    except Exception:  # openpyxl raises many kinds for a file that isn't a workbook
        raise ImportRefused(
            [Problem(file_name, 1, "-", "this is not an Excel workbook (.xlsx)")]
        ) from None
    reader = _Reader(file_name)
    document = _document(workbook, reader)
    if reader.problems:
        raise ImportRefused(reader.problems)
    return document, reader


def cell_problems(reader: _Reader, problems: list[Problem]) -> list[Problem]:
    """The YAML reader's problems ('line' = a tagged cell) as FILE:SHEET:ROW:COLUMN."""
    found = []
    for problem in problems:
        cell = reader.cells.cells.get(problem.row)
        if cell is None:
            found.append(Problem(reader.file_name, 1, "-", problem.message))
            continue
        column = cell.column
        if column == "-":
            # A missing value: the reader names the field; its last name is the column.
            last = re.sub(r"\[.*?\]", "", problem.column.rsplit(".", 1)[-1])
            column = last if last in SHEETS.get(cell.sheet, ()) else "-"
        found.append(Problem(f"{reader.file_name}:{cell.sheet}", cell.row, column, problem.message))
    return found
