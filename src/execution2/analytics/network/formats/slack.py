"""A Slack workspace export (Settings → Import/Export data → Export), as the zip or its folder.

The export holds `users.json`, `channels.json` (public channels), and when the plan allows,
`groups.json` (private channels), `dms.json` and `mpims.json` (direct and group messages), and
one folder per conversation with a `YYYY-MM-DD.json` file per day: a JSON array of messages
(`user`, `ts`, `thread_ts`, `subtype`, `text`, `reactions`, ...).

Interactions, one event each (channel `chat`):
- a thread reply ties the replier to the thread's author and the earlier repliers (replies may
  sit in later days' files than the message they answer);
- a mention (`<@U…>` in the text) ties the author to the mentioned;
- a reaction ties each reactor to the message's author (at the message's time: the export
  does not say when the reaction was made);
- a message in a direct or group conversation ties the author to the other members.
Messages of bots, joins, topic changes and other subtypes are skipped and counted. An edited
message counts once; a deleted thread parent (a "tombstone") ties its replies to each other
only. Slack users map to people by their profile e-mail; users without one (and ids missing
from `users.json`) become `slack:<id>` and are counted as unknown by the event reader.

Days are read by DuckDB in one vectorised scan; the text is only searched for mentions and
never leaves the query.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from execution2.analytics.network.formats.common import FormatReport, Problems, batches_of
from execution2.analytics.problems import ImportRefused

CONVERSATION_LISTS = ("channels.json", "groups.json", "dms.json", "mpims.json")
DIRECT = {"dms.json", "mpims.json"}
# Subtypes that are a person writing; every other subtype is an event of Slack's own.
PERSON_SUBTYPES = ("thread_broadcast", "file_share", "me_message", "file_comment")
READ_FIELDS = (
    "users.json: id, profile.email, is_bot, deleted",
    "conversation lists: id, name, members",
    "messages: user, ts, thread_ts, subtype, bot_id, reactions.users, mentions in text",
)
IGNORED_FIELDS = ("message text (searched for mentions only)", "files", "attachments", "blocks")
BATCH_ROWS = 1 << 18
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")


def looks_like_slack(root: Path) -> bool:
    return (root / "users.json").is_file() and (root / "channels.json").is_file()


def export_root(folder: Path) -> Path | None:
    """The folder holding `users.json`: the export itself or its one top-level folder."""
    if looks_like_slack(folder):
        return folder
    inner = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("__MACOSX")]
    if len(inner) == 1 and looks_like_slack(inner[0]):
        return inner[0]
    return None


def _load_list(root: Path, name: str, problems: Problems) -> list[Any] | None:
    path = root / name
    if not path.is_file():
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        problems.add_json(name, "$", "this is not UTF-8 text")
        return None
    except json.JSONDecodeError as error:
        problems.add_json(
            name, "$", f"not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        )
        return None
    if not isinstance(value, list):
        problems.add_json(name, "$", "expected a JSON array")
        return None
    return value


@dataclass
class _Users:
    key: dict[str, str]
    """Slack id -> the e-mail address people are matched by, or `slack:<id>`."""
    bots: set[str]


def _users(root: Path, problems: Problems, report: FormatReport) -> _Users:
    users = _load_list(root, "users.json", problems) or []
    key: dict[str, str] = {}
    bots: set[str] = {"USLACKBOT"}
    for index, user in enumerate(users):
        if not isinstance(user, dict) or not isinstance(user.get("id"), str):
            problems.add_json("users.json", f"$[{index}].id", "each user needs an id")
            continue
        profile = user.get("profile") if isinstance(user.get("profile"), dict) else {}
        if user.get("is_bot") or user.get("is_app_user"):
            bots.add(user["id"])
            continue
        email = profile.get("email") if isinstance(profile, dict) else None
        if isinstance(email, str) and email.strip():
            key[user["id"]] = email.strip().lower()
        else:
            report.count("users without an e-mail address")
            key[user["id"]] = f"slack:{user['id']}"
    return _Users(key, bots)


def _conversations(root: Path, problems: Problems) -> dict[str, tuple[bool, list[str]]]:
    """Folder name -> (direct conversation?, members)."""
    found: dict[str, tuple[bool, list[str]]] = {}
    for name in CONVERSATION_LISTS:
        listed = _load_list(root, name, problems)
        for index, conversation in enumerate(listed or []):
            if not isinstance(conversation, dict):
                problems.add_json(name, f"$[{index}]", "each conversation must be an object")
                continue
            members = conversation.get("members") or []
            if not isinstance(members, list):
                problems.add_json(name, f"$[{index}].members", "members must be a list")
                continue
            # Channels and group DMs are foldered by name, DMs by id.
            folder = conversation.get("name") or conversation.get("id")
            if isinstance(folder, str):
                found[folder] = (name in DIRECT, [m for m in members if isinstance(m, str)])
    return found


def _day_files(root: Path, conversations: dict[str, tuple[bool, list[str]]]) -> list[Path]:
    return sorted(
        path
        for folder in root.iterdir()
        if folder.is_dir() and not folder.name.startswith(("__MACOSX", "."))
        for path in folder.iterdir()
        if _DAY.match(path.name)
    )


_MESSAGES_COLUMNS = {
    "user": "VARCHAR",
    "ts": "VARCHAR",
    "thread_ts": "VARCHAR",
    "subtype": "VARCHAR",
    "bot_id": "VARCHAR",
    "text": "VARCHAR",
    "reactions": "STRUCT(name VARCHAR, users VARCHAR[])[]",
}


def _name_broken_files(root: Path, files: list[Path], problems: Problems) -> None:
    """Only for a refused export: which day files are not JSON arrays of messages."""
    for path in files:
        name = str(path.relative_to(root))
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            problems.add_json(name, "$", "this is not UTF-8 text")
            continue
        except json.JSONDecodeError as error:
            problems.add_json(
                name,
                "$",
                f"not valid JSON ({error.msg} at line {error.lineno}, column {error.colno}); "
                "is the file cut short?",
            )
            continue
        if not isinstance(value, list):
            problems.add_json(name, "$", "a day's file must be a JSON array of messages")
            continue
        for index, message in enumerate(value):
            if not isinstance(message, dict):
                problems.add_json(name, f"$[{index}]", "each message must be a JSON object")
                continue
            ts = message.get("ts")
            try:
                float(ts)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                problems.add_json(name, f"$[{index}].ts", f"{ts!r} is not a Slack timestamp")


def slack_batches(
    root: Path, problems: Problems, report: FormatReport, temp_dir: Path
) -> Iterator[pa.RecordBatch]:
    """The export's interactions as event batches: timestamp, sender, recipients, channel."""
    users = _users(root, problems, report)
    conversations = _conversations(root, problems)
    files = _day_files(root, conversations)
    if problems:
        raise ImportRefused(problems.finish())
    if not files:
        problems.add_json("", "$", "the export holds no day files of messages")
        raise ImportRefused(problems.finish())
    report.read_fields = READ_FIELDS
    report.ignored_fields = IGNORED_FIELDS
    connection = duckdb.connect(config={"temp_directory": str(temp_dir)})
    try:
        yield from _query(connection, root, files, users, conversations, problems, report)
    finally:
        connection.close()


def _query(
    connection: duckdb.DuckDBPyConnection,
    root: Path,
    files: list[Path],
    users: _Users,
    conversations: dict[str, tuple[bool, list[str]]],
    problems: Problems,
    report: FormatReport,
) -> Iterator[pa.RecordBatch]:
    connection.execute("SET TimeZone='UTC'")
    connection.register(
        "users",
        pa.table({"id": list(users.key), "person": list(users.key.values())}),
    )
    connection.register("bots", pa.table({"id": sorted(users.bots)}))
    direct = [
        (folder, members) for folder, (is_direct, members) in conversations.items() if is_direct
    ]
    connection.register(
        "direct",
        pa.table(
            {
                "conv": [f for f, _ in direct],
                "members": pa.array([m for _, m in direct], pa.list_(pa.string())),
            }
        ),
    )
    try:
        connection.execute(
            """
            CREATE TEMP TABLE raw AS
            SELECT parse_filename(parse_dirpath(filename)) AS conv,
                   "user" AS author, TRY_CAST(ts AS DOUBLE) AS ts, ts AS ts_text,
                   TRY_CAST(thread_ts AS DOUBLE) AS thread_ts, subtype, bot_id,
                   regexp_extract_all(COALESCE(text, ''), '<@([UW][A-Z0-9]+)', 1) AS mentions,
                   reactions
            FROM read_json(?, format = 'array', filename = true, columns = ?,
                           maximum_object_size = 67108864)
            """,
            [[str(f) for f in files], _MESSAGES_COLUMNS],
        )
    except duckdb.Error as error:
        _name_broken_files(root, files, problems)
        if not problems:
            problems.add_json("", "$", f"unreadable export: {str(error).splitlines()[0]}")
        raise ImportRefused(problems.finish()) from None
    bad_ts = connection.execute("SELECT count(*) FROM raw WHERE ts IS NULL").fetchone()
    if bad_ts and bad_ts[0]:
        _name_broken_files(root, files, problems)
        raise ImportRefused(problems.finish())
    report.items_read = int(connection.execute("SELECT count(*) FROM raw").fetchone()[0])  # type: ignore[index]
    for kind, count in connection.execute(
        f"""
        SELECT CASE WHEN subtype = 'tombstone' THEN 'deleted messages'
                    WHEN bot_id IS NOT NULL OR subtype = 'bot_message'
                      OR author IN (SELECT id FROM bots) THEN 'bot messages'
                    ELSE subtype END, count(*)
        FROM raw
        WHERE bot_id IS NOT NULL OR author IS NULL OR author IN (SELECT id FROM bots)
           OR (subtype IS NOT NULL AND subtype NOT IN {PERSON_SUBTYPES})
        GROUP BY ALL
        """
    ).fetchall():
        report.count(f"skipped: {kind or 'messages without an author'}", int(count))
    # People's messages; a thread's parent keeps its author even when it was deleted, so
    # replies still find each other.
    connection.execute(
        f"""
        CREATE TEMP TABLE messages AS
        SELECT conv, author, ts, COALESCE(thread_ts, ts) AS thread, mentions, reactions
        FROM raw
        WHERE bot_id IS NULL AND author IS NOT NULL AND author NOT IN (SELECT id FROM bots)
          AND (subtype IS NULL OR subtype IN {PERSON_SUBTYPES})
        """
    )
    report.count(
        "messages by people",
        int(connection.execute("SELECT count(*) FROM messages").fetchone()[0]),  # type: ignore[index]
    )
    reader = connection.execute(
        """
        WITH threaded AS (
            SELECT m.*,
                   list(author) OVER (
                       PARTITION BY conv, thread ORDER BY ts
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
                   ) AS earlier
            FROM messages m
        ),
        ties AS (
            SELECT t.ts, t.author,
                   list_concat(
                       CASE WHEN t.ts <> t.thread THEN COALESCE(t.earlier, []) ELSE [] END,
                       t.mentions,
                       COALESCE(d.members, [])
                   ) AS others
            FROM threaded t LEFT JOIN direct d USING (conv)
            UNION ALL
            SELECT m.ts, unnest(m.r.users) AS author, [m.author] AS others
            FROM (SELECT ts, author, unnest(reactions) AS r FROM messages
                  WHERE reactions IS NOT NULL) m
        ),
        events AS (
            SELECT row_number() OVER () AS event, ts, author,
                   list_filter(list_distinct(others), lambda x: x <> author) AS others
            FROM ties
            WHERE author NOT IN (SELECT id FROM bots)
        ),
        flat AS (
            SELECT event, unnest(others) AS other FROM events
        )
        SELECT to_timestamp(any_value(e.ts)) AS timestamp,
               any_value(COALESCE(s.person, 'slack:' || e.author)) AS sender,
               list(COALESCE(u.person, 'slack:' || f.other)) AS recipients,
               'chat' AS channel
        FROM events e
        JOIN flat f USING (event)
        LEFT JOIN users u ON u.id = f.other
        LEFT JOIN users s ON s.id = e.author
        WHERE f.other NOT IN (SELECT id FROM bots)
        GROUP BY e.event
        """
    ).to_arrow_reader(BATCH_ROWS)
    yield from batches_of(reader)
