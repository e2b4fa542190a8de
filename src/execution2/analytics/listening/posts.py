"""Reading conversation exports (CSV, JSON lines, Parquet) into one Parquet store of posts.

Listening tools export one row per post with different headers; we read `text`, `timestamp`,
`channel` and the optional `id`, `author`, `url`, `language`, `engagement` (or `likes`,
`shares`, `replies`, summed), `rating`. Files are read in batches, checked and normalised with
DuckDB (timestamps in ISO 8601 with or without offset, epoch seconds or milliseconds, Twitter's
`Mon Jan 05 10:00:00 +0000 2026`, `05.01.2026 10:00`), written to a temporary Parquet file, and
merged with the store only when every file is clean, by renaming a new store into place.

A post's key is its `id` when the file gives one, else a hash of channel, author, time and text,
so the same export imported twice keeps one copy of each post (the newest import wins, which
keeps engagement counts current).
"""

from __future__ import annotations

import csv
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.json as pajson
import pyarrow.parquet as pq

from execution2.analytics.problems import ImportRefused, Problem, normalize_header

KNOWN_COLUMNS = (
    "id",
    "text",
    "timestamp",
    "channel",
    "author",
    "url",
    "language",
    "engagement",
    "likes",
    "shares",
    "replies",
    "rating",
)
REQUIRED_COLUMNS = ("text", "timestamp", "channel")
# Headers other tools use for our columns (after normalising case and separators).
ALIASES = {
    "message": "text",
    "tweet": "text",
    "tweettext": "text",
    "post": "text",
    "posttext": "text",
    "review": "text",
    "reviewtext": "text",
    "fulltext": "text",
    "created": "timestamp",
    "createdtime": "timestamp",
    "published": "timestamp",
    "publishdate": "timestamp",
    "postedat": "timestamp",
    "timestamputc": "timestamp",
    "datetimeutc": "timestamp",
    "network": "channel",
    "site": "channel",
    "medium": "channel",
    "handle": "author",
    "screenname": "author",
    "authorname": "author",
    "authorhandle": "author",
    "permalink": "url",
    "tweetid": "id",
    "messageid": "id",
    "likecount": "likes",
    "favoritecount": "likes",
    "reactions": "likes",
    "sharecount": "shares",
    "retweetcount": "shares",
    "replycount": "replies",
    "stars": "rating",
    "content": "text",
    "body": "text",
    "date": "timestamp",
    "time": "timestamp",
    "createdat": "timestamp",
    "publishedat": "timestamp",
    "datetime": "timestamp",
    "source": "channel",
    "platform": "channel",
    "user": "author",
    "username": "author",
    "link": "url",
    "lang": "language",
    "postid": "id",
    "favorites": "likes",
    "retweets": "shares",
    "comments": "replies",
}
STORE_SCHEMA = pa.schema(
    [
        ("key", pa.string()),
        ("id", pa.string()),
        ("text", pa.string()),
        ("ts", pa.timestamp("us", tz="UTC")),
        ("channel", pa.string()),
        ("author", pa.string()),
        ("url", pa.string()),
        ("language", pa.string()),
        ("engagement", pa.int64()),
        ("rating", pa.float64()),
    ]
)
MAX_PROBLEMS = 500
BATCH_ROWS = 200_000
TIME_FORMATS = (
    "%a %b %d %H:%M:%S %z %Y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%m/%d/%Y %I:%M %p",
)

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class PostsImportResult:
    files: int
    read: int
    new: int
    updated: int
    duplicates_in_files: int
    total: int

    def summary(self) -> str:
        return (
            f"Read {self.read:,} posts from {self.files} file(s): {self.new:,} new, "
            f"{self.updated:,} already stored (refreshed), {self.duplicates_in_files:,} "
            f"duplicates within the files. The store holds {self.total:,} posts."
        )


def _squash(header: object) -> str:
    return normalize_header(header, also=".")


def _connect() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("SET TimeZone='UTC'")
    return connection


def _file_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in {".parquet", ".pq"}:
        return "parquet"
    with path.open("rb") as handle:
        start = handle.read(64)
    if start[:4] == b"PAR1":
        return "parquet"
    first = start.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if first == b"[" and suffix != ".csv":
        return "json-array"
    if first == b"{" or suffix in {".jsonl", ".ndjson", ".json"}:
        return "jsonl"
    return "csv"


def _csv_batches(path: Path, name: str) -> Iterator[pa.RecordBatch]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
    if not first.strip():
        raise ImportRefused([Problem(name, 1, "-", "the file is empty")])
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    headers = next(csv.reader([first], delimiter=delimiter))
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=16 << 20),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={h: pa.string() for h in headers},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    yield from reader


def _batches(path: Path, name: str) -> Iterator[pa.RecordBatch]:
    kind = _file_kind(path)
    try:
        if kind == "parquet":
            yield from pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS)
        elif kind == "json-array":
            # A JSON array of posts (some tools export that instead of JSON lines).
            with duckdb.connect() as connection:
                table = connection.sql(
                    "SELECT * FROM read_json(?, format = 'array')", params=[str(path)]
                ).to_arrow_table()
            yield from table.to_batches(max_chunksize=BATCH_ROWS)
        elif kind == "jsonl":
            table = pajson.read_json(
                path, parse_options=pajson.ParseOptions(newlines_in_values=False)
            )
            yield from table.to_batches(max_chunksize=BATCH_ROWS)
        else:
            yield from _csv_batches(path, name)
    except UnicodeDecodeError as error:
        raise ImportRefused(
            [Problem(name, 1, "-", f"this is not UTF-8 text ({error.reason}); save it as UTF-8")]
        ) from None
    except (pa.ArrowInvalid, OSError, duckdb.Error) as error:
        message = str(error).split("\n", 1)[0]
        raise ImportRefused(
            [
                Problem(
                    name, 1, "-", f"unreadable {kind.upper().replace('-ARRAY', '')} file: {message}"
                )
            ]
        ) from None


def _column_map(
    names: Sequence[str], file_name: str, column_map: dict[str, str], default_channel: str | None
) -> tuple[dict[str, str], list[Problem]]:
    """Our canonical column -> the file's column name: what `column_map` says first, then
    headers named as ours, then other tools' names for them (ALIASES)."""
    problems: list[Problem] = []
    raw = {_squash(n): n for n in reversed(names)}  # the first of repeated names wins
    found: dict[str, str] = {}
    for ours, theirs in column_map.items():
        if _squash(theirs) in raw and ours in KNOWN_COLUMNS:
            found[ours] = raw[_squash(theirs)]
    taken = set(found.values())
    for canonical in KNOWN_COLUMNS:
        if canonical not in found and canonical in raw and raw[canonical] not in taken:
            found[canonical] = raw[canonical]
            taken.add(raw[canonical])
    for name in names:
        alias_of = ALIASES.get(_squash(name))
        if alias_of is not None and alias_of not in found and name not in taken:
            found[alias_of] = name
            taken.add(name)
    for column in REQUIRED_COLUMNS:
        if column == "channel" and default_channel:
            continue
        if column not in found:
            problems.append(
                Problem(
                    file_name,
                    1,
                    column,
                    f"required column {column!r} is missing; the file has: "
                    + ", ".join(repr(n) for n in names),
                )
            )
    return found, problems


def _literal(value: str | None) -> str:
    if not value or not value.strip():
        return "NULL::VARCHAR"
    return "'" + value.strip().replace("'", "''") + "'"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _normalise_sql(found: dict[str, str], default_channel: str | None = None) -> str:
    def text(column: str) -> str:
        if column not in found:
            return "NULL::VARCHAR"
        return f"NULLIF(TRIM(CAST({_quote(found[column])} AS VARCHAR)), '')"

    if "engagement" in found:
        engagement = text("engagement")
    else:
        parts = [text(c) for c in ("likes", "shares", "replies") if c in found]
        engagement = (
            "CAST(" + " + ".join(f"COALESCE(TRY_CAST({p} AS DOUBLE), 0)" for p in parts) + " AS "
            "VARCHAR)"
            if parts
            else "NULL::VARCHAR"
        )
    formats = "[" + ", ".join(f"'{f}'" for f in TIME_FORMATS) + "]"
    return f"""
    WITH raw AS (
        SELECT __row AS n,
               {text("id")} AS id, {text("text")} AS text, {text("timestamp")} AS ts_text,
               lower(COALESCE({text("channel")}, {_literal(default_channel)})) AS channel,
               {text("author")} AS author,
               {text("url")} AS url, lower({text("language")}) AS language,
               {engagement} AS engagement_text, {text("rating")} AS rating_text
        FROM batch
    ), parsed AS (
        SELECT *,
            COALESCE(
                TRY_CAST(ts_text AS TIMESTAMPTZ),
                CASE WHEN regexp_full_match(ts_text, '[0-9]{{9,10}}(\\.[0-9]+)?')
                     THEN to_timestamp(TRY_CAST(ts_text AS DOUBLE)) END,
                CASE WHEN regexp_full_match(ts_text, '[0-9]{{12,13}}')
                     THEN to_timestamp(TRY_CAST(ts_text AS DOUBLE) / 1000) END,
                CAST(try_strptime(ts_text, {formats}) AS TIMESTAMPTZ)
            ) AS ts,
            TRY_CAST(engagement_text AS DOUBLE) AS engagement_value,
            TRY_CAST(rating_text AS DOUBLE) AS rating
        FROM raw
    )
    SELECT n, id, text, ts, channel, author, url, language, ts_text, engagement_text,
           rating_text, engagement_value, rating
    FROM parsed
    """


def _check(
    connection: duckdb.DuckDBPyConnection, file_name: str, offset: int, budget: int
) -> list[Problem]:
    rules = [
        ("text", "text IS NULL", "'the post has no text'"),
        (
            "timestamp",
            "ts IS NULL",
            "CASE WHEN ts_text IS NULL THEN 'the post has no timestamp' ELSE "
            "'''' || ts_text || ''' is not a date and time like 2026-01-31T14:05:00Z' END",
        ),
        ("channel", "channel IS NULL", "'the post has no channel (twitter, forum, review, ...)'"),
        (
            "engagement",
            "engagement_text IS NOT NULL AND (engagement_value IS NULL OR engagement_value < 0)",
            "'''' || engagement_text || ''' is not a count of likes, shares and replies'",
        ),
        (
            "rating",
            "rating_text IS NOT NULL AND rating IS NULL",
            "'''' || rating_text || ''' is not a number'",
        ),
    ]
    problems: list[Problem] = []
    for column, condition, message in rules:
        if budget - len(problems) <= 0:
            break
        rows = connection.execute(
            f"SELECT n, {message} FROM normalised WHERE {condition} ORDER BY n LIMIT ?",
            [budget - len(problems)],
        ).fetchall()
        problems.extend(Problem(file_name, offset + int(n) + 1, column, m) for n, m in rows)
    return problems


def read_posts_to(
    paths: Sequence[Path],
    target: Path,
    *,
    file_names: Sequence[str] | None = None,
    column_map: dict[str, str] | None = None,
    default_channel: str | None = None,
    progress: Progress | None = None,
) -> int:
    """Check and normalise every file into one Parquet file `target`; raise `ImportRefused`."""
    names = list(file_names or [str(p) for p in paths])
    problems: list[Problem] = []
    writer: pq.ParquetWriter | None = None
    written = 0
    connection = _connect()
    try:
        writer = pq.ParquetWriter(target, STORE_SCHEMA, compression="zstd")
        for path, name in zip(paths, names, strict=True):
            offset = 0
            found: dict[str, str] | None = None
            sql = ""
            for batch in _batches(Path(path), name):
                if found is None:
                    found, missing = _column_map(
                        batch.schema.names, name, column_map or {}, default_channel
                    )
                    if missing:
                        problems.extend(missing)
                        break
                    sql = _normalise_sql(found, default_channel)
                rows = pa.array(np.arange(1, batch.num_rows + 1, dtype=np.int64))
                connection.register("batch", batch.append_column("__row", rows))
                connection.execute(f"CREATE OR REPLACE TEMP TABLE normalised AS {sql}")
                connection.unregister("batch")
                budget = MAX_PROBLEMS - len(problems)
                found_problems = _check(connection, name, offset, budget) if budget > 0 else []
                problems.extend(found_problems)
                if not problems:
                    out = connection.sql(
                        """
                        SELECT
                          CASE WHEN id IS NOT NULL THEN md5('id' || chr(31) || id)
                               ELSE md5(channel || chr(31) || COALESCE(author, '') || chr(31)
                                        || CAST(epoch_us(ts) AS VARCHAR) || chr(31) || text)
                          END AS key,
                          id, text, CAST(ts AS TIMESTAMPTZ) AS ts, channel, author, url,
                          language, CAST(round(COALESCE(engagement_value, 0)) AS BIGINT)
                            AS engagement, rating
                        FROM normalised ORDER BY n
                        """
                    ).to_arrow_table()
                    writer.write_table(out.cast(STORE_SCHEMA))
                    written += out.num_rows
                offset += batch.num_rows
                if progress is not None:
                    progress("read", offset, 0)
            if found is None and not problems:
                problems.append(Problem(name, 1, "-", "the file holds no posts"))
    finally:
        if writer is not None:
            writer.close()
        connection.close()
    if problems:
        if len(problems) >= MAX_PROBLEMS:
            last = max(problems)
            problems.append(
                Problem(last.file, last.row, "-", f"stopped after {MAX_PROBLEMS} problems")
            )
        raise ImportRefused(problems)
    return written


def store_path(folder: Path) -> Path:
    return folder / "posts.parquet"


def import_posts(
    paths: Sequence[Path],
    folder: Path,
    *,
    file_names: Sequence[str] | None = None,
    column_map: dict[str, str] | None = None,
    default_channel: str | None = None,
    progress: Progress | None = None,
) -> PostsImportResult:
    """Add the files' posts to the store in `folder`; all or nothing. `default_channel` is
    the channel of posts whose file has no channel column or leaves it empty."""
    folder.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex
    incoming = folder / f".incoming-{token}.parquet"
    merged = folder / f".merged-{token}.parquet"
    store = store_path(folder)
    try:
        read = read_posts_to(
            paths,
            incoming,
            file_names=file_names,
            column_map=column_map,
            default_channel=default_channel,
            progress=progress,
        )
        if progress is not None:
            progress("write", 0, 1)
        connection = _connect()
        try:
            sources = f"SELECT *, 1 AS src, row_number() OVER () AS n FROM '{incoming}'"
            if store.exists():
                sources += f" UNION ALL SELECT *, 0 AS src, 0 AS n FROM '{store}'"
            connection.execute(
                f"CREATE TEMP TABLE incoming_keys AS SELECT DISTINCT key FROM '{incoming}'"
            )
            distinct_new = connection.execute("SELECT count(*) FROM incoming_keys").fetchone()
            already = 0
            if store.exists():
                row = connection.execute(
                    f"SELECT count(*) FROM '{store}' s SEMI JOIN incoming_keys i ON s.key = i.key"
                ).fetchone()
                already = int(row[0]) if row else 0
            columns = ", ".join(STORE_SCHEMA.names)
            connection.execute(
                f"""
                COPY (
                  SELECT {columns} FROM ({sources})
                  QUALIFY row_number() OVER (PARTITION BY key ORDER BY src DESC, n DESC) = 1
                  ORDER BY ts, key
                ) TO '{merged}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)
                """
            )
            total_row = connection.execute(f"SELECT count(*) FROM '{merged}'").fetchone()
        finally:
            connection.close()
        os.replace(merged, store)
        distinct = int(distinct_new[0]) if distinct_new else 0
        if progress is not None:
            progress("write", 1, 1)
        return PostsImportResult(
            files=len(paths),
            read=read,
            new=distinct - already,
            updated=already,
            duplicates_in_files=read - distinct,
            total=int(total_row[0]) if total_row else 0,
        )
    finally:
        incoming.unlink(missing_ok=True)
        merged.unlink(missing_ok=True)


def store_table(folder: Path, columns: Sequence[str] | None = None) -> pa.Table:
    store = store_path(folder)
    if not store.exists():
        return (
            STORE_SCHEMA.empty_table()
            if columns is None
            else STORE_SCHEMA.empty_table().select(list(columns))
        )
    return pq.read_table(store, columns=list(columns) if columns else None)
