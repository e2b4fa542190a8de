"""Tables written out as CSV or XLSX, the same way for every page that offers a download."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A spreadsheet runs a cell that starts with one of these as a formula: a name or a comment
# typed as "=HYPERLINK(...)" would become a live link in the reader's spreadsheet. Such text is
# written with a leading apostrophe, which spreadsheets show as plain text (OWASP's advice).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def table_bytes(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], file_format: str, *, sheet: str
) -> bytes:
    """The table as UTF-8 CSV or an XLSX workbook with one sheet; numbers stay numbers."""
    if file_format not in FORMATS:
        raise ValueError(f"unknown export format {file_format!r}: use csv or xlsx")
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if v is None else safe_cell(v) for v in row])
        return buffer.getvalue().encode("utf-8")
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    worksheet.append(list(columns))
    for row in rows:
        worksheet.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
