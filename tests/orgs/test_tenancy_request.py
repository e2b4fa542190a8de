"""`org_view` hands the view a typed `OrgRequest`: the organization, the membership, the roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.test import RequestFactory

from execution2.orgs.choices import Role
from execution2.orgs.tenancy import OrgRequest, org_view


def _seen_by_view(user: Any, slug: str) -> OrgRequest:
    seen: list[OrgRequest] = []

    @org_view()
    def view(request: OrgRequest) -> HttpResponse:
        seen.append(request)
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = user
    view(request, org_slug=slug)
    return seen[0]


def test_a_view_receives_the_organization_membership_and_person(
    make_org: Any, make_user: Any, import_people: Any, small_org_csv: str
) -> None:
    acme = make_org("acme")
    import_people(acme, small_org_csv)
    user = make_user("bram@acme.example", acme, role=Role.MANAGER)
    request = _seen_by_view(user, "acme")
    assert isinstance(request, OrgRequest)
    assert request.organization == acme
    assert request.membership.user == user
    assert request.person is not None
    assert request.person.external_id == "2"
    assert request.role == Role.MANAGER


def test_the_role_helpers_follow_the_membership_role(make_org: Any, make_user: Any) -> None:
    acme = make_org("acme")
    manager = _seen_by_view(make_user("m@acme.example", acme, role=Role.MANAGER), "acme")
    admin = _seen_by_view(make_user("a@acme.example", acme, role=Role.ADMIN), "acme")
    assert (manager.is_manager, manager.is_executive, manager.is_admin) == (True, False, False)
    assert manager.role_at_least(Role.MEMBER)
    assert not manager.role_at_least(Role.EXECUTIVE)
    assert (admin.is_manager, admin.is_executive, admin.is_admin) == (True, True, True)
