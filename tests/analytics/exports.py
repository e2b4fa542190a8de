"""Small exports written here from the vendors' documented schemas (no real personal data)."""

from __future__ import annotations

import datetime
import json
import zipfile
from pathlib import Path
from typing import Any

# Slack timestamps are epoch seconds with microseconds, as text.
T0 = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC).timestamp()


def slack_ts(minutes: float) -> str:
    return f"{T0 + minutes * 60:.6f}"


SLACK_USERS = [
    {"id": "U01ANN", "name": "ann", "profile": {"email": "Ann@acme.example", "real_name": "A"}},
    {"id": "U02BOB", "name": "bob", "profile": {"email": "bob@acme.example"}},
    {"id": "U03CY", "name": "cy", "deleted": True, "profile": {"email": "cy@acme.example"}},
    {
        "id": "U04EXT",
        "name": "guest",
        "is_restricted": True,
        "profile": {"email": "g@other.example"},
    },
    {"id": "U05NOMAIL", "name": "nomail", "profile": {}},
    {"id": "B01BOT", "name": "deploybot", "is_bot": True, "profile": {}},
]


def write_slack_export(root: Path, *, days: dict[str, dict[str, list[Any]]] | None = None) -> Path:
    """An export folder: users, channels, dms, mpims and day files.

    `general` day 1 has a thread started by ann; bob replies the same day, cy replies the next
    day (another file); ann mentions bob; bob reacts to ann; a bot posts; cy joins.
    """
    root.mkdir(parents=True, exist_ok=True)
    (root / "users.json").write_text(json.dumps(SLACK_USERS))
    (root / "channels.json").write_text(
        json.dumps([{"id": "C01", "name": "general", "members": ["U01ANN", "U02BOB", "U03CY"]}])
    )
    (root / "dms.json").write_text(json.dumps([{"id": "D01", "members": ["U01ANN", "U03CY"]}]))
    (root / "mpims.json").write_text(
        json.dumps(
            [{"id": "G01", "name": "mpdm-ann--bob--cy-1", "members": ["U01ANN", "U02BOB", "U03CY"]}]
        )
    )
    if days is None:
        days = {
            "general": {
                "2026-01-05.json": [
                    {
                        "type": "message",
                        "subtype": "channel_join",
                        "user": "U03CY",
                        "ts": slack_ts(0),
                        "text": "<@U03CY> has joined the channel",
                    },
                    {
                        "type": "message",
                        "user": "U01ANN",
                        "ts": slack_ts(1),
                        "text": "plan?",
                        "thread_ts": slack_ts(1),
                        "reply_count": 2,
                        "reactions": [{"name": "+1", "users": ["U02BOB"], "count": 1}],
                    },
                    {
                        "type": "message",
                        "user": "U02BOB",
                        "ts": slack_ts(2),
                        "text": "yes",
                        "thread_ts": slack_ts(1),
                        "parent_user_id": "U01ANN",
                        "edited": {"user": "U02BOB", "ts": slack_ts(3)},
                    },
                    {
                        "type": "message",
                        "user": "U01ANN",
                        "ts": slack_ts(4),
                        "text": "thanks <@U02BOB>, see <#C01|general>",
                    },
                    {
                        "type": "message",
                        "subtype": "bot_message",
                        "bot_id": "B01",
                        "ts": slack_ts(5),
                        "text": "deployed",
                    },
                    {
                        "type": "message",
                        "user": "U04EXT",
                        "ts": slack_ts(6),
                        "text": "hi <@U01ANN>",
                    },
                ],
                "2026-01-06.json": [
                    {
                        "type": "message",
                        "user": "U03CY",
                        "ts": slack_ts(1440),
                        "text": "late reply",
                        "thread_ts": slack_ts(1),
                        "parent_user_id": "U01ANN",
                    },
                ],
            },
            "D01": {
                "2026-01-05.json": [
                    {"type": "message", "user": "U03CY", "ts": slack_ts(10), "text": "dm"},
                ]
            },
            "mpdm-ann--bob--cy-1": {
                "2026-01-07.json": [
                    {"type": "message", "user": "U02BOB", "ts": slack_ts(2880), "text": "group"},
                ]
            },
        }
    for folder, files in days.items():
        (root / folder).mkdir(exist_ok=True)
        for name, messages in files.items():
            (root / folder / name).write_text(json.dumps(messages, indent=1))
    return root


def zip_folder(folder: Path, target: Path, inner: str = "Acme Slack export Jan 2026") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{inner}/{path.relative_to(folder)}")
    return target


def write_exchange_trace(path: Path) -> Path:
    """Get-MessageTrace | Export-Csv from Windows PowerShell 5: a #TYPE line, US dates."""
    path.write_text(
        "#TYPE Deserialized.Microsoft.Exchange.Management.FfoReporting.MessageTrace\n"
        '"PSComputerName","RunspaceId","PSShowComputerName","Organization","MessageId",'
        '"Received","SenderAddress","RecipientAddress","Subject","Status","ToIP","FromIP",'
        '"Size","MessageTraceId","StartDate","EndDate","Index"\n'
        '"outlook.office365.com","r1","False","acme.onmicrosoft.com","<m1@acme.example>",'
        '"1/5/2026 9:01:00 AM","ann@acme.example","bob@acme.example","Budget, Q1","Delivered",'
        '"","10.0.0.1","1200","t1","1/1/2026","1/31/2026","0"\n'
        '"outlook.office365.com","r1","False","acme.onmicrosoft.com","<m1@acme.example>",'
        '"1/5/2026 9:01:01 AM","ann@acme.example","cy@acme.example","Budget, Q1","Delivered",'
        '"","10.0.0.1","1200","t2","1/1/2026","1/31/2026","1"\n'
        '"outlook.office365.com","r1","False","acme.onmicrosoft.com","<m1@acme.example>",'
        '"1/5/2026 9:01:00 AM","ann@acme.example","all@acme.example","Budget, Q1","Expanded",'
        '"","10.0.0.1","1200","t3","1/1/2026","1/31/2026","2"\n'
        '"outlook.office365.com","r1","False","acme.onmicrosoft.com","<m2@other.example>",'
        '"1/6/2026 2:00:00 PM","partner@other.example","ann@acme.example","Hello","Delivered",'
        '"","","900","t4","1/1/2026","1/31/2026","3"\n'
        '"outlook.office365.com","r1","False","acme.onmicrosoft.com","<m3@acme.example>",'
        '"1/6/2026 3:00:00 PM","bob@acme.example","ann@acme.example","Re: Budget","Failed",'
        '"","","900","t5","1/1/2026","1/31/2026","4"\n',
        encoding="utf-8",
    )
    return path
