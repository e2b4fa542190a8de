"""An Exchange Online message trace as CSV.

Two layouts are read:
- `Get-MessageTrace | Export-Csv` (Exchange Online PowerShell): `Received`, `SenderAddress`,
  `RecipientAddress`, `Subject`, `Status`, `ToIP`, `FromIP`, `Size`, `MessageId`,
  `MessageTraceId`; one row per recipient, Windows PowerShell 5 writes a `#TYPE ...` line above
  the header, and `Received` is ISO 8601 or, with some cultures, `1/15/2026 9:30:12 AM` (UTC
  either way);
- the historical search report downloaded from the Exchange admin center:
  `origin_timestamp_utc`, `sender_address`, `recipient_status` (`addr##Receive, Deliver;...`,
  every recipient of the message in one cell), `message_subject`, `network_message_id`, ...

One message to several recipients is one event (grouped by message id and sender), channel
`email`. Rows whose status is `Expanded` (the distribution group itself; its members have rows
of their own), `Failed`, `FilteredAsSpam` or `Quarantined` are skipped and counted. The subject
is never read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from execution2.analytics.network.formats.common import FormatReport, Problems, batches_of
from execution2.analytics.problems import ImportRefused, normalize_header

SKIPPED_STATUSES = ("expanded", "failed", "filteredasspam", "quarantined")
BATCH_ROWS = 1 << 18
_US_TIME = "%m/%d/%Y %I:%M:%S %p"
_US_TIME_24 = "%m/%d/%Y %H:%M:%S"


@dataclass(frozen=True)
class _Layout:
    name: str
    received: str
    sender: str
    recipients: str
    message_id: str
    status: str | None
    """A per-row delivery status column (PowerShell layout)."""
    combined: bool
    """Recipients in one cell as `addr##status;addr##status`."""


_LAYOUTS = (
    _Layout(
        "Get-MessageTrace",
        "received",
        "senderaddress",
        "recipientaddress",
        "messageid",
        "status",
        False,
    ),
    _Layout(
        "historical search report",
        "origintimestamputc",
        "senderaddress",
        "recipientstatus",
        "networkmessageid",
        None,
        True,
    ),
)


def _header(path: Path) -> tuple[int, list[str]] | None:
    """(lines above the header, header cells) of a trace file, or None when it isn't one."""
    with path.open("rb") as handle:
        head = handle.read(8192)
    text = head.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()
    skip = 0
    while skip < len(lines) and lines[skip].startswith("#TYPE"):
        skip += 1
    if skip >= len(lines):
        return None
    cells = next(csv.reader(io.StringIO(lines[skip])))
    return skip, cells


def _layout(cells: list[str]) -> _Layout | None:
    names = {normalize_header(c) for c in cells}
    for layout in _LAYOUTS:
        if {layout.received, layout.sender, layout.recipients} <= names:
            return layout
    return None


def looks_like_trace(path: Path) -> bool:
    if path.suffix.lower() not in {".csv", ".txt"}:
        return False
    found = _header(path)
    return found is not None and _layout(found[1]) is not None


def trace_batches(
    path: Path, file: str, problems: Problems, report: FormatReport, temp_dir: Path
) -> Iterator[pa.RecordBatch]:
    found = _header(path)
    layout = _layout(found[1]) if found else None
    if found is None or layout is None:
        problems.add(
            1,
            "-",
            "not a message trace: the header needs Received, SenderAddress and RecipientAddress "
            "(or origin_timestamp_utc, sender_address and recipient_status)",
            "header",
        )
        raise ImportRefused(problems.finish())
    skip, cells = found
    by_name = {normalize_header(c): c for c in cells}
    used = [layout.received, layout.sender, layout.recipients, layout.message_id, layout.status]
    report.read_fields = tuple(by_name[u] for u in used if u and u in by_name)
    report.ignored_fields = tuple(c for c in cells if normalize_header(c) not in used)
    connection = duckdb.connect(config={"temp_directory": str(temp_dir)})
    try:
        yield from _query(connection, path, skip, layout, by_name, problems, report)
    finally:
        connection.close()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _query(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    skip: int,
    layout: _Layout,
    by_name: dict[str, str],
    problems: Problems,
    report: FormatReport,
) -> Iterator[pa.RecordBatch]:
    connection.execute("SET TimeZone='UTC'")
    received, sender = _q(by_name[layout.received]), _q(by_name[layout.sender])
    recipients = _q(by_name[layout.recipients])
    message_id = (
        f"NULLIF(TRIM({_q(by_name[layout.message_id])}), '')"
        if layout.message_id in by_name
        else "NULL"
    )
    status = (
        f"lower(TRIM({_q(by_name[layout.status])}))"
        if layout.status and layout.status in by_name
        else "NULL"
    )
    try:
        connection.execute(
            f"""
            CREATE TEMP TABLE trace AS
            SELECT row_number() OVER () + {skip + 1} AS line,
                   TRIM({received}) AS received_text,
                   COALESCE(TRY_CAST(TRIM({received}) AS TIMESTAMPTZ),
                            try_strptime(TRIM({received}), '{_US_TIME}')::TIMESTAMPTZ,
                            try_strptime(TRIM({received}), '{_US_TIME_24}')::TIMESTAMPTZ)
                     AS received,
                   lower(TRIM({sender})) AS sender,
                   {recipients} AS recipients,
                   {message_id} AS message_id,
                   {status} AS status
            FROM read_csv(?, header = true, skip = {skip}, all_varchar = true,
                          delim = ',', quote = '"', escape = '"', strict_mode = true)
            """,
            [str(path)],
        )
    except duckdb.Error as error:
        problems.add(0, "-", f"unreadable CSV: {str(error).splitlines()[0]}", "read")
        raise ImportRefused(problems.finish()) from None
    rows = connection.execute("SELECT count(*) FROM trace").fetchone()
    report.items_read = int(rows[0]) if rows else 0
    if report.items_read == 0:
        problems.add(2, "-", "the trace has no rows", "empty")
        raise ImportRefused(problems.finish())
    for line, text in connection.execute(
        "SELECT line, received_text FROM trace WHERE received IS NULL ORDER BY line LIMIT 200"
    ).fetchall():
        problems.add(
            int(line),
            by_name[layout.received],
            f"{text!r} is not a date and time like 2026-01-15T09:30:12",
            "timestamp",
        )
    for (line,) in connection.execute(
        "SELECT line FROM trace WHERE sender IS NULL OR sender = '' ORDER BY line LIMIT 200"
    ).fetchall():
        problems.add(int(line), by_name[layout.sender], "the sender is blank", "blank")
    if problems:
        raise ImportRefused(problems.finish())
    if layout.combined:
        # `a@x.com##Receive, Deliver;b@x.com##Receive, Fail`: one row per recipient first.
        connection.execute(
            """
            CREATE TEMP TABLE recipient_rows AS
            SELECT line, received, sender, message_id,
                   lower(TRIM(split_part(part, '##', 1))) AS recipient,
                   CASE WHEN lower(split_part(part, '##', 2)) LIKE '%fail%' THEN 'failed'
                        ELSE NULL END AS status
            FROM (SELECT *, unnest(string_split(recipients, ';')) AS part FROM trace)
            """
        )
    else:
        connection.execute(
            """
            CREATE TEMP TABLE recipient_rows AS
            SELECT line, received, sender, message_id, lower(TRIM(recipients)) AS recipient,
                   status
            FROM trace
            """
        )
    for status, count in connection.execute(
        f"""
        SELECT status, count(*) FROM recipient_rows
        WHERE replace(status, ' ', '') IN {SKIPPED_STATUSES} GROUP BY ALL ORDER BY 1
        """
    ).fetchall():
        report.count(f"skipped: recipients with status {status}", int(count))
    yield from batches_of(
        connection.execute(
            f"""
        SELECT min(received) AS timestamp, sender,
               list(DISTINCT recipient) AS recipients, 'email' AS channel
        FROM recipient_rows
        WHERE recipient <> '' AND (status IS NULL
               OR replace(status, ' ', '') NOT IN {SKIPPED_STATUSES})
        GROUP BY sender, COALESCE(message_id, CAST(line AS VARCHAR))
        """
        ).to_arrow_reader(BATCH_ROWS)
    )
