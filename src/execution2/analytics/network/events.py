"""Reading collaboration event files (CSV, JSON lines, Parquet) in columnar batches.

Each event has a `timestamp`, a `sender`, one or more `recipients` (`;`-separated in CSV, a list
in JSON and Parquet), a `channel` and optionally a `weight` or `duration_minutes`. People are
matched by external id or e-mail (or by the keyed hash of either, for pseudonymised files).
Batches are validated and matched with pyarrow compute functions: on the way to the staging
Parquet file no row ever becomes a Python object. Only when a file is refused are the bad rows
looked at one by one, to name them.

The staging file has one row per (event, recipient): `ts` (seconds since 1970, UTC), `sender`,
`recipient` (database ids), `channel` (index into CHANNELS), `weight`, `duration_minutes`.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from execution2.analytics.network.formats import (
    FORMATS,
    NATIVE_FORMATS,
    FormatReport,
    detect_format,
    native_batches,
)
from execution2.analytics.problems import (
    ImportRefused,
    Problem,
    Problems,
    normalize_header,
)

IntArray = npt.NDArray[np.int64]

CHANNELS = ("email", "chat", "meeting", "call", "other")
REQUIRED_COLUMNS = ("timestamp", "sender", "recipients", "channel")
OPTIONAL_COLUMNS = ("weight", "duration_minutes")
UNKNOWN_SAMPLE = 5
BATCH_ROWS = 1 << 20
MAX_ROW_GROUP = 4 << 20

STAGING_SCHEMA = pa.schema(
    [
        ("ts", pa.int64()),
        ("sender", pa.int64()),
        ("recipient", pa.int64()),
        ("channel", pa.int8()),
        ("weight", pa.float32()),
        ("duration_minutes", pa.float32()),
    ]
)

_NUMBER = r"^\s*[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?\s*$"
_DATE_ONLY = r"^\d{4}-\d{2}-\d{2}$"
_HAS_OFFSET = r"([Zz]|[+-]\d{2}(:?\d{2})?)$"


def pseudonym(key: bytes, value: str) -> str:
    """The keyed hash the product expects for pseudonymised ids: HMAC-SHA256, lowercase hex.

    Hash the external id as it is, the e-mail address in lowercase.
    """
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class PeopleKeys:
    """The people an event file may name, and when each was employed."""

    person_ids: IntArray
    external_ids: Sequence[str]
    emails: Sequence[str]
    """Lowercase; empty when unknown."""
    start_s: IntArray
    """First second of employment (seconds since 1970), or the minimum int64."""
    end_s: IntArray
    """Last second of employment, or the maximum int64."""

    def lookup(self, key: bytes | None) -> tuple[pa.Array, pa.Array, pa.Array, pa.Array]:
        """(id keys, their person index, e-mail keys, their person index)."""
        ids = list(self.external_ids)
        positions = np.arange(len(ids), dtype=np.int64)
        with_email = [i for i, email in enumerate(self.emails) if email]
        emails = [self.emails[i] for i in with_email]
        if key is not None:
            ids = [pseudonym(key, value) for value in ids]
            emails = [pseudonym(key, value) for value in emails]
        return (
            pa.array(ids, pa.string()),
            pa.array(positions),
            pa.array(emails, pa.string()),
            pa.array(np.asarray(with_email, dtype=np.int64)),
        )


@dataclass
class ReadReport:
    file: str
    events: int = 0
    interactions: int = 0
    """(event, recipient) rows written to the staging file."""
    events_with_unknown_sender: int = 0
    recipients_unknown: int = 0
    unknown_people: int = 0
    unknown_sample: tuple[str, ...] = ()
    outside_employment: int = 0
    """Events in which someone took part before they started or after they left."""
    self_addressed: int = 0
    first_ts: int | None = None
    last_ts: int | None = None
    months: tuple[str, ...] = ()
    """The months with events, each staged as `<staging>/YYYY-MM.parquet`."""
    problems: list[Problem] = field(default_factory=list)
    source: FormatReport | None = None
    """For a system's own export (Slack, a message trace, ...): what it held and skipped."""


_CANONICAL = {normalize_header(c): c for c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}


def file_kind(name: str) -> str | None:
    suffix = Path(name).suffix.lower()
    if suffix in {".csv", ".txt", ".tsv"}:
        return "csv"
    if suffix in {".jsonl", ".json", ".ndjson"}:
        return "json"
    if suffix in {".parquet", ".pq"}:
        return "parquet"
    return None


# --- the batches of each kind of file --------------------------------------------------------


@dataclass
class _Source:
    columns: dict[str, str]
    """Canonical name -> the file's own column name."""
    batches: Iterator[tuple[int, pa.RecordBatch]]
    """(spreadsheet-style row of the batch's first row, batch)."""


def _resolve(file: str, names: Sequence[str], problems: Problems) -> dict[str, str]:
    columns: dict[str, str] = {}
    for name in names:
        canonical = _CANONICAL.get(normalize_header(name))
        if canonical is None:
            continue
        if canonical in columns:
            problems.add(1, name, f"this column repeats column {columns[canonical]!r}", "header")
            continue
        columns[canonical] = name
    for canonical in REQUIRED_COLUMNS:
        if canonical not in columns:
            problems.add(
                1,
                canonical,
                f"required column {canonical!r} is missing; the file has: "
                + ", ".join(repr(n) for n in names if n),
                "header",
            )
    return columns


def _csv_source(path: Path, file: str, problems: Problems) -> _Source | None:
    with path.open("rb") as handle:
        head = handle.readline()
    try:
        first_line = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.add(1, "-", "this is not UTF-8 text; save the file as UTF-8", "encoding")
        return None
    if not first_line.strip():
        problems.add(1, "-", "the file is empty", "empty")
        return None
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    if delimiter == "," and "," not in first_line and ";" in first_line:
        problems.add(
            1,
            "-",
            "columns must be separated by commas (semicolons separate the recipients)",
            "header",
        )
        return None
    names = next(csv.reader([first_line], delimiter=delimiter))
    names = [n.strip() for n in names]
    columns = _resolve(file, names, problems)
    if problems.items:
        return None
    invalid: list[str] = []

    def on_invalid(row: Any) -> str:
        invalid.append(row.text)
        return "skip"

    try:
        reader = _open_csv(path, names, delimiter, columns, on_invalid)
    except pa.ArrowInvalid as error:
        _name_unreadable_csv_rows(path, problems, str(error))
        return None

    def batches() -> Iterator[tuple[int, pa.RecordBatch]]:
        row = 2
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            except pa.ArrowInvalid as error:
                _name_unreadable_csv_rows(path, problems, str(error))
                return
            if invalid:
                # Rows with the wrong number of cells were skipped, so the numbering below is
                # off from here: name those rows and stop.
                _name_invalid_csv_rows(path, delimiter, len(names), problems)
                return
            yield row, batch
            row += batch.num_rows
        if invalid:
            _name_invalid_csv_rows(path, delimiter, len(names), problems)

    return _Source(columns, batches())


def _open_csv(
    path: Path, names: list[str], delimiter: str, columns: dict[str, str], on_invalid: Any
) -> Any:
    return pa_csv.open_csv(
        path,
        read_options=pa_csv.ReadOptions(block_size=16 << 20, column_names=names, skip_rows=1),
        parse_options=pa_csv.ParseOptions(
            delimiter=delimiter, ignore_empty_lines=False, invalid_row_handler=on_invalid
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types={
                name: (
                    pa.dictionary(pa.int32(), pa.string())
                    if name
                    in {columns.get("sender"), columns.get("recipients"), columns.get("channel")}
                    else pa.string()
                )
                for name in names
            },
            include_columns=list(columns.values()),
            strings_can_be_null=False,
        ),
    )


def _name_unreadable_csv_rows(path: Path, problems: Problems, fallback: str) -> None:
    """Only for a refused file: the lines that are not UTF-8 text."""
    before = len(problems.items)
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                problems.add(
                    number, "-", "this line is not UTF-8 text; save the file as UTF-8", "encoding"
                )
    if len(problems.items) == before:
        problems.add(0, "-", f"unreadable CSV: {fallback}", "read")


def _name_invalid_csv_rows(path: Path, delimiter: str, width: int, problems: Problems) -> None:
    """Only for a refused file: find the rows whose number of cells is wrong."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        for number, record in enumerate(reader, start=1):
            if number > 1 and record and len(record) != width:
                problems.add(number, "-", f"expected {width} cells, found {len(record)}", "cells")


def _json_source(path: Path, file: str, problems: Problems) -> _Source | None:
    try:
        reader = pa_json.open_json(path, read_options=pa_json.ReadOptions(block_size=16 << 20))
    except pa.ArrowInvalid as error:
        _name_invalid_json_rows(path, problems, str(error))
        return None
    names = list(reader.schema.names)
    columns = _resolve(file, names, problems)
    if problems.items:
        return None

    def batches() -> Iterator[tuple[int, pa.RecordBatch]]:
        row = 1
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                return
            except pa.ArrowInvalid as error:
                _name_invalid_json_rows(path, problems, str(error))
                return
            yield row, batch
            row += batch.num_rows

    return _Source(columns, batches())


def _name_invalid_json_rows(path: Path, problems: Problems, fallback: str) -> None:
    """Only for a refused file: find the lines that are not event objects."""
    before = len(problems.items)
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                problems.add(number, "-", f"not valid JSON ({error.msg})", "json")
                continue
            if not isinstance(value, dict):
                problems.add(number, "-", "each line must be one JSON object", "json")
                continue
            recipients = value.get("recipients")
            if recipients is not None and not isinstance(recipients, list):
                problems.add(number, "recipients", "recipients must be a list of ids", "json")
    if len(problems.items) == before:
        problems.add(0, "-", f"unreadable JSON lines: {fallback}", "json")


def _parquet_source(path: Path, file: str, problems: Problems) -> _Source | None:
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as error:
        problems.add(1, "-", f"not a readable Parquet file ({error})", "parquet")
        return None
    names = list(parquet.schema_arrow.names)
    columns = _resolve(file, names, problems)
    if problems.items:
        return None
    # Ids and channels repeat a lot: read them as dictionaries, matched once per distinct
    # value. pyarrow reads lists of dictionaries only a whole row group at a time, so files
    # with modest row groups are read that way; others batch by batch, recipients as text.
    wanted = {columns[c] for c in ("sender", "recipients", "channel")}
    paths = [
        parquet.schema.column(i).path
        for i in range(len(parquet.schema))
        if parquet.schema.column(i).path.split(".")[0] in wanted
        and parquet.schema.column(i).physical_type == "BYTE_ARRAY"
    ]
    metadata = parquet.metadata
    by_row_group = all(
        metadata.row_group(i).num_rows <= MAX_ROW_GROUP for i in range(metadata.num_row_groups)
    )
    if not by_row_group:
        paths = [path for path in paths if "." not in path]
    if paths:
        parquet = pq.ParquetFile(path, read_dictionary=paths)
    selected = list(columns.values())

    def batches() -> Iterator[tuple[int, pa.RecordBatch]]:
        row = 1
        if by_row_group:
            for index in range(metadata.num_row_groups):
                table = parquet.read_row_group(index, columns=selected).combine_chunks()
                for batch in table.to_batches():
                    yield row, batch
                    row += batch.num_rows
            return
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=selected):
            yield row, batch
            row += batch.num_rows

    return _Source(columns, batches())


# --- turning one batch into staging rows -------------------------------------------------------


def _as_text(array: pa.Array) -> pa.Array:
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        return pc.utf8_trim_whitespace(array.cast(pa.string()))
    if pa.types.is_null(array.type):
        return pa.nulls(len(array), pa.string())
    return pc.utf8_trim_whitespace(pc.cast(array, pa.string()))


def _blank(array: pa.Array) -> npt.NDArray[np.bool_]:
    return np.asarray(
        pc.fill_null(pc.equal(pc.utf8_length(array), 0), True).to_numpy(zero_copy_only=False)
    )


def _timestamps(array: pa.Array, first_row: int, column: str, problems: Problems) -> Any:
    """Seconds since 1970 (UTC) per row, and a mask of the rows that could not be read."""
    n = len(array)
    if pa.types.is_timestamp(array.type):
        micro = pc.cast(array, pa.timestamp("us", tz=array.type.tz))
        values = pc.cast(micro, pa.int64())
    elif pa.types.is_date(array.type):
        values = pc.cast(pc.cast(array, pa.timestamp("us")), pa.int64())
    elif pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        text = _as_text(array)
        date_only = pc.fill_null(pc.match_substring_regex(text, _DATE_ONLY), False)
        text = pc.if_else(date_only, pc.binary_join_element_wise(text, "T00:00:00", ""), text)
        has_offset = pc.fill_null(pc.match_substring_regex(text, _HAS_OFFSET), False)
        text = pc.if_else(has_offset, text, pc.binary_join_element_wise(text, "Z", ""))
        blank = _blank(array)
        text = pc.if_else(pa.array(blank), pa.nulls(n, pa.string()), text)
        try:
            values = pc.cast(pc.cast(text, pa.timestamp("us", tz="UTC")), pa.int64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            values = _timestamps_one_by_one(text)
    else:
        problems.add(
            first_row, column, f"timestamps must be dates and times, not {array.type}", "timestamp"
        )
        return np.zeros(n, dtype=np.int64), np.ones(n, dtype=np.bool_)
    micro_values = values.to_numpy(zero_copy_only=False)
    bad = np.asarray(pc.is_null(values).to_numpy(zero_copy_only=False), dtype=np.bool_)
    seconds = np.floor_divide(np.where(bad, 0, micro_values).astype(np.int64), 1_000_000)
    return seconds, bad


def _timestamps_one_by_one(text: pa.Array) -> pa.Array:
    """Only when a batch holds an unreadable timestamp: which ones (the file will be refused)."""
    out: list[int | None] = []
    for value in text.to_pylist():
        if value is None:
            out.append(None)
            continue
        try:
            single = pc.cast(pa.array([value]), pa.timestamp("us", tz="UTC"))
            out.append(pc.cast(single, pa.int64())[0].as_py())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            out.append(None)
    return pa.array(out, pa.int64())


def _numbers(array: pa.Array) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Values (NaN when blank) and a mask of the rows that are not non-negative numbers."""
    n = len(array)
    if pa.types.is_integer(array.type) or pa.types.is_floating(array.type):
        values = np.asarray(
            pc.cast(array, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64
        )
        bad = ~np.isnan(values) & ((values < 0) | ~np.isfinite(values))
        return values, bad
    text = _as_text(array)
    blank = _blank(text)
    number = np.asarray(
        pc.fill_null(pc.match_substring_regex(text, _NUMBER), False).to_numpy(zero_copy_only=False),
        dtype=np.bool_,
    )
    cleaned = pc.if_else(pa.array(number), text, pa.nulls(n, pa.string()))
    values = np.asarray(
        pc.cast(cleaned, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64
    )
    return values, ~blank & ~number


def _strings(array: pa.Array) -> pa.Array:
    if pa.types.is_string(array.type):
        return array
    if pa.types.is_null(array.type):
        return pa.nulls(len(array), pa.string())
    return pc.cast(array, pa.string())


def _match(
    values: pa.Array, lookup: tuple[pa.Array, pa.Array, pa.Array, pa.Array], hashed: bool
) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """Person index per value (-1 when nobody has that id or e-mail), and which are blank.

    Values are first looked up as they are; only the ones not found are trimmed and
    lowercased and looked up again (ids as written, e-mails and hashes in lowercase).
    """
    ids, id_person, emails, email_person = lookup
    values = _strings(values)
    n = len(values)
    person = np.full(n, -1, dtype=np.int64)
    if not hashed:
        found = pc.take(id_person, pc.index_in(values, value_set=ids))
        person = np.array(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), np.int64)
    blank = np.zeros(n, dtype=np.bool_)
    missed = np.flatnonzero(person < 0)
    if len(missed):
        rest = pc.utf8_trim_whitespace(pc.take(values, pa.array(missed)))
        blank[missed] = _blank(rest)
        lowered = pc.utf8_lower(rest)
        by_id = pc.index_in(lowered if hashed else rest, value_set=ids)
        by_email = pc.index_in(lowered, value_set=emails)
        again = pc.coalesce(pc.take(id_person, by_id), pc.take(email_person, by_email))
        person[missed] = np.asarray(
            pc.fill_null(again, -1).to_numpy(zero_copy_only=False), dtype=np.int64
        )
    return person, blank


def read_events(
    path: str | Path,
    *,
    people: PeopleKeys,
    staging: str | Path,
    file_name: str | None = None,
    pseudonym_key: bytes | None = None,
    source_format: str | None = None,
) -> ReadReport:
    """Validate and match an event file, writing its rows to Parquet files in `staging`.

    `source_format` is one of `formats.FORMATS` (a Slack export, a message trace, ...), or
    None to detect it from the file. One staging file per month:
    `<staging>/YYYY-MM.parquet`. Raises ImportRefused listing every problem (as
    FILE:ROW:COLUMN: message, or FILE:JSONPATH: message); then `staging` may hold partial
    output and must be discarded.
    """
    path = Path(path)
    file = file_name or str(path)
    problems = Problems(file)
    report = ReadReport(file=file)
    chosen = source_format or detect_format(path)
    work = Path(staging).parent / "native"
    try:
        source = _open_source(path, file, chosen, problems, report, work)
        return _read_source(source, report, problems, people, staging, pseudonym_key)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _open_source(
    path: Path, file: str, chosen: str, problems: Problems, report: ReadReport, work: Path
) -> _Source:
    if chosen in NATIVE_FORMATS:
        report.source = FormatReport(chosen)
        batches = native_batches(path, file, chosen, problems, report.source, work)
        return _Source({c: c for c in REQUIRED_COLUMNS}, ((1, b) for b in batches))
    if chosen != "events":
        raise ValueError(f"unknown format {chosen!r}; one of: {', '.join(FORMATS)}")
    kind = file_kind(file) or file_kind(str(path))
    if kind is None:
        raise ImportRefused([Problem(file, 0, "-", "name the file .csv, .jsonl or .parquet")])
    opener = {"csv": _csv_source, "json": _json_source, "parquet": _parquet_source}[kind]
    source = opener(path, file, problems)
    if source is None:
        raise ImportRefused(problems.finish())
    return source


def _read_source(
    source: _Source,
    report: ReadReport,
    problems: Problems,
    people: PeopleKeys,
    staging: str | Path,
    pseudonym_key: bytes | None,
) -> ReadReport:

    lookup = people.lookup(pseudonym_key)
    hashed = pseudonym_key is not None
    unknown_parts: list[pa.Array] = []
    writers = _MonthlyStaging(Path(staging))
    try:
        for first_row, batch in source.batches:
            written = _batch(
                batch, first_row, source.columns, problems, report, lookup, hashed, people
            )
            if written is None:
                continue
            table, unknown, months = written
            if unknown is not None and len(unknown):
                unknown_parts.append(unknown)
            if problems.items or table.num_rows == 0:
                continue
            report.interactions += table.num_rows
            low, high = int(pc.min(table["ts"]).as_py()), int(pc.max(table["ts"]).as_py())
            report.first_ts = low if report.first_ts is None else min(report.first_ts, low)
            report.last_ts = high if report.last_ts is None else max(report.last_ts, high)
            writers.write(table, months)
    except pa.ArrowInvalid as error:
        problems.add(0, "-", f"the file could not be read: {error}", "read")
    finally:
        writers.close()
    report.months = writers.labels()
    if not problems.items and report.events == 0:
        problems.add(2, "-", "the file has no events", "empty")
    if problems.items:
        raise ImportRefused(problems.finish())
    if unknown_parts:
        distinct = pc.unique(pa.concat_arrays(unknown_parts))
        report.unknown_people = len(distinct)
        ordered = pc.take(distinct, pc.array_sort_indices(distinct))
        report.unknown_sample = tuple(ordered[:UNKNOWN_SAMPLE].to_pylist())
    return report


class _MonthlyStaging:
    """One staging file per month, so the merge deduplicates a month at a time."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.writers: dict[int, pq.ParquetWriter] = {}

    def write(self, table: pa.Table, months: npt.NDArray[np.int64]) -> None:
        order = np.argsort(months.astype(np.int16), kind="stable")
        sorted_months = months[order]
        if len(order) and sorted_months[0] != sorted_months[-1]:
            table = table.take(pa.array(order))
        bounds = np.flatnonzero(np.r_[True, sorted_months[1:] != sorted_months[:-1]])
        for start, end in zip(bounds, [*bounds[1:], len(order)], strict=True):
            month = int(sorted_months[start])
            if month not in self.writers:
                # A scratch file read once: no compression, no dictionaries, no statistics.
                self.writers[month] = pq.ParquetWriter(
                    str(self.folder / f"{month_label(month)}.parquet"),
                    STAGING_SCHEMA,
                    compression="none",
                    use_dictionary=False,
                    write_statistics=False,
                )
            self.writers[month].write_table(table.slice(int(start), int(end - start)))

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()

    def labels(self) -> tuple[str, ...]:
        return tuple(sorted(month_label(m) for m in self.writers))


@dataclass
class _Coded:
    """A text column as distinct-ish values and, per row, the position of its value.

    Dictionary-encoded columns (Parquet, and CSV read as dictionaries) are worked on once per
    distinct value instead of once per row; plain ones have one value per row.
    """

    values: pa.Array
    index: npt.NDArray[np.int64]

    def per_row(self, results: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return results[self.index]

    def values_of(self, rows: npt.NDArray[np.bool_]) -> pa.Array:
        used = np.zeros(len(self.values), dtype=np.bool_)
        used[self.index[rows]] = True
        return pc.filter(self.values, pa.array(used))


def _coded_text(array: pa.Array, trim: bool = True) -> _Coded:
    text = _as_text if trim else _strings
    if pa.types.is_dictionary(array.type):
        dictionary = text(array.dictionary)
        indices = pc.fill_null(array.indices, len(dictionary)).to_numpy(zero_copy_only=False)
        values = pa.concat_arrays([dictionary, pa.nulls(1, pa.string())])
        return _Coded(values, np.asarray(indices, dtype=np.int64))
    return _Coded(text(array), np.arange(len(array), dtype=np.int64))


def _ranges(starts: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """All positions [start, start + length) of every range, concatenated."""
    total = int(lengths.sum())
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return np.asarray(offsets + np.arange(total, dtype=np.int64), dtype=np.int64)


def _recipients(array: pa.Array, n: int) -> tuple[npt.NDArray[np.int64], _Coded]:
    """(row of each recipient, the recipients' text, untrimmed)."""
    if pa.types.is_list(array.type) or pa.types.is_large_list(array.type):
        parents = np.asarray(
            pc.list_parent_indices(array).to_numpy(zero_copy_only=False), dtype=np.int64
        )
        return parents, _coded_text(pc.list_flatten(array), trim=False)
    rows = _coded_text(array, trim=False)
    lists = pc.split_pattern(rows.values, ";")
    lengths = np.asarray(
        pc.fill_null(pc.list_value_length(lists), 0).to_numpy(zero_copy_only=False),
        dtype=np.int64,
    )
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    row_lengths = lengths[rows.index]
    parents = np.repeat(np.arange(n, dtype=np.int64), row_lengths)
    flat = _Coded(_strings(pc.list_flatten(lists)), _ranges(starts[rows.index], row_lengths))
    return parents, flat


def _months(ts: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Months since January 1970 of each timestamp (seconds, UTC)."""
    return np.asarray(
        ts.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64), dtype=np.int64
    )


def month_label(months_since_1970: int) -> str:
    return f"{1970 + months_since_1970 // 12:04d}-{months_since_1970 % 12 + 1:02d}"


@dataclass
class _Checked:
    """A batch's columns once checked: what each row says, before people are matched."""

    present: npt.NDArray[np.bool_]
    seconds: npt.NDArray[np.int64]
    sender: _Coded
    sender_person: IntArray
    parents: IntArray
    """The row of each (non-blank) recipient."""
    recipients: _Coded
    recipient_person: IntArray
    channel: IntArray
    numbers: dict[str, npt.NDArray[np.float64]]


def _batch(
    batch: pa.RecordBatch,
    first_row: int,
    columns: dict[str, str],
    problems: Problems,
    report: ReadReport,
    lookup: tuple[pa.Array, pa.Array, pa.Array, pa.Array],
    hashed: bool,
    people: PeopleKeys,
) -> tuple[pa.Table, pa.Array | None, npt.NDArray[np.int64]] | None:
    """Check a batch, then turn it into staging rows: (rows, unknown ids, months of rows)."""
    if batch.num_rows == 0:
        return None
    raw = {c: batch.column(batch.schema.get_field_index(name)) for c, name in columns.items()}
    present = _present_rows(raw, batch.num_rows)
    report.events += int(present.sum())
    checked = _check_batch(raw, present, first_row, columns, problems, lookup, hashed)
    if problems.items:
        return None
    return _interactions(checked, report, people)


def _present_rows(raw: dict[str, pa.Array], n: int) -> npt.NDArray[np.bool_]:
    """Rows with every cell empty (blank lines) are skipped, as in every other import."""
    empty = np.ones(n, dtype=np.bool_)
    for array in raw.values():
        values = (
            array.dictionary.take(array.indices) if pa.types.is_dictionary(array.type) else array
        )
        if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
            empty &= _blank(values)
        else:
            empty &= np.asarray(pc.is_null(values).to_numpy(zero_copy_only=False), np.bool_)
    return ~empty


def _check_batch(
    raw: dict[str, pa.Array],
    present: npt.NDArray[np.bool_],
    first_row: int,
    columns: dict[str, str],
    problems: Problems,
    lookup: tuple[pa.Array, pa.Array, pa.Array, pa.Array],
    hashed: bool,
) -> _Checked:
    n = len(present)

    def header(canonical: str) -> str:
        return columns[canonical]

    seconds, bad_ts = _timestamps(raw["timestamp"], first_row, header("timestamp"), problems)
    problems.rows(
        bad_ts & present,
        first_row,
        header("timestamp"),
        "not a date and time; write it as 2026-01-31T09:30:00Z (ISO 8601)",
        "timestamp",
    )
    sender = _coded_text(raw["sender"], trim=False)
    sender_match, sender_blank = _match(sender.values, lookup, hashed)
    problems.rows(
        sender.per_row(sender_blank) & present,
        first_row,
        header("sender"),
        "sender is blank",
        "blank",
    )
    parents, flat = _recipients(raw["recipients"], n)
    flat_match, flat_blank = _match(flat.values, lookup, hashed)
    filled = ~flat.per_row(flat_blank)
    parents, flat = parents[filled], _Coded(flat.values, flat.index[filled])
    has_recipient = np.zeros(n, dtype=np.bool_)
    has_recipient[parents] = True
    problems.rows(
        ~has_recipient & present,
        first_row,
        header("recipients"),
        "no recipients; separate several with ;",
        "blank",
    )
    channel_coded = _coded_text(raw["channel"])
    channel_values = pc.utf8_lower(channel_coded.values)
    channel = channel_coded.per_row(
        np.asarray(
            pc.fill_null(pc.index_in(channel_values, value_set=pa.array(CHANNELS)), -1).to_numpy(
                zero_copy_only=False
            ),
            dtype=np.int64,
        )
    )
    problems.rows(
        (channel < 0) & present,
        first_row,
        header("channel"),
        "channel must be one of " + ", ".join(CHANNELS),
        "channel",
    )
    numbers: dict[str, npt.NDArray[np.float64]] = {}
    for name in OPTIONAL_COLUMNS:
        if name not in columns:
            continue
        values, bad = _numbers(raw[name])
        problems.rows(
            bad & present, first_row, header(name), f"{name} must be a number of 0 or more", name
        )
        numbers[name] = values
    return _Checked(
        present=present,
        seconds=seconds,
        sender=sender,
        sender_person=sender.per_row(sender_match),
        parents=parents,
        recipients=flat,
        recipient_person=flat.per_row(flat_match),
        channel=channel,
        numbers=numbers,
    )


def _interactions(
    checked: _Checked, report: ReadReport, people: PeopleKeys
) -> tuple[pa.Table, pa.Array, npt.NDArray[np.int64]]:
    """The (event, recipient) rows between known people, counting what is left out."""
    present, parents = checked.present, checked.parents
    sender_person, recipient_person = checked.sender_person, checked.recipient_person
    known_sender = sender_person >= 0
    report.events_with_unknown_sender += int(np.sum(~known_sender & present))
    unknown = pc.utf8_trim_whitespace(
        pa.concat_arrays(
            [
                checked.sender.values_of(~known_sender & present),
                checked.recipients.values_of((recipient_person < 0) & present[parents]),
            ]
        )
    )
    rows_sender = sender_person[parents]
    keep = (rows_sender >= 0) & (recipient_person >= 0) & present[parents]
    report.recipients_unknown += int(np.sum((recipient_person < 0) & present[parents]))
    self_addressed = keep & (rows_sender == recipient_person)
    report.self_addressed += int(self_addressed.sum())
    keep &= ~self_addressed
    kept_parents = parents[keep]
    ts = checked.seconds[kept_parents]
    s_index, r_index = rows_sender[keep], recipient_person[keep]
    outside = (
        (ts < people.start_s[s_index])
        | (ts > people.end_s[s_index])
        | (ts < people.start_s[r_index])
        | (ts > people.end_s[r_index])
    )
    if outside.any():
        report.outside_employment += int(np.count_nonzero(np.bincount(kept_parents[outside])))

    def optional(name: str) -> pa.Array:
        if name not in checked.numbers:
            return pa.nulls(len(ts), pa.float32())
        return pa.array(checked.numbers[name][kept_parents].astype(np.float32), from_pandas=True)

    table = pa.table(
        {
            "ts": pa.array(ts, pa.int64()),
            "sender": pa.array(people.person_ids[s_index], pa.int64()),
            "recipient": pa.array(people.person_ids[r_index], pa.int64()),
            "channel": pa.array(checked.channel[kept_parents].astype(np.int8), pa.int8()),
            "weight": optional("weight"),
            "duration_minutes": optional("duration_minutes"),
        },
        schema=STAGING_SCHEMA,
    )
    return table, unknown, _months(ts)
