"""Cycles, invitations and answering: who is asked, what is stored, what is never stored."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from execution2.assessments.models import Invitation, InvitationLink, Response, Subject
from execution2.assessments.services import cycle_close, cycle_remind, survey_submit
from execution2.assessments.tokens import token_hash
from tests.assessments.conftest import links_in_mail, open_cycle, person

pytestmark = pytest.mark.django_db

ITEMS = {"leadership_1": "4", "leadership_2": "5", "delegation_1": "0", "keep_doing": "Listens."}


def test_an_upward_cycle_asks_each_direct_report_about_their_manager(acme: Any) -> None:
    cycle = open_cycle(acme)
    subjects = set(
        Subject.objects.filter(cycle=cycle).values_list("person__external_id", flat=True)
    )
    assert subjects == {"1", "2", "3", "4"}
    assert Invitation.objects.filter(cycle=cycle).count() == 18  # everyone but the chief
    assert set(Invitation.objects.filter(cycle=cycle).values_list("rater_group", flat=True)) == {
        "direct"
    }
    assert len(mail.outbox) == 18
    to_p10 = next(m for m in mail.outbox if m.to == ["p10@acme.example"])
    assert "About Manager 2: http://testserver/s/" in to_p10.body


def test_a_360_cycle_adds_self_manager_and_peers(acme: Any) -> None:
    cycle = open_cycle(acme, "360")
    manager_2 = Subject.objects.get(cycle=cycle, person__external_id="2")
    groups = sorted(
        Invitation.objects.filter(subject=manager_2).values_list("rater_group", flat=True)
    )
    assert groups.count("self") == 1
    assert groups.count("manager") == 1  # the chief
    assert groups.count("peer") == 2  # managers 3 and 4, who share the chief
    assert groups.count("direct") == 7


def test_a_pulse_asks_everyone_about_management_in_general(acme: Any) -> None:
    cycle = open_cycle(acme, "pulse")
    assert Invitation.objects.filter(cycle=cycle, subject__isnull=True).count() == 19
    assert not Subject.objects.filter(cycle=cycle).exists()


def test_raters_come_from_the_org_chart_as_of_the_open_date(acme: Any, import_people: Any) -> None:
    from tests.assessments.conftest import team_csv

    # Person 10 moves from manager 2 to manager 3 from next month on.
    moved = team_csv().replace("10,Person 10,Sales,2,", "10,Person 10,Sales / Inside,3,")
    import_people(acme, moved, effective_date=datetime.date.today() + datetime.timedelta(days=30))
    cycle = open_cycle(acme)
    invitation = Invitation.objects.get(cycle=cycle, person=person(acme, "10"))
    assert invitation.subject.person.external_id == "2"  # type: ignore[union-attr]


def test_links_carry_192_random_bits_and_only_their_keyed_hash_is_stored(acme: Any) -> None:
    open_cycle(acme)
    path = links_in_mail()["p10@acme.example"][0]
    token = path.split("/")[2]
    assert len(token) >= 32  # 24 bytes, URL-safe base64: 192 bits
    stored = set(InvitationLink.objects.values_list("token_hash", flat=True))
    assert token_hash(token) in stored
    assert not any(token in value for value in stored)


def test_answers_are_saved_as_you_go_and_resumed_from_the_same_link(acme: Any) -> None:
    open_cycle(acme)
    path = links_in_mail()["p10@acme.example"][0]
    client = Client()
    assert "Feedback on Manager 2" in client.get(path).content.decode()
    client.post(path, {**ITEMS, "action": "save"}, HTTP_HX_REQUEST="true")
    page = Client().get(path).content.decode()
    assert 'name="leadership_1" value="4" checked' in page
    assert 'name="delegation_1" value="0" checked' in page
    assert "Listens." in page


def test_submitting_stores_an_anonymous_response_and_retires_the_link(acme: Any) -> None:
    open_cycle(acme)
    path = links_in_mail()["p10@acme.example"][0]
    response = Client().post(path, {**ITEMS, "action": "submit"})
    assert "Thank you" in response.content.decode()
    stored = Response.objects.get()
    assert stored.answers == {"leadership_1": 4, "leadership_2": 5}  # "don't know" is not scored
    assert isinstance(stored.submitted_on, datetime.date)
    assert not isinstance(stored.submitted_on, datetime.datetime)
    columns = {f.name for f in Response._meta.get_fields()}
    assert columns == {
        "id",
        "cycle",
        "subject",
        "rater_group",
        "unit",
        "answers",
        "submitted_on",
        "source",
    }
    invitation = Invitation.objects.get(person=person(acme, "10"))
    assert invitation.answered
    assert invitation.draft == {}
    assert Client().get(path).status_code == 404


def test_two_submits_racing_on_one_link_store_one_response(acme: Any) -> None:
    open_cycle(acme)
    first = Invitation.objects.get(person=person(acme, "10"))
    second = Invitation.objects.get(pk=first.pk)  # both loaded before either submits
    assert survey_submit(invitation=first, data=ITEMS) is True
    assert survey_submit(invitation=second, data=ITEMS) is False
    assert Response.objects.count() == 1


def test_reminders_go_only_to_people_who_have_not_answered(acme: Any) -> None:
    cycle = open_cycle(acme)
    path = links_in_mail()["p10@acme.example"][0]
    Client().post(path, {**ITEMS, "action": "submit"})
    first_link = links_in_mail()["p11@acme.example"][0]
    mail.outbox.clear()
    assert cycle_remind(cycle=cycle, link_base="http://testserver") == 17
    assert "p10@acme.example" not in links_in_mail()
    # Someone else's first link keeps working beside the new one.
    assert links_in_mail()["p11@acme.example"][0] != first_link
    assert Client().get(first_link).status_code == 200
    assert Invitation.objects.get(person=person(acme, "11")).links.count() == 2


def test_closing_a_cycle_retires_every_link(acme: Any) -> None:
    cycle = open_cycle(acme)
    path = links_in_mail()["p11@acme.example"][0]
    cycle_close(cycle=cycle)
    assert Client().get(path).status_code == 404
    assert not InvitationLink.objects.exists()


def test_survey_submission_is_rate_limited(acme: Any, settings: Any) -> None:
    open_cycle(acme)
    client = Client()
    statuses = {
        client.post("/s/not-a-real-token/", {"action": "submit"}).status_code for _ in range(61)
    }
    assert 429 in statuses or 403 in statuses


def test_proposed_peers_replace_the_default_colleagues(acme: Any) -> None:
    from click.testing import CliRunner

    from execution2.assessments.services import cycle_create, cycle_open
    from execution2.cli import cli

    cycle = cycle_create(
        organization=acme,
        name="360",
        kind="360",
        opens_on=datetime.date.today(),
        closes_on=datetime.date.today(),
    )
    result = CliRunner().invoke(
        cli, ["assess", "cycle", "peers", "--org", "acme", str(cycle.pk), "2", "17", "18", "19"]
    )
    assert result.exit_code == 0, result.output
    refused = CliRunner().invoke(
        cli, ["assess", "cycle", "peers", "--org", "acme", str(cycle.pk), "2", "999"]
    )
    assert refused.exit_code == 2
    cycle_open(cycle=cycle, send=False)
    peers = Invitation.objects.filter(
        cycle=cycle, subject__person__external_id="2", rater_group="peer"
    ).values_list("person__external_id", flat=True)
    assert sorted(peers) == ["17", "18", "19"]


def test_peers_read_the_items_about_the_manager_by_name(acme: Any) -> None:
    open_cycle(acme, "360")
    peer = Invitation.objects.filter(rater_group="peer", subject__person__external_id="2").first()
    assert peer is not None
    peer_mail = links_in_mail()[peer.person.email]
    pages = [Client().get(path).content.decode() for path in peer_mail]
    page = next(p for p in pages if "Feedback on Manager 2" in p)
    assert "Manager 2 explains how their team&#x27;s work contributes" in page
    assert "What should Manager 2 keep doing?" in page
    assert "My manager" not in page
