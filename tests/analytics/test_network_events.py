"""Reading event files: formats, matching people, and naming the rows that are wrong."""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from execution2.analytics.network import PeopleKeys, pseudonym, read_events
from execution2.analytics.problems import ImportRefused
from execution2.analytics.synth import generate_organization
from execution2.analytics.synth.network import generate_events, plant_contacts

FAR_PAST = np.iinfo(np.int64).min
FAR_FUTURE = np.iinfo(np.int64).max
JAN_2026 = int(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC).timestamp())


def keys(start: list[int] | None = None, end: list[int] | None = None) -> PeopleKeys:
    return PeopleKeys(
        person_ids=np.array([10, 20, 30], dtype=np.int64),
        external_ids=["E1", "E2", "E3"],
        emails=["ann@acme.example", "", "cy@acme.example"],
        start_s=np.array(start or [FAR_PAST] * 3, dtype=np.int64),
        end_s=np.array(end or [FAR_FUTURE] * 3, dtype=np.int64),
    )


def staged(folder: Path) -> dict[str, list[object]]:
    """The staged rows, month by month."""
    files = sorted(folder.glob("*.parquet"))
    return pa.concat_tables([pq.read_table(f) for f in files]).to_pydict()


def test_a_csv_file_is_exploded_to_one_row_per_recipient(tmp_path: Path) -> None:
    source = tmp_path / "events.csv"
    source.write_text(
        "Timestamp,Sender,Recipients,Channel,Duration Minutes\n"
        "2026-01-05T09:30:00Z,E1,E2; cy@acme.example,email,\n"
        "2026-01-05 10:30:00+01:00,ANN@acme.example,E2,Meeting,30\n"
        "\n"
        "2026-01-06,E2,E1,chat,\n",
        encoding="utf-8",
    )
    report = read_events(source, people=keys(), staging=tmp_path / "out")
    rows = staged(tmp_path / "out")
    assert report.events == 3
    assert report.interactions == 4
    assert rows["sender"] == [10, 10, 10, 20]
    assert rows["recipient"] == [20, 30, 20, 10]
    assert rows["channel"] == [0, 0, 2, 1]
    assert rows["duration_minutes"] == [None, None, 30.0, None]
    # 10:30 at +01:00 is 09:30 UTC; a bare date is midnight UTC.
    assert rows["ts"][2] == rows["ts"][0] == JAN_2026 + 4 * 86400 + 9 * 3600 + 1800
    assert rows["ts"][3] == JAN_2026 + 5 * 86400


def test_json_lines_and_parquet_give_the_same_rows_as_csv(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(
        "timestamp,sender,recipients,channel,weight\n2026-01-05T09:30:00Z,E1,E2;E3,email,2\n",
        encoding="utf-8",
    )
    (tmp_path / "a.jsonl").write_text(
        '{"timestamp": "2026-01-05T09:30:00Z", "sender": "E1", "recipients": ["E2", "E3"], '
        '"channel": "email", "weight": 2}\n',
        encoding="utf-8",
    )
    pq.write_table(
        pa.table(
            {
                "timestamp": pa.array(
                    [datetime.datetime(2026, 1, 5, 9, 30, tzinfo=datetime.UTC)],
                    pa.timestamp("ms", tz="UTC"),
                ),
                "sender": ["E1"],
                "recipients": [["E2", "E3"]],
                "channel": ["email"],
                "weight": [2.0],
            }
        ),
        tmp_path / "a.parquet",
    )
    results = []
    for name in ("a.csv", "a.jsonl", "a.parquet"):
        read_events(tmp_path / name, people=keys(), staging=tmp_path / f"{name}.out")
        results.append(staged(tmp_path / f"{name}.out"))
    assert results[0] == results[1] == results[2]
    assert results[0]["weight"] == [2.0, 2.0]


def test_every_bad_row_is_named_with_its_row_and_column(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(
        "timestamp,sender,recipients,channel,weight\n"
        "2026-01-05T09:30:00Z,E1,E2,email,\n"
        "yesterday,E1,E2,email,\n"
        "2026-01-05T09:30:00Z,,E2,email,\n"
        "2026-01-05T09:30:00Z,E1,,email,\n"
        "2026-01-05T09:30:00Z,E1,E2,fax,\n"
        "2026-01-05T09:30:00Z,E1,E2,chat,-3\n"
        "2026-02-30T09:30:00Z,E1,E2,chat,\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRefused) as refused:
        read_events(source, people=keys(), staging=tmp_path / "out", file_name="bad.csv")
    lines = [str(p) for p in refused.value.problems]
    assert lines == [
        "bad.csv:3:timestamp: not a date and time; write it as 2026-01-31T09:30:00Z (ISO 8601)",
        "bad.csv:4:sender: sender is blank",
        "bad.csv:5:recipients: no recipients; separate several with ;",
        "bad.csv:6:channel: channel must be one of email, chat, meeting, call, other",
        "bad.csv:7:weight: weight must be a number of 0 or more",
        "bad.csv:8:timestamp: not a date and time; write it as 2026-01-31T09:30:00Z (ISO 8601)",
    ]


def test_missing_columns_and_wrong_cell_counts_are_refused(tmp_path: Path) -> None:
    source = tmp_path / "cols.csv"
    source.write_text("timestamp,from,recipients\n2026-01-05,E1,E2\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        read_events(source, people=keys(), staging=tmp_path / "o", file_name="cols.csv")
    assert [(p.row, p.column) for p in refused.value.problems] == [
        (1, "channel"),
        (1, "sender"),
    ]
    ragged = tmp_path / "ragged.csv"
    ragged.write_text(
        "timestamp,sender,recipients,channel\n2026-01-05,E1,E2,chat\n2026-01-05,E1,E2,chat,x\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRefused) as refused:
        read_events(ragged, people=keys(), staging=tmp_path / "o", file_name="r.csv")
    assert [str(p) for p in refused.value.problems] == ["r.csv:3:-: expected 4 cells, found 5"]


def test_json_lines_with_a_string_for_recipients_name_the_line(tmp_path: Path) -> None:
    source = tmp_path / "e.jsonl"
    source.write_text(
        '{"timestamp": "2026-01-05", "sender": "E1", "recipients": ["E2"], "channel": "chat"}\n'
        '{"timestamp": "2026-01-05", "sender": "E1", "recipients": "E2", "channel": "chat"}\n',
        encoding="utf-8",
    )
    with pytest.raises(ImportRefused) as refused:
        read_events(source, people=keys(), staging=tmp_path / "o", file_name="e.jsonl")
    assert [(p.row, p.column) for p in refused.value.problems] == [(2, "recipients")]


def test_unknown_people_are_counted_with_a_sample_and_left_out(tmp_path: Path) -> None:
    source = tmp_path / "events.csv"
    source.write_text(
        "timestamp,sender,recipients,channel\n"
        "2026-01-05T09:00:00Z,E1,E2;X9;X8,email\n"
        "2026-01-05T09:00:00Z,X7,E2,email\n"
        "2026-01-05T09:00:00Z,E3,E3,email\n",
        encoding="utf-8",
    )
    report = read_events(source, people=keys(), staging=tmp_path / "out")
    assert report.unknown_people == 3
    assert report.unknown_sample == ("X7", "X8", "X9")
    assert report.events_with_unknown_sender == 1
    assert report.self_addressed == 1
    assert staged(tmp_path / "out")["recipient"] == [20]


def test_events_outside_employment_are_reported(tmp_path: Path) -> None:
    source = tmp_path / "events.csv"
    source.write_text(
        "timestamp,sender,recipients,channel\n"
        "2025-12-31T09:00:00Z,E1,E2,email\n"
        "2026-01-02T09:00:00Z,E1,E2,email\n"
        "2026-01-02T09:00:00Z,E1,E3,email\n",
        encoding="utf-8",
    )
    started_2026 = keys(
        start=[FAR_PAST, JAN_2026, FAR_PAST], end=[FAR_FUTURE, FAR_FUTURE, JAN_2026]
    )
    report = read_events(source, people=started_2026, staging=tmp_path / "out")
    # E2 started on 1 January 2026 (row 2 is before); E3 left on 1 January (row 4 is after).
    assert report.outside_employment == 2
    assert report.interactions == 3


def test_pseudonymised_ids_match_the_keyed_hash_of_id_or_email(tmp_path: Path) -> None:
    key = b"shared secret"
    source = tmp_path / "hashed.csv"
    source.write_text(
        "timestamp,sender,recipients,channel\n"
        f"2026-01-05T09:00:00Z,{pseudonym(key, 'E1')},{pseudonym(key, 'cy@acme.example')},chat\n"
        f"2026-01-05T09:00:00Z,E1,E2,chat\n",
        encoding="utf-8",
    )
    report = read_events(source, people=keys(), staging=tmp_path / "o", pseudonym_key=key)
    assert staged(tmp_path / "o")["recipient"] == [30]
    assert report.unknown_people == 2  # raw ids are not accepted in a pseudonymised file


def test_the_synthetic_events_are_reproducible_and_planted_as_described() -> None:
    company = generate_organization(people=300, seed=5)
    first = pa.concat_tables(generate_events(company, seed=5, days=90))
    again = pa.concat_tables(generate_events(company, seed=5, days=90))
    assert first.equals(again)
    assert 0.9 * 100 * 300 <= first.num_rows <= 100 * 300
    contacts = plant_contacts(company, 5)
    assert contacts.siloed == ("Finance",)
    assert len(contacts.isolates) > 0
    isolated_ids = {company.people[i].external_id for i in contacts.isolates}
    senders = set(first["sender"].to_pylist())
    recipients = {r for rs in first["recipients"].to_pylist() for r in rs}
    assert not isolated_ids & (senders | recipients)
    weekday = np.array([t.weekday() for t in first["timestamp"].to_pylist()], dtype=np.int64)
    per_day = np.bincount(weekday, minlength=7)
    assert per_day[:5].min() > 5 * per_day[5:].max()  # busy weekdays, quiet weekends
    assert set(first["channel"].to_pylist()) <= {"email", "chat", "meeting", "call"}


def test_only_the_siloed_function_keeps_its_contacts_inside() -> None:
    company = generate_organization(people=600, seed=7)
    contacts = plant_contacts(company, 7)
    heads = np.repeat(np.arange(len(company.people)), np.diff(contacts.indptr))
    crossing = contacts.function[heads] != contacts.function[contacts.indices]
    names = contacts.function_names
    outside = {
        names[f]: float(crossing[contacts.function[heads] == f].mean())
        for f in np.unique(contacts.function[heads]).tolist()
        if names[f] != "Executive Office"
    }
    walled = {name for name, share in outside.items() if share < 0.1}  # E-I below -0.8
    assert walled == {"Finance"} == set(contacts.siloed)
    assert outside["Finance"] < 0.02  # only the head's line to the top leaves it


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    source = tmp_path / "latin.csv"
    source.write_bytes(
        b"timestamp,sender,recipients,channel\n2026-01-05,E1,E2,chat\n2026-01-05,E1,Jos\xe9,chat\n"
    )
    with pytest.raises(ImportRefused) as refused:
        read_events(source, people=keys(), staging=tmp_path / "o", file_name="latin.csv")
    assert [str(p) for p in refused.value.problems] == [
        "latin.csv:3:-: this line is not UTF-8 text; save the file as UTF-8"
    ]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("h.csv", b"timestamp,sender,recipients,channel\n", "h.csv:2:-: the file has no events"),
        ("e.csv", b"", "e.csv:1:-: the file is empty"),
        ("x.xlsx", b"PK", "x.xlsx:0:-: name the file .csv, .jsonl or .parquet"),
        ("g.parquet", b"garbage", "g.parquet:1:-: not a readable Parquet file"),
    ],
)
def test_empty_and_unreadable_files_are_refused_in_plain_words(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    with pytest.raises(ImportRefused) as refused:
        read_events(source, people=keys(), staging=tmp_path / "o", file_name=name)
    assert str(refused.value.problems[0]).startswith(expected)
