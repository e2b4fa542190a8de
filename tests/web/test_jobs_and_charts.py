"""Big imports run as jobs with a status page; charts render with a table of their numbers."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from execution2.core.models import Job, JobStatus
from execution2.orgs.models import Person
from tests.web.test_pages import upload

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(body).split())


def test_a_big_upload_runs_as_a_job_and_its_page_shows_the_counts(
    admin_client: Client,
    acme: Any,
    settings: Any,
    small_org_csv: str,
    django_capture_on_commit_callbacks,
) -> None:
    settings.EXECUTION2_IMPORT_INLINE_BYTES = 10
    bigger = (
        small_org_csv + "7,Gil New,Engineering / Platform,6,gil@acme.example,Engineer,Berlin,\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client, "hris.csv", bigger)
    job = Job.objects.get(organization=acme)
    assert response.status_code == 302
    assert response.url == reverse("orgs:job", args=["acme", job.pk])
    page = admin_client.get(response.url)
    assert job.label == "Import people from hris.csv"
    assert "7 people in the file: 1 created, 0 updated, 6 unchanged" in text(page)
    assert Person.objects.filter(organization=acme, external_id="7").exists()
    assert reverse("orgs:people", args=["acme"]) in page.content.decode()


def test_a_refused_big_upload_lists_its_problems_on_the_job_page(
    admin_client: Client, acme: Any, settings: Any, django_capture_on_commit_callbacks
) -> None:
    settings.EXECUTION2_IMPORT_INLINE_BYTES = 10
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(
            admin_client, "bad.csv", "id,name,unit,manager_id\n1,Ann,Ops,\n2,Ben,Ops,9\n"
        )
    page = text(admin_client.get(response.url))
    assert "bad.csv:3:manager_id: manager id '9' is not an id in this file" in page
    assert "nothing was imported" in page
    assert Job.objects.get(organization=acme).status == JobStatus.FAILED


def test_a_running_job_page_polls_itself_and_shows_progress(
    admin_client: Client, acme: Any
) -> None:
    from django.core.cache import cache

    job = Job.objects.create(
        organization=acme, kind="people.import", label="Import", status=JobStatus.RUNNING
    )
    cache.set(f"job-progress:{job.pk}", {"phase": "write", "done": 250, "total": 1000})
    response = admin_client.get(reverse("orgs:job", args=["acme", job.pk]))
    body = response.content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert '<progress max="100" value="25">' in body
    assert "250 of 1,000" in text(response)
    fragment = admin_client.get(
        reverse("orgs:job", args=["acme", job.pk]), headers={"HX-Request": "true"}
    )
    assert "<html" not in fragment.content.decode()


def test_the_sidebar_shows_administration_only_to_admins(
    admin_client: Client, member_client: Client
) -> None:
    admin_page = admin_client.get(reverse("orgs:people", args=["acme"])).content.decode()
    member_page = member_client.get(reverse("orgs:people", args=["acme"])).content.decode()
    assert 'href="/o/acme/people/" aria-current="page"' in admin_page
    assert "/o/acme/members/" in admin_page
    assert "/o/acme/members/" not in member_page
    assert "/o/acme/people/" in member_page


def test_a_chart_carries_its_spec_and_a_table_of_its_numbers() -> None:
    spec = {
        "data": {"values": [{"unit": "Sales", "score": 71}, {"unit": "Ops <b>", "score": 64}]},
        "mark": "bar",
        "encoding": {"x": {"field": "unit"}, "y": {"field": "score"}},
    }
    rendered = Template('{% load charts %}{% vega_chart spec label="Scores by unit" %}').render(
        Context({"spec": spec})
    )
    assert "data-vega-chart" in rendered
    assert 'aria-label="Scores by unit"' in rendered
    assert '<script id="vega-chart-' in rendered
    assert 'type="application/json"' in rendered
    assert "<td>Sales</td><td>71</td>" in rendered
    assert "Ops &lt;b&gt;" in rendered
    assert "<b>" not in rendered.split("</script>")[-1]
