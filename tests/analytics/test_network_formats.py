"""Reading the exports collaboration systems make: Slack and Exchange message traces."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from execution2.analytics.network import PeopleKeys, read_events
from execution2.analytics.network.formats import detect_format
from execution2.analytics.problems import ImportRefused
from tests.analytics.exports import (
    T0,
    write_exchange_trace,
    write_slack_export,
    zip_folder,
)

ANN, BOB, CY = 10, 20, 30


def keys() -> PeopleKeys:
    return PeopleKeys(
        person_ids=np.array([ANN, BOB, CY], dtype=np.int64),
        external_ids=["E1", "E2", "E3"],
        emails=["ann@acme.example", "bob@acme.example", "cy@acme.example"],
        start_s=np.full(3, np.iinfo(np.int64).min, dtype=np.int64),
        end_s=np.full(3, np.iinfo(np.int64).max, dtype=np.int64),
    )


def staged_pairs(folder: Path) -> list[tuple[int, int, int]]:
    """(seconds after T0, sender, recipient), sorted."""
    table = pa.concat_tables([pq.read_table(f) for f in sorted(folder.glob("*.parquet"))])
    rows = table.to_pydict()
    return sorted(
        (int(ts - T0), s, r)
        for ts, s, r in zip(rows["ts"], rows["sender"], rows["recipient"], strict=True)
    )


def test_a_slack_export_folder_is_detected_and_read_as_threads_mentions_reactions_and_dms(
    tmp_path: Path,
) -> None:
    export = write_slack_export(tmp_path / "export")
    assert detect_format(export) == "slack"
    report = read_events(export, people=keys(), staging=tmp_path / "out")
    minute = 60
    assert staged_pairs(tmp_path / "out") == [
        (1 * minute, BOB, ANN),  # bob's reaction to ann's thread start
        (2 * minute, BOB, ANN),  # bob replies to ann's thread
        (4 * minute, ANN, BOB),  # ann mentions bob
        (10 * minute, CY, ANN),  # a direct message
        # cy's reply a day later, in the next day's file: to the author and bob, who replied
        (1440 * minute, CY, ANN),
        (1440 * minute, CY, BOB),
        (2880 * minute, BOB, ANN),  # a group DM ties the author to every other member
        (2880 * minute, BOB, CY),
    ]
    assert report.source is not None
    assert report.source.source_format == "slack"
    assert report.source.counts["skipped: bot messages"] == 1
    assert report.source.counts["skipped: channel_join"] == 1
    assert report.source.counts["users without an e-mail address"] == 1
    # The guest (an address outside the organization) is counted, not silently dropped.
    assert report.unknown_people == 1
    assert report.unknown_sample == ("g@other.example",)


def test_a_zipped_slack_export_with_a_top_folder_reads_the_same(tmp_path: Path) -> None:
    folder = write_slack_export(tmp_path / "export")
    archive = zip_folder(folder, tmp_path / "slack.zip")
    assert detect_format(archive) == "slack"
    read_events(folder, people=keys(), staging=tmp_path / "a")
    read_events(archive, people=keys(), staging=tmp_path / "b", file_name="slack.zip")
    assert staged_pairs(tmp_path / "a") == staged_pairs(tmp_path / "b")


def test_a_deleted_thread_parent_still_ties_its_replies_to_each_other(tmp_path: Path) -> None:
    def ts(minutes: int) -> str:
        return f"{T0 + minutes * 60:.6f}"

    days = {
        "general": {
            "2026-01-05.json": [
                {
                    "type": "message",
                    "subtype": "tombstone",
                    "user": "USLACKBOT",
                    "ts": ts(1),
                    "thread_ts": ts(1),
                    "text": "This message was deleted.",
                },
                {"user": "U02BOB", "ts": ts(2), "thread_ts": ts(1), "text": "a"},
                {"user": "U03CY", "ts": ts(3), "thread_ts": ts(1), "text": "b"},
            ]
        }
    }
    export = write_slack_export(tmp_path / "export", days=days)
    report = read_events(export, people=keys(), staging=tmp_path / "out")
    assert staged_pairs(tmp_path / "out") == [(180, CY, BOB)]
    assert report.source is not None
    assert report.source.counts["skipped: deleted messages"] == 1


def test_a_truncated_slack_day_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    export = write_slack_export(tmp_path / "export")
    day = export / "general" / "2026-01-06.json"
    day.write_text(day.read_text()[:40])
    with pytest.raises(ImportRefused) as refused:
        read_events(export, people=keys(), staging=tmp_path / "out", file_name="export")
    lines = [str(p) for p in refused.value.problems]
    assert len(lines) == 1
    assert lines[0].startswith("export/general/2026-01-06.json:$: not valid JSON (")
    assert "cut short" in lines[0]


def test_a_slack_user_without_an_id_is_refused_with_its_json_path(tmp_path: Path) -> None:
    export = write_slack_export(tmp_path / "export")
    users = json.loads((export / "users.json").read_text())
    users[2].pop("id")
    (export / "users.json").write_text(json.dumps(users))
    with pytest.raises(ImportRefused) as refused:
        read_events(export, people=keys(), staging=tmp_path / "out", file_name="export")
    assert [str(p) for p in refused.value.problems] == [
        "export/users.json:$[2].id: each user needs an id"
    ]


def test_a_message_with_an_unreadable_timestamp_is_named_by_file_and_path(tmp_path: Path) -> None:
    days = {"general": {"2026-01-05.json": [{"user": "U01ANN", "ts": "yesterday", "text": "x"}]}}
    export = write_slack_export(tmp_path / "export", days=days)
    with pytest.raises(ImportRefused) as refused:
        read_events(export, people=keys(), staging=tmp_path / "out", file_name="export")
    assert [str(p) for p in refused.value.problems] == [
        "export/general/2026-01-05.json:$[0].ts: 'yesterday' is not a Slack timestamp"
    ]


def test_an_exchange_trace_makes_one_event_per_message_and_skips_expanded_and_failed(
    tmp_path: Path,
) -> None:
    trace = write_exchange_trace(tmp_path / "MessageTrace.csv")
    assert detect_format(trace) == "exchange-trace"
    report = read_events(trace, people=keys(), staging=tmp_path / "out")
    assert staged_pairs(tmp_path / "out") == [(60, ANN, BOB), (60, ANN, CY)]
    assert report.events == 2  # m1 to bob and cy is one event; the partner's mail is another
    assert report.events_with_unknown_sender == 1
    assert report.unknown_sample == ("partner@other.example",)
    assert report.source is not None
    assert report.source.items_read == 5
    assert report.source.counts == {
        "skipped: recipients with status expanded": 1,
        "skipped: recipients with status failed": 1,
    }
    assert "Subject" in report.source.ignored_fields
    assert "Subject" not in report.source.read_fields


def test_an_exchange_trace_row_with_a_bad_date_is_refused_with_its_line(tmp_path: Path) -> None:
    trace = write_exchange_trace(tmp_path / "t.csv")
    trace.write_text(trace.read_text().replace("1/6/2026 2:00:00 PM", "soon"))
    with pytest.raises(ImportRefused) as refused:
        read_events(trace, people=keys(), staging=tmp_path / "out", file_name="t.csv")
    assert [str(p) for p in refused.value.problems] == [
        "t.csv:6:Received: 'soon' is not a date and time like 2026-01-15T09:30:12"
    ]


def test_the_format_can_be_forced_and_a_wrong_choice_is_refused_plainly(tmp_path: Path) -> None:
    events = tmp_path / "events.csv"
    events.write_text("timestamp,sender,recipients,channel\n2026-01-05,E1,E2,email\n")
    with pytest.raises(ImportRefused) as refused:
        read_events(events, people=keys(), staging=tmp_path / "out", source_format="exchange-trace")
    assert str(refused.value.problems[0]).startswith(str(events) + ":1:-: not a message trace")


def test_slack_dms_and_an_exchange_trace_of_the_same_collaboration_give_the_same_ties(
    tmp_path: Path,
) -> None:
    def ts(minutes: int) -> str:
        return f"{T0 + minutes * 60:.6f}"

    days = {
        "D01": {
            "2026-01-05.json": [
                {"user": "U01ANN", "ts": ts(1), "text": "a"},
                {"user": "U03CY", "ts": ts(2), "text": "b"},
            ]
        },
    }
    slack = write_slack_export(tmp_path / "export", days=days)
    trace = tmp_path / "trace.csv"
    trace.write_text(
        "Received,SenderAddress,RecipientAddress,MessageId,Status\n"
        f"{datetime.datetime.fromtimestamp(T0 + 60, datetime.UTC):%Y-%m-%dT%H:%M:%S},"
        "ann@acme.example,cy@acme.example,<1@x>,Delivered\n"
        f"{datetime.datetime.fromtimestamp(T0 + 120, datetime.UTC):%Y-%m-%dT%H:%M:%S},"
        "cy@acme.example,ann@acme.example,<2@x>,Delivered\n"
    )
    read_events(slack, people=keys(), staging=tmp_path / "s")
    read_events(trace, people=keys(), staging=tmp_path / "t")
    assert (
        staged_pairs(tmp_path / "s")
        == staged_pairs(tmp_path / "t")
        == [
            (60, ANN, CY),
            (120, CY, ANN),
        ]
    )
