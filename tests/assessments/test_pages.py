"""The assessment pages through Django's test client."""

from __future__ import annotations

import datetime
import html
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from execution2.assessments.models import ActionItem, Cycle, Subject
from execution2.assessments.response_import import responses_import
from execution2.orgs.services import membership_set
from tests.assessments.conftest import person
from tests.assessments.test_import_and_report import TEAMS, _answers_file, _draft

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(body).split())


@pytest.fixture
def clients(acme: Any, make_user: Callable[..., Any]) -> dict[str, Client]:
    out = {}
    for label, role, linked in (
        ("admin", "admin", None),
        ("executive", "executive", None),
        ("manager 2", "manager", "2"),
        ("manager 3", "manager", "3"),
    ):
        user = make_user(f"{label.replace(' ', '')}@acme.example", acme, role)
        if linked:
            membership_set(
                organization=acme, user=user, role=role, actor=None, person=person(acme, linked)
            )
        client = Client()
        client.force_login(user)
        out[label] = client
    return out


@pytest.fixture
def imported(acme: Any) -> Cycle:
    cycle = _draft(acme)
    text_, _ = _answers_file(teams={"2": TEAMS["2"], "3": TEAMS["3"]})
    responses_import(cycle=cycle, source=io.BytesIO(text_.encode()), file_name="a.csv")
    return cycle


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"assessments:{name}", kwargs={"org_slug": "acme", **kwargs})


def test_an_admin_creates_and_opens_a_cycle_from_the_page(
    clients: dict[str, Client], django_capture_on_commit_callbacks: Any
) -> None:
    admin = clients["admin"]
    response = admin.post(
        url("cycles"),
        {"name": "Spring", "kind": "upward", "opens_on": "2026-03-02", "closes_on": "2026-03-20"},
    )
    cycle = Cycle.objects.get(name="Spring")
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        opened = admin.post(url("cycle_action", cycle_id=cycle.pk), {"action": "open"})
    assert "/jobs/" in opened["Location"]
    cycle.refresh_from_db()
    assert cycle.status == "open"
    assert len(mail.outbox) == 18
    page = text(admin.get(url("cycle", cycle_id=cycle.pk)))
    assert "Response rate by unit" in page
    assert "Send reminders" in page


def test_a_cycle_that_closes_before_it_opens_is_refused_in_plain_words(
    clients: dict[str, Client],
) -> None:
    response = clients["admin"].post(
        url("cycles"),
        {
            "name": "Backwards",
            "kind": "upward",
            "opens_on": "2026-03-20",
            "closes_on": "2026-03-02",
        },
    )
    assert response.status_code == 422
    assert "must close on or after the day it opens" in text(response)


def test_executives_see_cycles_but_cannot_create_them(clients: dict[str, Client]) -> None:
    executive = clients["executive"]
    assert executive.get(url("cycles")).status_code == 200
    assert executive.post(url("cycles"), {"name": "x"}).status_code == 403
    assert clients["manager 2"].get(url("cycles")).status_code == 403


def test_a_manager_reads_their_own_report_and_not_a_colleagues(
    clients: dict[str, Client], imported: Cycle
) -> None:
    own = Subject.objects.get(cycle=imported, person__external_id="2")
    other = Subject.objects.get(cycle=imported, person__external_id="3")
    page = clients["manager 2"].get(url("subject", cycle_id=imported.pk, subject_id=own.pk))
    assert page.status_code == 200
    content = text(page)
    assert "Scores by rater group" in content
    assert "Strongest items" in content
    assert "Clear goals" in content  # 7 comments, over the threshold of 5
    assert (
        clients["manager 2"]
        .get(url("subject", cycle_id=imported.pk, subject_id=other.pk))
        .status_code
        == 404
    )
    assert (
        clients["executive"]
        .get(url("subject", cycle_id=imported.pk, subject_id=other.pk))
        .status_code
        == 200
    )
    mine = text(clients["manager 2"].get(url("mine")))
    assert "Imported" in mine


def test_the_action_plan_records_items_and_their_closing(
    clients: dict[str, Client], imported: Cycle, acme: Any
) -> None:
    own = Subject.objects.get(cycle=imported, person__external_id="2")
    page = url("subject", cycle_id=imported.pk, subject_id=own.pk)
    client = clients["manager 2"]
    response = client.post(
        page,
        {
            "action": "add",
            "text": "Agree due dates",
            "owner": str(person(acme, "10").pk),
            "due_on": "2026-06-01",
        },
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert item.owner == person(acme, "10")
    assert item.closed_on is None
    client.post(page, {"action": "close", "item": str(item.pk)})
    item.refresh_from_db()
    assert item.closed_on is not None
    refused = client.post(page, {"action": "add", "text": ""})
    assert refused.status_code == 422


def test_the_unit_report_shows_scores_reliability_and_hides_small_groups(
    clients: dict[str, Client], acme: Any
) -> None:
    cycle = _draft(acme)
    text_, _ = _answers_file()
    responses_import(cycle=cycle, source=io.BytesIO(text_.encode()), file_name="a.csv")
    report = clients["executive"].get(url("report", cycle_id=cycle.pk))
    assert report.status_code == 200
    content = text(report)
    assert "Reliability" in content
    assert "Alpha (95% CI)" in content
    assert "Ops Too few answers to show" in content  # 2 direct reports
    unit = acme.units.get(path="Sales")
    inside = text(clients["executive"].get(url("report", cycle_id=cycle.pk) + f"?unit={unit.pk}"))
    assert "Sales" in inside
    # A bad filter falls back to the whole organization rather than failing.
    assert (
        clients["executive"].get(url("report", cycle_id=cycle.pk) + "?unit=abc").status_code == 200
    )


def test_the_import_page_lists_problems_and_writes_nothing(
    clients: dict[str, Client], acme: Any
) -> None:
    cycle = _draft(acme)
    upload = io.BytesIO(b"subject_id,rater_group\n2,direct\n")
    upload.name = "short.csv"
    response = clients["admin"].post(url("cycle_import", cycle_id=cycle.pk), {"file": upload})
    assert response.status_code == 422
    assert "short.csv:1:leadership_1: required column" in text(response)
    assert "Nothing was imported" in text(response)


def test_a_big_answers_file_is_imported_as_a_job(
    clients: dict[str, Client], acme: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from execution2.core.models import Job

    settings.EXECUTION2_IMPORT_INLINE_BYTES = 10
    cycle = _draft(acme)
    text_, _ = _answers_file(teams={"2": TEAMS["2"]})
    upload = io.BytesIO(text_.encode())
    upload.name = "answers.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["admin"].post(url("cycle_import", cycle_id=cycle.pk), {"file": upload})
    job = Job.objects.get(kind="assessments.import")
    assert response["Location"].endswith(f"/jobs/{job.pk}/")
    assert job.status == "succeeded"
    assert job.message == "7 responses imported (7 comments); 1 manager added to the cycle."


def test_a_manager_proposes_their_peers_before_a_360_opens(
    clients: dict[str, Client], acme: Any
) -> None:
    from execution2.assessments.models import PeerNomination
    from execution2.assessments.services import cycle_create

    cycle = cycle_create(
        organization=acme,
        name="360 spring",
        kind="360",
        opens_on=datetime.date(2026, 3, 2),
        closes_on=datetime.date(2026, 3, 20),
    )
    client = clients["manager 2"]
    assert "propose the peers who rate you" in text(client.get(url("mine")))
    form = client.get(url("peers", cycle_id=cycle.pk))
    assert "Manager 3" in text(form)
    ids = [str(person(acme, i).pk) for i in ("3", "4")]
    too_few = client.post(url("peers", cycle_id=cycle.pk), {"peer": ids})
    assert too_few.status_code == 422
    chief = str(person(acme, "1").pk)  # in another unit, not offered: ignored
    saved = client.post(url("peers", cycle_id=cycle.pk), {"peer": [*ids, chief]})
    assert saved.status_code == 422
    saved = client.post(
        url("peers", cycle_id=cycle.pk), {"peer": [*ids, str(person(acme, "17").pk)]}
    )
    assert saved.status_code == 302
    peers = PeerNomination.objects.filter(cycle=cycle).values_list("peer__external_id", flat=True)
    assert sorted(peers) == ["17", "3", "4"]
