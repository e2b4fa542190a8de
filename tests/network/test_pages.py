"""The network pages: what members and admins see, uploads through jobs, exports."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from execution2.network.models import EventStore, NetworkSnapshot
from execution2.network.services import events_import, network_analyze
from execution2.orgs.models import AuditEvent, Unit
from tests.network.test_import_and_analysis import EVENTS


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture
def analysed(acme: Any, tmp_path: Path) -> Any:
    path = tmp_path / "events.csv"
    path.write_text(EVENTS, encoding="utf-8")
    events_import(organization=acme, source=path)
    network_analyze(organization=acme, as_of=datetime.date(2026, 1, 31))
    return acme


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"network:{name}", kwargs={"org_slug": "acme", **kwargs})


def test_the_overview_says_what_to_do_before_there_is_data(
    admin_client: Client, member_client: Client
) -> None:
    admin_page = admin_client.get(url("overview")).content.decode()
    assert "No collaboration data yet" in admin_page
    assert url("import") in admin_page
    member_page = member_client.get(url("overview")).content.decode()
    assert "haven't analysed its collaboration network yet" in member_page
    assert url("import") not in member_page


def test_members_see_the_unit_figures_but_never_the_people(
    analysed: Any, member_client: Client, admin_client: Client
) -> None:
    member_page = member_client.get(url("overview")).content.decode()
    assert "Cross-unit ties" in member_page
    assert "Silos" in member_page
    assert "Who works with whom" in member_page
    assert "Marketing" in member_page
    assert "Brokers" not in member_page
    assert "Bram Market" not in member_page  # the top broker, a person
    admin_page = admin_client.get(url("overview")).content.decode()
    assert "Brokers" in admin_page
    assert "Bram Market" in admin_page


def test_a_unit_page_shows_the_unit_and_its_people_to_admins_only(
    analysed: Any, member_client: Client, admin_client: Client
) -> None:
    marketing = Unit.objects.get(organization=analysed, path="Marketing")
    member_page = member_client.get(url("unit", unit_id=marketing.pk)).content.decode()
    assert "<h1>Marketing</h1>" in member_page
    assert "Social Media" in member_page  # a unit below
    assert "Isolated people" not in member_page
    admin_page = admin_client.get(url("unit", unit_id=marketing.pk)).content.decode()
    assert "Isolated people" in admin_page
    assert admin_client.get(url("unit", unit_id=10**9)).status_code == 404


def test_an_uploaded_file_is_imported_and_analysed_by_a_job(
    acme: Any, admin_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    upload = SimpleUploadedFile("events.csv", EVENTS.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("import"), {"file": upload})
    assert response.status_code == 302
    assert "/jobs/" in response["Location"]
    assert EventStore.objects.get(organization=acme).interactions == 13
    assert NetworkSnapshot.objects.filter(organization=acme).exists()


def test_a_broken_upload_fails_its_job_with_the_rows_named(
    acme: Any, admin_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    from execution2.core.models import Job

    broken = EVENTS + "2026-01-10T09:00:00Z,1,2,pigeon\n"
    upload = SimpleUploadedFile("broken.csv", broken.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url("import"), {"file": upload})
    job = Job.objects.get(organization=acme, kind="network.import")
    assert job.status == "failed"
    assert job.problems == [
        "broken.csv:12:channel: channel must be one of email, chat, meeting, call, other"
    ]
    assert not EventStore.objects.filter(organization=acme).exists()


def test_the_analyse_form_refuses_a_bad_window_in_plain_words(
    analysed: Any, admin_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    response = admin_client.post(url("analyze"), {"window_days": "3", "min_interactions": "2"})
    assert response.status_code == 422
    assert "greater than or equal to 7" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("analyze"), {"window_days": "30", "min_interactions": "2"})
    assert response.status_code == 302
    assert NetworkSnapshot.objects.filter(organization=analysed).first().window_days == 30


def test_exports_hold_unit_figures_and_brokers_only_for_admins(
    analysed: Any, member_client: Client, admin_client: Client
) -> None:
    member_csv = member_client.get(url("export") + "?people=1").content.decode()
    assert member_csv.splitlines()[0].startswith("path,people,internal_ties")
    assert "Bram Market" not in member_csv
    admin_csv = admin_client.get(url("export") + "?people=1").content.decode()
    assert admin_csv.splitlines()[0] == "external_id,name,unit,betweenness"
    assert "Bram Market" in admin_csv
    assert AuditEvent.objects.filter(organization=analysed, action="network.export").count() == 2


def test_the_sidebar_links_the_overview_for_members_and_the_import_for_admins(
    analysed: Any, member_client: Client, admin_client: Client
) -> None:
    home = reverse("orgs:home", kwargs={"org_slug": "acme"})
    assert url("overview") in member_client.get(home).content.decode()
    assert url("import") not in member_client.get(home).content.decode()
    assert url("import") in admin_client.get(home).content.decode()


def test_bad_query_parameters_never_break_a_page(
    analysed: Any, admin_client: Client, make_user: Callable[..., Any]
) -> None:
    for path in (url("overview") + "?unit=x", url("export") + "?people=%00", url("analyze")):
        assert admin_client.get(path).status_code == 200
