"""Editing the plan on its pages: what each role may do, the version check, the pickers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from execution2.orgs.models import Membership
from execution2.plans.models import KPI, Initiative, Opportunity, PlanVersion, Tactic
from tests.plans.conftest import person

pytestmark = pytest.mark.django_db

# Every URL that changes the plan, with the keywords it takes besides org_slug.
EDIT_URLS = {
    "initiative_new": (),
    "initiative_edit": ("initiative_id",),
    "initiative_archive": ("initiative_id",),
    "initiative_delete": ("initiative_id",),
    "opportunity_new": (),
    "opportunity_edit": ("opportunity_id",),
    "opportunity_delete": ("opportunity_id",),
    **{
        f"{part}_{verb}": ("initiative_id",)
        for part in ("kpi", "tactic", "resource", "return")
        for verb in ("save", "delete")
    },
}
PLAN_WIDE = {name for name in EDIT_URLS if not name.startswith(("kpi", "tactic", "res", "ret"))}


def _client(organization: Any, make_user: Any, role: str, external_id: str | None = None) -> Client:
    user = make_user(f"{role}{external_id or ''}@acme.example", organization, role)
    if external_id is not None:
        Membership.objects.filter(user=user).update(person=person(organization, external_id))
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, organization: Any, **kwargs: Any) -> str:
    return reverse(f"plans:{name}", kwargs={"org_slug": organization.slug, **kwargs})


def _edit_url(name: str, organization: Any) -> str:
    objects = {
        "initiative_id": Initiative.objects.get(organization=organization, key="eco-line").pk,
        "opportunity_id": Opportunity.objects.get(organization=organization, key="green").pk,
    }
    return _url(name, organization, **{k: objects[k] for k in EDIT_URLS[name]})


def test_every_edit_url_is_listed_here() -> None:
    from django.urls import get_resolver

    resolver = get_resolver().url_patterns
    names = {
        p.name
        for r in resolver
        if getattr(r, "namespace", None) == "orgs" or hasattr(r, "url_patterns")
        for inner in [getattr(r, "url_patterns", [])]
        for sub in inner
        for p in getattr(sub, "url_patterns", [sub])
        if getattr(p, "name", None)
    }
    editing = {n for n in names if n.endswith(("_new", "_edit", "_archive", "_delete", "_save"))}
    assert editing - {"assignment_new"} >= set(EDIT_URLS)


def test_a_member_changes_nothing_through_any_edit_url(planned: Any, make_user: Any) -> None:
    member = _client(planned, make_user, "member", "6")
    versions = PlanVersion.objects.count()
    for name in EDIT_URLS:
        response = member.post(
            _edit_url(name, planned),
            {"title": "Hijacked", "name": "X", "baseline": 0, "target": 1, "direction": "up"},
        )
        assert response.status_code == 403, name
    assert PlanVersion.objects.count() == versions
    assert not Initiative.objects.filter(title="Hijacked").exists()
    assert not KPI.objects.filter(name="X").exists()
    # Members read: the parts page shows them, without forms.
    page = member.get(_url("initiative_parts", planned, initiative_id=_eco(planned).pk))
    assert page.status_code == 200
    assert "Eco share of sales" in page.content.decode()
    assert "Add a KPI" not in page.content.decode()


def _eco(organization: Any) -> Initiative:
    return Initiative.objects.get(organization=organization, key="eco-line")


def test_the_owner_edits_the_parts_of_their_initiative_only(planned: Any, make_user: Any) -> None:
    bram = _client(planned, make_user, "member", "2")  # owns eco-line
    eco = _eco(planned)
    page = bram.get(_url("initiative", planned, initiative_id=eco.pk)).content.decode()
    assert ">Edit</a>" in page
    response = bram.post(
        _url("tactic_save", planned, initiative_id=eco.pk),
        {"opened_version": eco.version, "tactic-new-title": "Retail", "tactic-new-weight": 1},
    )
    assert response.status_code == 302
    assert Tactic.objects.filter(initiative=eco, title="Retail").exists()
    for name in PLAN_WIDE:
        assert bram.post(_edit_url(name, planned), {"title": "Mine"}).status_code == 403, name
    social = Initiative.objects.get(key="social")
    refused = bram.post(
        _url("tactic_save", planned, initiative_id=social.pk),
        {"opened_version": social.version, "tactic-new-title": "Not his", "tactic-new-weight": 1},
    )
    assert refused.status_code == 403


def test_an_executive_creates_an_initiative_on_the_pages(planned: Any, make_user: Any) -> None:
    executive = _client(planned, make_user, "executive")
    tree = executive.get(_url("tree", planned)).content.decode()
    assert "New initiative" in tree
    form = executive.get(_url("initiative_new", planned)).content.decode()
    assert ">Title</label>" in form
    assert "Create initiative" in form
    assert executive.post(_url("initiative_new", planned), {"title": ""}).status_code == 422
    response = executive.post(
        _url("initiative_new", planned),
        {
            "title": "Refill stations",
            "owner": person(planned, "3").pk,
            "opportunities": [Opportunity.objects.get(key="green").pk],
            "parents": [_eco(planned).pk],
            "status": "active",
            "weight": "1",
        },
    )
    created = Initiative.objects.get(title="Refill stations")
    assert response["Location"] == _url("initiative", planned, initiative_id=created.pk)
    assert created.owner == person(planned, "3")
    assert list(created.parents.all()) == [_eco(planned)]


def test_a_parent_cycle_is_shown_on_the_form(planned: Any, make_user: Any) -> None:
    executive = _client(planned, make_user, "executive")
    eco = _eco(planned)
    response = executive.post(
        _url("initiative_edit", planned, initiative_id=eco.pk),
        {
            "title": eco.title,
            "status": "active",
            "weight": "2",
            "opened_version": eco.version,
            "parents": [Initiative.objects.get(key="social").pk],
        },
    )
    assert response.status_code == 422
    assert "That would make a cycle: Launch the eco product line → Social listening" in (
        response.content.decode()
    )


def test_the_second_of_two_editors_is_told_who_changed_what_and_keeps_their_text(
    planned: Any, make_user: Any
) -> None:
    ana = _client(planned, make_user, "admin")
    bo = _client(planned, make_user, "executive")
    eco = _eco(planned)
    url = _url("initiative_edit", planned, initiative_id=eco.pk)
    base = {"status": "active", "weight": "2", "opened_version": eco.version}
    assert ana.post(url, {**base, "title": "Eco line"}).status_code == 302
    refused = bo.post(url, {**base, "title": "Green line"})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "changed since you opened it (version 1, now 2)" in page
    assert "admin@acme.example: initiative &#x27;eco-line&#x27; edited (" in page
    assert 'value="Green line"' in page  # their text is still in the form
    assert _eco(planned).title == "Eco line"
    # Saving again, having seen it, goes through.
    again = bo.post(url, {**base, "title": "Green line", "opened_version": _eco(planned).version})
    assert again.status_code == 302
    assert _eco(planned).title == "Green line"


def test_the_people_picker_searches_without_listing_everyone(
    planned: Any, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    executive = _client(planned, make_user, "executive")
    chosen = person(planned, "2")
    with django_assert_max_num_queries(8):
        response = executive.get(
            _url("people_search", planned), {"q": "chl", "field": "owner", "owner": chosen.pk}
        )
    options = response.content.decode()
    assert "Chloé Social" in options
    assert f'value="{chosen.pk}" selected' in options
    assert "Ada" not in options
    junk = executive.get(_url("people_search", planned), {"q": "\x00%", "field": "x", "x": "y"})
    assert junk.status_code == 200
    units = executive.get(_url("units_search", planned), {"q": "social", "multiple": "1"})
    assert "Marketing / Social Media" in units.content.decode()
    # The edit form renders only the chosen owner, not the organization's people.
    form = executive.get(_url("initiative_edit", planned, initiative_id=_eco(planned).pk))
    owner_select = re.search(
        r'<select name="owner"[^>]*>(.*?)</select>', form.content.decode(), re.S
    )
    assert owner_select is not None
    assert owner_select.group(1).count("<option") == 2  # nobody, and the owner
