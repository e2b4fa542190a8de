"""Reading listening-tool exports into the Parquet store: formats, problems, de-duplication."""

from __future__ import annotations

import datetime
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from execution2.analytics.listening.posts import import_posts, store_table
from execution2.analytics.problems import ImportRefused

UTC = datetime.UTC


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_json_lines_and_parquet_land_in_one_store(tmp_path):
    csv_file = write(
        tmp_path / "a.csv",
        'id,Text,Timestamp,Channel,Likes,Shares\n1,"I love Acme",2026-01-05T10:00:00Z,Twitter,3,1\n'
        '2,"Acme, why?\nso slow",2026-01-05T12:00:00+02:00,forum,0,0\n',
    )
    jsonl = write(
        tmp_path / "b.jsonl",
        json.dumps(
            {"message": "news about acme", "date": 1767610800, "source": "news", "engagement": 7}
        )
        + "\n",
    )
    parquet = tmp_path / "c.parquet"
    pq.write_table(
        pa.table(
            {
                "text": ["five stars"],
                "timestamp": ["Mon Jan 05 13:00:00 +0000 2026"],
                "channel": ["review"],
                "rating": [5.0],
            }
        ),
        parquet,
    )
    result = import_posts([csv_file, jsonl, parquet], tmp_path / "store")
    assert (result.read, result.new, result.total) == (4, 4, 4)
    rows = {r["text"]: r for r in store_table(tmp_path / "store").to_pylist()}
    assert rows["I love Acme"]["engagement"] == 4  # likes + shares
    assert rows["I love Acme"]["channel"] == "twitter"
    assert rows["Acme, why?\nso slow"]["ts"] == datetime.datetime(2026, 1, 5, 10, tzinfo=UTC)
    assert rows["news about acme"]["ts"] == datetime.datetime(2026, 1, 5, 11, tzinfo=UTC)
    assert rows["five stars"]["ts"] == datetime.datetime(2026, 1, 5, 13, tzinfo=UTC)
    assert rows["five stars"]["rating"] == 5.0


def test_posts_are_kept_once_by_id_or_by_channel_author_time_and_text(tmp_path):
    first = write(
        tmp_path / "a.csv",
        "id,text,timestamp,channel,author,engagement\n"
        "x1,hello,2026-01-05 10:00,twitter,ana,1\n"
        ",no id,2026-01-05 11:00,forum,bo,0\n"
        ",no id,2026-01-05 11:00,forum,bo,0\n",
    )
    result = import_posts([first], tmp_path / "store")
    assert (result.read, result.new, result.duplicates_in_files, result.total) == (3, 2, 1, 2)
    again = write(
        tmp_path / "b.csv",
        "id,text,timestamp,channel,author,engagement\n"
        "x1,hello (edited),2026-01-05 10:00,twitter,ana,9\n"
        ",no id,2026-01-05 11:00,forum,bo,0\n"
        ",no id,2026-01-05 11:00,forum,someone else,0\n",
    )
    result = import_posts([again], tmp_path / "store")
    assert (result.new, result.updated, result.total) == (1, 2, 3)
    rows = store_table(tmp_path / "store").to_pylist()
    assert [r["engagement"] for r in rows if r["id"] == "x1"] == [9]  # the newest import wins


def test_every_problem_is_reported_with_file_row_and_column_and_nothing_is_stored(tmp_path):
    good = write(tmp_path / "good.csv", "text,timestamp,channel\nfine,2026-01-05,twitter\n")
    bad = write(
        tmp_path / "bad.csv",
        "text;timestamp;channel;engagement\nhello;yesterday;twitter;x\n;2026-01-05;;3\n",
    )
    with pytest.raises(ImportRefused) as refused:
        import_posts([good, bad], tmp_path / "store")
    found = {(p.file, p.row, p.column) for p in refused.value.problems}
    assert found == {
        (str(bad), 2, "timestamp"),
        (str(bad), 2, "engagement"),
        (str(bad), 3, "text"),
        (str(bad), 3, "channel"),
    }
    assert not (tmp_path / "store" / "posts.parquet").exists()
    assert list((tmp_path / "store").iterdir()) == []


def test_a_file_without_the_required_columns_is_refused_at_its_header(tmp_path):
    missing = write(tmp_path / "m.csv", "body,when\nhello,2026-01-05\n")
    with pytest.raises(ImportRefused) as refused:
        import_posts([missing], tmp_path / "store")
    assert [(p.row, p.column) for p in refused.value.problems] == [(1, "channel"), (1, "timestamp")]


def test_a_broken_json_file_is_refused_in_plain_words(tmp_path):
    broken = write(tmp_path / "x.jsonl", '{"text": "a", "timestamp": "2026-01-05"\n')
    with pytest.raises(ImportRefused) as refused:
        import_posts([broken], tmp_path / "store")
    assert "unreadable JSONL file" in refused.value.problems[0].message


def test_a_json_array_export_is_read_too(tmp_path):
    export = write(
        tmp_path / "export.json",
        json.dumps(
            [
                {
                    "id": 7,
                    "text": "hi acme",
                    "timestamp": "2026-01-05T10:00:00Z",
                    "channel": "forum",
                },
                {"id": 8, "text": "bye", "timestamp": "2026-01-06T10:00:00Z", "channel": "news"},
            ]
        ),
    )
    assert import_posts([export], tmp_path / "store").total == 2
    assert store_table(tmp_path / "store").column("id").to_pylist() == ["7", "8"]


def test_other_tools_headers_are_understood_and_our_own_names_win(tmp_path):
    export = write(
        tmp_path / "brandwatch.csv",
        "Tweet Id,Tweet,Text,Created,Screen Name,Retweet Count,Like Count\n"
        "9,the tweet column,the text column,2026-01-05 10:00,ana,2,3\n",
    )
    import_posts([export], tmp_path / "store", default_channel="Twitter")
    row = store_table(tmp_path / "store").to_pylist()[0]
    assert row["text"] == "the text column"  # `Text` is ours; `Tweet` is only an alias
    assert (row["id"], row["author"], row["engagement"], row["channel"]) == (
        "9",
        "ana",
        5,
        "twitter",
    )


def test_a_column_map_overrides_everything(tmp_path):
    export = write(tmp_path / "x.csv", "text,Body,when,src\nignored,wanted,2026-01-05,forum\n")
    import_posts(
        [export],
        tmp_path / "store",
        column_map={"text": "Body", "timestamp": "when", "channel": "src"},
    )
    assert store_table(tmp_path / "store").column("text").to_pylist() == ["wanted"]


def test_without_a_channel_column_the_default_channel_is_needed(tmp_path):
    export = write(tmp_path / "x.csv", "text,timestamp\nhello,2026-01-05\n")
    with pytest.raises(ImportRefused) as refused:
        import_posts([export], tmp_path / "store")
    assert refused.value.problems[0].column == "channel"
    assert import_posts([export], tmp_path / "store", default_channel="forum").total == 1
