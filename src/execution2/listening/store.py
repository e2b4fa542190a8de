"""Where an organization's posts and per-post results live, and reading them with DuckDB."""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from execution2.analytics.listening.posts import store_path
from execution2.core.storage import organization_data_dir


def folder(organization: Any) -> Path:
    return organization_data_dir(organization.pk, "listening")


def posts_path(organization: Any) -> Path:
    return store_path(folder(organization))


def scored_path(organization: Any) -> Path:
    return folder(organization) / "scored.parquet"


def classifier_path(organization: Any, file_name: str) -> Path:
    return folder(organization) / Path(file_name).name


def write_atomically(table: pa.Table, target: Path) -> None:
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
    try:
        pq.write_table(table, temporary, compression="zstd")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def connect() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("SET TimeZone='UTC'")
    return connection


def post_count(organization: Any) -> int:
    path = posts_path(organization)
    if not path.exists():
        return 0
    return int(pq.ParquetFile(path).metadata.num_rows)


def posts_by_keys(organization: Any, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The stored posts with these keys (text, time, channel, author, url, engagement)."""
    path = posts_path(organization)
    if not keys or not path.exists():
        return {}
    with connect() as connection:
        rows = connection.execute(
            "SELECT key, text, ts, channel, author, url, engagement FROM read_parquet(?) "
            "WHERE key IN (SELECT unnest(?::VARCHAR[]))",
            [str(path), list(keys)],
        ).fetchall()
    names = ("key", "text", "ts", "channel", "author", "url", "engagement")
    return {row[0]: dict(zip(names, row, strict=True)) for row in rows}
