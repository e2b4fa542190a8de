"""Reading the tabular files people upload (CSV and XLSX) into rows we can validate.

Every import in the product reads through here, so every import reports problems the same
way: `FILE:ROW:COLUMN: message`, with ROW as a spreadsheet shows it (the header is row 1).
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from execution2.analytics.problems import ImportRefused, Problem, normalize_header

XLSX_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
DELIMITERS = (",", ";", "\t")

__all__ = [
    "ImportRefused",
    "Problem",
    "Table",
    "normalize_header",
    "parse_column_map",
    "read_table",
]


@dataclass
class Table:
    """A file's rows, each a mapping from canonical column name to its text (or date cell)."""

    file: str
    headers: list[str]  # as written in the file
    columns: dict[str, int]  # canonical name -> position
    rows: list[tuple[int, tuple[Any, ...]]]  # (spreadsheet row number, cells)
    problems: list[Problem] = field(default_factory=list)

    def header_of(self, canonical: str) -> str:
        index = self.columns.get(canonical)
        return self.headers[index] if index is not None else canonical

    def value(self, cells: tuple[Any, ...], canonical: str) -> Any:
        index = self.columns.get(canonical)
        if index is None or index >= len(cells):
            return None
        return cells[index]


def parse_column_map(spec: str | None) -> dict[str, str]:
    """`id=EmployeeNumber,name=Full Name` -> {"id": "EmployeeNumber", "name": "Full Name"}."""
    if not spec:
        return {}
    mapping: dict[str, str] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise ValueError(f"column mapping {part.strip()!r} should look like id=EmployeeNumber")
        ours, theirs = part.split("=", 1)
        if not ours.strip() or not theirs.strip():
            raise ValueError(f"column mapping {part.strip()!r} should look like id=EmployeeNumber")
        mapping[normalize_header(ours)] = theirs.strip()
    return mapping


def read_table(
    source: str | Path | IO[bytes],
    *,
    known_columns: Iterable[str],
    required_columns: Iterable[str] = (),
    column_map: Mapping[str, str] | None = None,
    file_name: str | None = None,
    encoding: str = "utf-8-sig",
) -> Table:
    """Read a CSV or XLSX file; unknown columns are ignored, missing required ones reported.

    `column_map` maps our canonical names to the file's own headers. The file kind comes from
    its name, or from its first bytes when the name says nothing.
    """
    name = file_name or (str(source) if isinstance(source, str | Path) else "upload")
    raw = _read_bytes(source)
    if _looks_like_xlsx(name, raw):
        headers, rows, problems = _read_xlsx(name, raw)
    else:
        headers, rows, problems = _read_csv(name, raw, encoding)
    table = Table(file=name, headers=headers, columns={}, rows=rows, problems=problems)
    if problems:
        return table
    _resolve_columns(table, list(known_columns), list(required_columns), dict(column_map or {}))
    return table


def _read_bytes(source: str | Path | IO[bytes]) -> bytes:
    if isinstance(source, str | Path):
        return Path(source).read_bytes()
    data = source.read()
    return data if isinstance(data, bytes) else str(data).encode()


def _looks_like_xlsx(name: str, raw: bytes) -> bool:
    suffix = Path(name).suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return True
    if suffix in CSV_SUFFIXES:
        return False
    return raw[:4] == b"PK\x03\x04"


def _detect_delimiter(first_line: str) -> str:
    # The header line decides: count each candidate outside quotes.
    counts = {d: 0 for d in DELIMITERS}
    in_quotes = False
    for char in first_line:
        if char == '"':
            in_quotes = not in_quotes
        elif not in_quotes and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(
    name: str, raw: bytes, encoding: str
) -> tuple[list[str], list[tuple[int, tuple[Any, ...]]], list[Problem]]:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return (
            [],
            [],
            [
                Problem(
                    name,
                    line,
                    "-",
                    f"this is not {encoding.removesuffix('-sig').upper()} text (byte "
                    f"{raw[error.start]:#04x}); save it as UTF-8 or give the file's encoding, "
                    "e.g. --encoding cp1252",
                )
            ],
        )
    except LookupError:
        return [], [], [Problem(name, 1, "-", f"unknown encoding {encoding!r}")]
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return [], [], [Problem(name, 1, "-", "the file is empty")]
    first_line = text.split("\n", 1)[0]
    delimiter = _detect_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, tuple[Any, ...]]] = []
    headers: list[str] = []
    try:
        for record in reader:
            line = reader.line_num
            if not headers:
                headers = [h.strip() for h in record]
                continue
            if not any(cell.strip() for cell in record):
                continue
            # Spreadsheet row numbers count records, which equals lines unless a quoted cell
            # holds a newline; then the line where the record ends is the useful pointer.
            rows.append((line, tuple(record)))
    except csv.Error as error:
        reason = str(error)
        if "unexpected end of data" in reason:
            reason = 'a quoted cell starts on this row and is never closed (a " is missing)'
        elif "expected after" in reason:
            reason = (
                "text follows a closing quote; quote the whole cell and double the quotes "
                'inside it ("like ""this""")'
            )
        return headers, rows, [Problem(name, reader.line_num, "-", f"unreadable CSV: {reason}")]
    return headers, rows, []


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float) and value.is_integer():
        # Spreadsheets store employee numbers as floats; 1001.0 is the id "1001".
        return str(int(value))
    return str(value)


def _read_xlsx(
    name: str, raw: bytes
) -> tuple[list[str], list[tuple[int, tuple[Any, ...]]], list[Problem]]:
    # openpyxl is imported here so that reading CSV never pays for it.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        return [], [], [Problem(name, 1, "-", f"not a readable XLSX workbook ({error})")]
    try:
        sheet = workbook.worksheets[0]
        iterator: Iterator[tuple[Any, ...]] = sheet.iter_rows(values_only=True)
        headers: list[str] = []
        rows: list[tuple[int, tuple[Any, ...]]] = []
        for number, record in enumerate(iterator, start=1):
            cells = tuple(_cell(v) for v in record)
            if not headers:
                if not any(str(c).strip() for c in cells):
                    continue
                headers = [str(c).strip() for c in cells]
                continue
            if not any(str(c).strip() for c in cells):
                continue
            rows.append((number, cells))
    finally:
        workbook.close()
    if not headers:
        return [], [], [Problem(name, 1, "-", "the workbook's first sheet is empty")]
    return headers, rows, []


def _resolve_columns(
    table: Table, known: list[str], required: list[str], column_map: dict[str, str]
) -> None:
    by_normalized: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        key = normalize_header(header)
        if not key:
            continue
        if key in by_normalized:
            first = table.headers[by_normalized[key]]
            table.problems.append(
                Problem(table.file, 1, header, f"this column repeats column {first!r}")
            )
            continue
        by_normalized[key] = index
    for canonical in known:
        wanted = normalize_header(column_map.get(canonical, canonical))
        if wanted in by_normalized:
            table.columns[canonical] = by_normalized[wanted]
    for canonical, theirs in column_map.items():
        if canonical not in known:
            table.problems.append(
                Problem(
                    table.file,
                    1,
                    theirs,
                    f"--columns names {canonical!r}, which is not one of: {', '.join(known)}",
                )
            )
    for canonical in required:
        if canonical not in table.columns:
            mapped = column_map.get(canonical)
            hint = f" (mapped to {mapped!r})" if mapped else ""
            table.problems.append(
                Problem(
                    table.file,
                    1,
                    mapped or canonical,
                    f"required column {canonical!r}{hint} is missing; the file has: "
                    + ", ".join(repr(h) for h in table.headers if h),
                )
            )
