"""Readers of the exports collaboration systems already make, turned into event batches.

Each reader yields Arrow batches with our event columns (`timestamp`, `sender`, `recipients`
as a list, `channel`) that the event reader checks and matches like a file of our own format.
`detect_format` names the format from the file itself; `--format NAME` overrides it.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from execution2.analytics.network.formats.common import FormatReport
from execution2.analytics.network.formats.exchange import looks_like_trace, trace_batches
from execution2.analytics.network.formats.slack import export_root, slack_batches
from execution2.analytics.problems import ImportRefused, Problem, Problems

FORMATS = ("events", "slack", "exchange-trace")
NATIVE_FORMATS = ("slack", "exchange-trace")
FORMAT_LABELS = {
    "events": "our events format",
    "slack": "Slack workspace export",
    "exchange-trace": "Exchange Online message trace",
}
MAX_UNPACKED_BYTES = 64 << 30
"""A zip bomb guard: an export may unpack to this much at most."""

__all__ = [
    "FORMATS",
    "FORMAT_LABELS",
    "NATIVE_FORMATS",
    "FormatReport",
    "detect_format",
    "native_batches",
]


def detect_format(path: Path) -> str:
    """The format a file or folder is in, from its content; `events` when none fits."""
    if path.is_dir():
        return "slack" if export_root(path) is not None else "events"
    if zipfile.is_zipfile(path) and path.suffix.lower() not in {".xlsx", ".parquet"}:
        with zipfile.ZipFile(path) as archive:
            names = {Path(n).name for n in archive.namelist()}
        return "slack" if {"users.json", "channels.json"} <= names else "events"
    if looks_like_trace(path):
        return "exchange-trace"
    return "events"


def _unpack(path: Path, file: str, into: Path) -> Path:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ImportRefused([Problem(file, 0, "-", "not a readable zip file")]) from None
    with archive:
        total = sum(info.file_size for info in archive.infolist())
        if total > MAX_UNPACKED_BYTES:
            raise ImportRefused(
                [Problem(file, 0, "-", f"the zip unpacks to {total:,} bytes, more than allowed")]
            )
        try:
            # ZipFile.extractall keeps every member inside `into` (no `..` or absolute paths).
            archive.extractall(into)
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise ImportRefused(
                [Problem(file, 0, "-", f"the zip is damaged or cut short ({error})")]
            ) from None
    return into


def native_batches(
    path: Path, file: str, source_format: str, problems: Problems, report: FormatReport, work: Path
) -> Iterator[pa.RecordBatch]:
    """The interactions of a native export; `work` is a scratch folder the caller removes."""
    work.mkdir(parents=True, exist_ok=True)
    if source_format == "slack":
        folder = path if path.is_dir() else _unpack(path, file, work / "unpacked")
        root = export_root(folder)
        if root is None:
            raise ImportRefused(
                [Problem(file, 0, "-", "not a Slack export: users.json and channels.json missing")]
            )
        try:
            yield from slack_batches(root, problems, report, work)
        finally:
            shutil.rmtree(work / "unpacked", ignore_errors=True)
    elif source_format == "exchange-trace":
        yield from trace_batches(path, file, problems, report, work)
    else:
        raise ValueError(f"unknown format {source_format!r}")
