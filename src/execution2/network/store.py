"""The Parquet files of an organization's events, and the DuckDB queries over them.

Layout: DATA_DIR/orgs/<id>/network/events/<generation>/month=YYYY-MM/*.parquet, one row per
(event, recipient) with the columns of `analytics.network.events.STAGING_SCHEMA`. An import
writes a whole new generation (months it doesn't touch are hard-linked, not copied) and the
database then points at it; readers always read the generation the database names.
"""

from __future__ import annotations

import datetime
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt

from execution2.core.storage import organization_data_dir

MEMORY_LIMIT = os.environ.get("EXECUTION2_DUCKDB_MEMORY", "2GB")


def network_dir(organization_id: int) -> Path:
    return organization_data_dir(organization_id, "network")


def events_root(organization_id: int) -> Path:
    folder = network_dir(organization_id) / "events"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def generation_dir(organization_id: int, generation: str) -> Path:
    return events_root(organization_id) / generation


def scratch_dir(organization_id: int) -> Path:
    """A fresh folder for one import's staging files; the caller removes it."""
    folder = network_dir(organization_id) / "tmp" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def connect(temp: Path | None = None) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    connection.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    connection.execute("SET preserve_insertion_order = false")
    if temp is not None:
        connection.execute(f"SET temp_directory = '{_sql_path(temp / 'spill')}'")
    return connection


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _months(folder: Path) -> dict[str, Path]:
    return {
        child.name.removeprefix("month="): child
        for child in sorted(folder.glob("month=*"))
        if child.is_dir()
    }


def _scan(folder: Path) -> str:
    return (
        f"read_parquet('{_sql_path(folder)}/month=*/*.parquet', hive_partitioning = true, "
        "hive_types = {'month': VARCHAR})"
    )


@dataclass(frozen=True, slots=True)
class MergeResult:
    generation: str
    interactions: int
    added: int
    first_ts: int | None
    last_ts: int | None


def merge(organization_id: int, current: str | None, staging: Path, temp: Path) -> MergeResult:
    """A new generation: the current one plus the staged months, exact duplicates dropped.

    `staging` holds one Parquet file per month (`YYYY-MM.parquet`); each month is
    deduplicated on its own, together with the current generation's rows of that month.
    """
    old = generation_dir(organization_id, current) if current else None
    old_months = _months(old) if old is not None and old.exists() else {}
    staged = {file.stem: file for file in sorted(staging.glob("*.parquet"))}
    generation = f"g{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S}-{uuid.uuid4().hex[:8]}"
    new = generation_dir(organization_id, generation)
    new.mkdir(parents=True)
    try:
        connection = connect(temp)
        old_total = _count(connection, old) if old_months else 0
        for month, file in staged.items():
            sources = [file]
            if month in old_months:
                sources += sorted(old_months[month].glob("*.parquet"))
            listed = ", ".join(f"'{_sql_path(source)}'" for source in sources)
            target = new / f"month={month}"
            target.mkdir()
            connection.execute(
                f"COPY (SELECT DISTINCT * FROM read_parquet([{listed}])) "
                f"TO '{_sql_path(target / 'data.parquet')}' (FORMAT parquet, COMPRESSION lz4_raw)"
            )
        for month, folder in old_months.items():
            if month in staged:
                continue
            target = new / f"month={month}"
            target.mkdir()
            for file in folder.iterdir():
                try:
                    os.link(file, target / file.name)
                except OSError:
                    shutil.copy2(file, target / file.name)
        total = _count(connection, new)
        first, last = (
            connection.execute(f"SELECT min(ts), max(ts) FROM {_scan(new)}").fetchone()
            if total
            else (None, None)
        ) or (None, None)
        connection.close()
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    return MergeResult(
        generation=generation,
        interactions=total,
        added=total - old_total,
        first_ts=int(first) if first is not None else None,
        last_ts=int(last) if last is not None else None,
    )


def _count(connection: duckdb.DuckDBPyConnection, folder: Path | None) -> int:
    if folder is None or not _months(folder):
        return 0
    row = connection.execute(f"SELECT count(*) FROM {_scan(folder)}").fetchone()
    return int(row[0]) if row else 0


def remove_generation(organization_id: int, generation: str) -> None:
    if generation:
        shutil.rmtree(generation_dir(organization_id, generation), ignore_errors=True)


def month_key(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def seconds(day: datetime.date) -> int:
    return (day - datetime.date(1970, 1, 1)).days * 86400


IntArray = npt.NDArray[np.int64]


def pair_counts(
    organization_id: int,
    generation: str,
    start: datetime.date,
    end: datetime.date,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> tuple[IntArray, IntArray, IntArray]:
    """Directed interaction counts (sender, recipient, count) in [start, end) UTC days."""
    folder = generation_dir(organization_id, generation)
    empty = np.zeros(0, dtype=np.int64)
    if not generation or not _months(folder):
        return empty, empty, empty
    own = connection is None
    db = connection or connect()
    last_day = end - datetime.timedelta(days=1)
    result: Any = db.execute(
        f"SELECT sender, recipient, count(*)::BIGINT AS n FROM {_scan(folder)} "
        "WHERE month BETWEEN ? AND ? AND ts >= ? AND ts < ? GROUP BY sender, recipient",
        [month_key(start), month_key(last_day), seconds(start), seconds(end)],
    ).fetchnumpy()
    if own:
        db.close()
    return (
        np.asarray(result["sender"], dtype=np.int64),
        np.asarray(result["recipient"], dtype=np.int64),
        np.asarray(result["n"], dtype=np.int64),
    )


def tie_counts(
    organization_id: int,
    generation: str,
    start: datetime.date,
    end: datetime.date,
    min_interactions: int = 1,
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Per unordered pair in [start, end): (low id, high id, interactions, directions used).

    Summed by DuckDB, and only pairs with at least `min_interactions`: what the tie list
    needs, without moving every directed pair into Python.
    """
    folder = generation_dir(organization_id, generation)
    empty = np.zeros(0, dtype=np.int64)
    if not generation or not _months(folder):
        return empty, empty, empty, empty
    db = connect()
    last_day = end - datetime.timedelta(days=1)
    result: Any = db.execute(
        "WITH directed AS ("
        f"  SELECT sender, recipient, count(*) AS n FROM {_scan(folder)} "
        "   WHERE month BETWEEN ? AND ? AND ts >= ? AND ts < ? AND sender <> recipient "
        "   GROUP BY sender, recipient) "
        "SELECT least(sender, recipient) AS low, greatest(sender, recipient) AS high, "
        "sum(n)::BIGINT AS interactions, count(*)::BIGINT AS arcs FROM directed "
        "GROUP BY low, high HAVING sum(n) >= ?",
        [month_key(start), month_key(last_day), seconds(start), seconds(end), min_interactions],
    ).fetchnumpy()
    db.close()
    return (
        np.asarray(result["low"], dtype=np.int64),
        np.asarray(result["high"], dtype=np.int64),
        np.asarray(result["interactions"], dtype=np.int64),
        np.asarray(result["arcs"], dtype=np.int64),
    )


def monthly_volume(organization_id: int, generation: str) -> list[tuple[str, int]]:
    """Interactions per month, for the page's overview of what is stored."""
    folder = generation_dir(organization_id, generation)
    if not generation or not _months(folder):
        return []
    db = connect()
    rows = db.execute(
        f"SELECT month, count(*) FROM {_scan(folder)} GROUP BY month ORDER BY month"
    ).fetchall()
    db.close()
    return [(str(month), int(count)) for month, count in rows]
