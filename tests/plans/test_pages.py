"""The plan pages through Django's test client: what each role sees and can do."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from execution2.orgs.models import Membership
from execution2.plans.models import Assignment, CheckIn, Idea, Initiative, PlanVersion, Recognition
from tests.plans.conftest import person

pytestmark = pytest.mark.django_db


def _client(
    organization: Any, make_user: Any, email: str, role: str, external_id: str | None
) -> Client:
    user = make_user(email, organization, role)
    if external_id is not None:
        Membership.objects.filter(user=user).update(person=person(organization, external_id))
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, organization: Any, **kwargs: Any) -> str:
    return reverse(f"plans:{name}", kwargs={"org_slug": organization.slug, **kwargs})


def test_the_tree_shows_each_level_and_filters_by_unit_and_owner(
    planned: Any, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    client = _client(planned, make_user, "m@acme.example", "member", None)
    with django_assert_max_num_queries(30):
        page = client.get(_url("tree", planned)).content.decode()
    assert "Green buyers" in page
    assert "Launch the eco product line" in page
    assert "Social listening" in page
    assert "Design" in page  # the tactic
    social = Initiative.objects.get(key="social")
    unit = social.units.get()
    filtered = client.get(_url("tree", planned), {"unit": unit.pk}).content.decode()
    assert "Social listening" in filtered
    owner = client.get(_url("tree", planned), {"owner": person(planned, "2").pk}).content.decode()
    assert "Launch the eco product line" in owner
    assert "Social listening" not in owner
    # Nonsense filters fall back to the whole plan.
    assert (
        client.get(_url("tree", planned), {"unit": "x' or 1", "owner": "9" * 30}).status_code == 200
    )


def test_the_tree_explains_what_to_do_without_a_plan(acme: Any, make_user: Any) -> None:
    client = _client(acme, make_user, "a@acme.example", "admin", None)
    page = client.get(_url("tree", acme)).content.decode()
    assert "No plan yet" in page
    assert "Plan file" in page


def test_the_initiative_page_shows_kpis_money_units_and_history(
    planned: Any, make_user: Any
) -> None:
    client = _client(planned, make_user, "e@acme.example", "executive", None)
    eco = Initiative.objects.get(key="eco-line")
    page = client.get(_url("initiative", planned, initiative_id=eco.pk)).content.decode()
    assert "Eco share of sales" in page
    assert "Resources against plan" in page
    assert "Units involved" in page
    assert "17,000" in page  # actual cost
    listing = client.get(_url("initiative_assignments", planned, initiative_id=eco.pk))
    assert "Write the brief" in listing.content.decode()
    fragment = client.get(
        _url("initiative_assignments", planned, initiative_id=eco.pk),
        {"tactic": eco.tactics.get().pk},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "<html" not in fragment
    assert "Prototype" in fragment


def test_my_work_explains_an_unlinked_login(planned: Any, make_user: Any) -> None:
    client = _client(planned, make_user, "nobody@acme.example", "member", None)
    page = client.get(_url("my_work", planned)).content.decode()
    assert "login isn't linked to a person" in page
    assert "Members" in page


def test_a_member_acknowledges_checks_in_and_recognises(
    planned: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    dario = _client(planned, make_user, "dario@acme.example", "member", "4")
    tool = Assignment.objects.get(key="tool")
    page = dario.get(_url("my_work", planned)).content.decode()
    assert "Pick a tool" in page
    acknowledge = _url("assignment_acknowledge", planned, assignment_id=tool.pk)
    assert dario.post(acknowledge, {}).status_code == 302
    url = _url("assignment_checkin", planned, assignment_id=tool.pk)
    refused = dario.post(url, {"progress": 50, "confidence": 11})
    assert refused.status_code == 422
    assert "Ensure this value is less than or equal to 10" in refused.content.decode()
    assert dario.post(url, {"progress": 50, "confidence": 8, "comment": "Half"}).status_code == 302
    tool.refresh_from_db()
    assert (tool.status, tool.progress) == ("in_progress", 50)
    assert CheckIn.objects.filter(assignment=tool).count() == 1
    chloe = person(planned, "3")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = dario.post(
            _url("my_work_recognise", planned),
            {"receiver": chloe.pk, "message": "Thanks for the brief"},
        )
    assert response.status_code == 302
    assert Recognition.objects.get().receiver == chloe
    assert mail.outbox[0].to == ["chloe@acme.example"]


def test_someone_else_cannot_check_in_on_an_assignment(planned: Any, make_user: Any) -> None:
    finn = _client(planned, make_user, "finn@acme.example", "member", "6")
    tool = Assignment.objects.get(key="tool")
    response = finn.post(
        _url("assignment_checkin", planned, assignment_id=tool.pk),
        {"progress": 50, "confidence": 8},
    )
    assert response.status_code == 422
    assert "Only the owner or the delegator" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_a_manager_delegates_with_instructions_and_the_owner_is_told(
    planned: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    bram = _client(planned, make_user, "bram@acme.example", "manager", "2")
    eco = Initiative.objects.get(key="eco-line")
    url = _url("assignment_new", planned, initiative_id=eco.pk)
    form = bram.get(url).content.decode()
    assert "Chloé Social" in form
    assert "Finn Platform" not in form  # not Bram's report
    refused = bram.post(url, {"title": "Try", "owner": person(planned, "6").pk})
    assert refused.status_code == 422
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = bram.post(
            url,
            {
                "title": "Draft the launch plan",
                "owner": person(planned, "4").pk,
                "instructions": "One page",
                "due": "2026-12-01",
            },
        )
    assert response.status_code == 302
    created = Assignment.objects.get(title="Draft the launch plan")
    assert created.delegator == person(planned, "2")
    assert mail.outbox[0].to == ["dario@acme.example"]


def test_delegation_pages_by_role(planned: Any, make_user: Any) -> None:
    bram = _client(planned, make_user, "bram@acme.example", "manager", "2")
    own = bram.get(_url("delegation", planned)).content.decode()
    assert "What I delegated" in own
    assert "Clear asks" in own
    eve = person(planned, "5")
    assert bram.get(_url("delegation_person", planned, person_id=eve.pk)).status_code == 403
    executive = _client(planned, make_user, "x@acme.example", "executive", None)
    overview = executive.get(_url("delegation", planned), {"sort": "on_time"}).content.decode()
    assert "Bram Market" in overview
    assert executive.get(_url("delegation_person", planned, person_id=eve.pk)).status_code == 200
    member = _client(planned, make_user, "m@acme.example", "member", None)
    assert member.get(_url("delegation", planned)).status_code == 403


def test_the_portfolio_is_for_executives(planned: Any, make_user: Any) -> None:
    member = _client(planned, make_user, "m@acme.example", "member", None)
    assert member.get(_url("portfolio", planned)).status_code == 403
    executive = _client(planned, make_user, "x@acme.example", "executive", None)
    for sort in ("progress", "roi", "bogus"):
        page = executive.get(_url("portfolio", planned), {"sort": sort})
        assert page.status_code == 200
    assert "Launch the eco product line" in page.content.decode()


def test_ideas_are_proposed_voted_and_promoted(planned: Any, make_user: Any) -> None:
    member = _client(planned, make_user, "m@acme.example", "member", None)
    assert member.post(_url("ideas", planned), {"title": ""}).status_code == 422
    response = member.post(_url("ideas", planned), {"title": "Repair café", "description": "Fix"})
    idea = Idea.objects.get()
    assert response.status_code == 302
    member.post(_url("idea_vote", planned, idea_id=idea.pk), {"next": _url("ideas", planned)})
    assert idea.votes.count() == 1
    member.post(_url("idea_comment", planned, idea_id=idea.pk), {"text": "Yes!"})
    assert idea.comments.get().text == "Yes!"
    # A member can't promote; an admin can.
    member.post(_url("idea_promote", planned, idea_id=idea.pk), {"key": "repair"})
    assert not Initiative.objects.filter(key="repair").exists()
    admin = _client(planned, make_user, "a@acme.example", "admin", None)
    response = admin.post(_url("idea_promote", planned, idea_id=idea.pk), {"key": "repair"})
    initiative = Initiative.objects.get(key="repair")
    assert response["Location"] == _url("initiative", planned, initiative_id=initiative.pk)
    idea.refresh_from_db()
    assert idea.initiative == initiative


def test_an_admin_imports_a_plan_file_and_sees_the_problems_of_a_broken_one(
    acme: Any, make_user: Any, plan_yaml: str
) -> None:
    admin = _client(acme, make_user, "a@acme.example", "admin", None)
    broken = SimpleUploadedFile(
        "plan.yaml", plan_yaml.replace('owner: "6"', 'owner: "99"').encode()
    )
    response = admin.post(_url("file", acme), {"file": broken})
    assert response.status_code == 422
    assert (
        "plan.yaml:40:initiatives[eco-line].tactics[1].assignments[2].owner"
        in response.content.decode()
    )
    assert not Initiative.objects.exists()
    good = SimpleUploadedFile("plan.yaml", plan_yaml.encode())
    assert admin.post(_url("file", acme), {"file": good}).status_code == 302
    assert Initiative.objects.count() == 2
    exported = admin.get(_url("export", acme))
    assert exported["Content-Disposition"] == 'attachment; filename="acme-plan.yaml"'
    assert b"key: eco-line" in exported.content
    member = _client(acme, make_user, "m@acme.example", "member", None)
    assert member.get(_url("file", acme)).status_code == 403


def test_versions_show_what_changed(planned: Any, make_user: Any, plan_yaml: str) -> None:
    from execution2.plans.plan_file import plan_import

    plan_import(
        organization=planned,
        source=plan_yaml.replace("title: Prototype", "title: Prototype v2").encode(),
        file_name="plan.yaml",
    )
    assert PlanVersion.objects.count() == 2
    executive = _client(planned, make_user, "x@acme.example", "executive", None)
    page = executive.get(_url("versions", planned)).content.decode()
    assert "From version 1 to 2" in page
    assert "Prototype v2" in page
    assert executive.get(_url("versions", planned), {"from": "abc", "to": "-1"}).status_code == 200
