"""Importing event files into an organization and analysing them, through services and CLI."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from execution2.cli import cli
from execution2.core.tabular import ImportRefused
from execution2.network import store
from execution2.network.models import EventImport, EventStore, NetworkSnapshot
from execution2.network.services import events_import, network_analyze
from execution2.orgs.models import AuditEvent

# The shared small organization: 1 Ada (CEO), 2 Bram and 5 Eve report to her, 3 Chloé and
# 4 Dário to Bram (Marketing), 6 Finn to Eve (Engineering).
EVENTS = """timestamp,sender,recipients,channel
2026-01-05T09:00:00Z,1,2;5,email
2026-01-05T10:00:00Z,2,1,email
2026-01-06T09:00:00Z,2,3;4,meeting
2026-01-06T11:00:00Z,3,2,chat
2026-01-07T09:00:00Z,4,2,chat
2026-01-07T09:30:00Z,5,1;6,email
2026-01-08T09:00:00Z,6,5,chat
2026-01-08T09:30:00Z,eve@acme.example,finn@acme.example,call
2026-01-09T09:00:00Z,3,4,chat
2026-01-09T09:30:00Z,4,3,chat
"""


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture
def acme(
    make_org: Callable[..., Any], import_people: Callable[..., Any], small_org_csv: str
) -> Any:
    organization = make_org("acme", "Acme")
    import_people(organization, small_org_csv)
    return organization


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def stored_rows(organization: Any) -> int:
    current = EventStore.objects.get(organization=organization)
    connection = store.connect()
    folder = store.generation_dir(organization.pk, current.generation)
    count = connection.execute(
        f"SELECT count(*) FROM read_parquet('{folder}/month=*/*.parquet')"
    ).fetchone()
    return int(count[0]) if count else 0


def test_an_import_stores_one_row_per_recipient_and_a_reimport_adds_nothing(
    acme: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    path = write(tmp_path, "events.csv", EVENTS)
    first = events_import(organization=acme, source=path)
    assert first.record.events == 10
    assert first.record.interactions_added == 13
    assert stored_rows(acme) == 13
    generation = EventStore.objects.get(organization=acme).generation
    with django_capture_on_commit_callbacks(execute=True):
        again = events_import(organization=acme, source=path)
    assert again.record.interactions_added == 0
    assert again.interactions_total == 13
    assert stored_rows(acme) == 13
    # The previous generation's files are gone once the new one is current.
    assert not store.generation_dir(acme.pk, generation).exists()
    assert AuditEvent.objects.filter(organization=acme, action="network.import").count() == 2


def test_a_second_file_adds_only_its_new_events(acme: Any, tmp_path: Path) -> None:
    events_import(organization=acme, source=write(tmp_path, "a.csv", EVENTS))
    more = (
        EVENTS.splitlines()[0]
        + "\n"
        + "\n".join([*EVENTS.splitlines()[1:3], "2026-02-02T09:00:00Z,6,1,email"])
    )
    result = events_import(organization=acme, source=write(tmp_path, "b.csv", more))
    assert result.record.interactions_added == 1
    assert stored_rows(acme) == 14


def test_a_broken_file_is_refused_with_the_row_named_and_the_data_left_as_it_was(
    acme: Any, tmp_path: Path
) -> None:
    events_import(organization=acme, source=write(tmp_path, "good.csv", EVENTS))
    before = EventStore.objects.get(organization=acme)
    broken = EVENTS + "2026-01-10T09:00:00Z,1,2,pigeon\n2026-01-32T09:00:00Z,1,2,chat\n"
    with pytest.raises(ImportRefused) as refused:
        events_import(
            organization=acme, source=write(tmp_path, "broken.csv", broken), file_name="broken.csv"
        )
    assert [str(p) for p in refused.value.problems] == [
        "broken.csv:12:channel: channel must be one of email, chat, meeting, call, other",
        "broken.csv:13:timestamp: not a date and time; write it as 2026-01-31T09:30:00Z (ISO 8601)",
    ]
    after = EventStore.objects.get(organization=acme)
    assert (after.generation, after.interactions) == (before.generation, before.interactions)
    assert stored_rows(acme) == 13
    assert EventImport.objects.filter(organization=acme).count() == 1
    assert not list((store.network_dir(acme.pk) / "tmp").iterdir())


def test_unknown_people_are_reported_and_left_out(acme: Any, tmp_path: Path) -> None:
    text = EVENTS + "2026-01-10T09:00:00Z,1,99;stranger@else.example,email\n"
    result = events_import(organization=acme, source=write(tmp_path, "e.csv", text))
    assert result.record.unknown_people == 2
    assert result.record.unknown_sample == ["99", "stranger@else.example"]
    assert "2 unknown people left out" in result.summary()


def test_the_analysis_sees_the_ties_of_the_window_and_saves_a_snapshot(
    acme: Any, tmp_path: Path
) -> None:
    events_import(organization=acme, source=write(tmp_path, "events.csv", EVENTS))
    outcome = network_analyze(organization=acme, as_of=datetime.date(2026, 1, 31))
    summary = outcome.analysis.summary
    # Ties (two or more interactions): Ada-Bram, Ada-Eve, Bram-Chloé, Bram-Dário, Eve-Finn
    # (three), Chloé-Dário.
    assert (summary.people, summary.ties) == (6, 6)
    assert summary.density == pytest.approx(6 / 15)
    assert summary.isolates == 0
    assert summary.reciprocity == pytest.approx(1.0)
    snapshot = NetworkSnapshot.objects.get(organization=acme)
    assert snapshot.results["window"] == {
        "as_of": "2026-01-31",
        "days": 90,
        "start": "2025-11-03",
        "end": "2026-01-31",
    }
    january = snapshot.results["trends"][-1]
    assert (january["month"], january["ties"], january["people"]) == ("2026-01", 6, 6)
    assert "brokers" not in snapshot.results
    from execution2.network.selectors import connectedness_figures

    figures = connectedness_figures(organization=acme)
    assert figures is not None
    assert figures["cross_unit_share"] == pytest.approx(summary.cross_unit_share)
    assert figures["as_of"] == datetime.date(2026, 1, 31)
    # A window that ends before the events sees nobody connected.
    early = network_analyze(organization=acme, as_of=datetime.date(2026, 1, 4), save=False)
    assert early.analysis.summary.ties == 0
    assert early.analysis.summary.isolates == 6


def test_the_default_window_ends_with_the_latest_event(acme: Any, tmp_path: Path) -> None:
    events_import(organization=acme, source=write(tmp_path, "events.csv", EVENTS))
    outcome = network_analyze(organization=acme, save=False)
    assert outcome.window.as_of == datetime.date(2026, 1, 9)


def test_the_command_line_imports_refuses_with_exit_2_and_analyses(
    acme: Any, tmp_path: Path
) -> None:
    runner = CliRunner()
    good = write(tmp_path, "events.csv", EVENTS)
    result = runner.invoke(cli, ["network", "import", "--org", "acme", str(good)])
    assert result.exit_code == 0, result.output
    assert "10 events" in result.output
    bad = write(tmp_path, "bad.csv", "timestamp,sender,recipients,channel\nnope,1,2,chat\n")
    result = runner.invoke(cli, ["network", "import", "--org", "acme", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:2:timestamp: not a date and time" in result.output
    result = runner.invoke(
        cli, ["network", "analyze", "--org", "acme", "--as-of", "2026-01-31", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["window"]["days"] == 90
    assert (data["nodes"], data["ties"]) == (6, 6)
    for key in ("density", "ei_index", "unit_modularity", "reach_mean", "leiden", "reciprocity"):
        assert key in data["summary"]
    assert data["units"]
    assert data["trends"]
    assert "brokers" in data
    result = runner.invoke(
        cli, ["network", "analyze", "--org", "acme", "--unit", "marketing", "--window", "8w"]
    )
    assert result.exit_code == 0, result.output
    assert "Network of marketing" in result.output
    result = runner.invoke(cli, ["network", "analyze", "--org", "acme", "--window", "soon"])
    assert result.exit_code == 2


def test_pseudonymised_files_match_the_hash_of_the_people_file(
    acme: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from execution2.analytics.network import pseudonym

    key = "k3y"
    text = "timestamp,sender,recipients,channel\n" + "".join(
        f"2026-01-0{day}T09:00:00Z,{pseudonym(key.encode(), '1')},"
        f"{pseudonym(key.encode(), 'bram@acme.example')},chat\n"
        for day in (5, 6)
    )
    monkeypatch.setenv("EXECUTION2_PSEUDONYM_KEY", key)
    result = CliRunner().invoke(
        cli,
        [
            "network",
            "import",
            "--org",
            "acme",
            "--pseudonymised",
            str(write(tmp_path, "h.csv", text)),
        ],
    )
    assert result.exit_code == 0, result.output
    assert EventImport.objects.get(organization=acme).pseudonymised
    outcome = network_analyze(organization=acme, save=False)
    assert outcome.analysis.summary.ties == 1


def test_the_command_line_detects_a_message_trace_and_a_zipped_slack_export(
    acme: Any, tmp_path: Path
) -> None:
    from tests.analytics.exports import write_exchange_trace, write_slack_export, zip_folder

    trace = write_exchange_trace(tmp_path / "trace.csv")
    renamed = trace.read_text().replace("ann@", "ada@").replace("bob@", "bram@")
    trace.write_text(renamed.replace("cy@", "chloe@"))
    runner = CliRunner()
    result = runner.invoke(cli, ["network", "import", "--org", "acme", str(trace)])
    assert result.exit_code == 0, result.output
    assert "Read as Exchange Online message trace (5 items" in result.output
    assert "Ignored: PSComputerName" in result.output
    assert stored_rows(acme) == 2
    export = write_slack_export(tmp_path / "export")
    archive = zip_folder(export, tmp_path / "slack.zip")
    result = runner.invoke(cli, ["network", "import", "--org", "acme", str(archive)])
    # The fixture's people are not in this organization: they are counted as unknown.
    assert result.exit_code == 0, result.output
    assert "Read as Slack workspace export" in result.output
    assert "skipped: bot messages: 1" in result.output
    assert "unknown" in result.output
    assert stored_rows(acme) == 2
    broken = tmp_path / "broken.zip"
    broken.write_bytes(archive.read_bytes()[:200])
    result = runner.invoke(
        cli, ["network", "import", "--org", "acme", "--format", "slack", str(broken)]
    )
    assert result.exit_code == 2
    assert f"{broken}:0:-: not a readable zip file" in result.output
    assert stored_rows(acme) == 2
