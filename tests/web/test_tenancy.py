"""Tenancy, checked over every URL of the project, so a page added later can't forget it.

A member (or admin) of organization A must get 404 for every URL of organization B, exactly as
for an organization that doesn't exist, and for B's objects under A's own URLs too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from execution2.orgs.choices import Role

# How to fill each URL keyword with a real object of organization B. A new page with a new
# keyword fails `test_every_url_keyword_is_known` until its kind of object is added here.
KWARG_FACTORIES: dict[str, Callable[[Any], object]] = {
    "org_slug": lambda world: world.org_b.slug,
    "person_id": lambda world: world.person_b.pk,
    "membership_id": lambda world: world.membership_b.pk,
    "unit_id": lambda world: world.unit_b.pk,
    # Objects the world doesn't hold are made on demand, in organization B.
    "job_id": lambda world: _job_of(world.org_b).pk,
    "initiative_id": lambda world: _plan_of(world.org_b).initiative.pk,
    "assignment_id": lambda world: _plan_of(world.org_b).assignment.pk,
    "idea_id": lambda world: _plan_of(world.org_b).idea.pk,
    "opportunity_id": lambda world: _plan_of(world.org_b).opportunity.pk,
    "theme_id": lambda world: _listening_theme_of(world.org_b).pk,
    "cycle_id": lambda world: _assessment_of(world.org_b).cycle.pk,
    "subject_id": lambda world: _assessment_of(world.org_b).subject.pk,
    # Not objects: which index table and file format to export.
    "table": lambda world: "components",
    "fmt": lambda world: "csv",
}
# Keywords that name no object of an organization (a choice among fixed values).
NOT_OBJECTS = {"org_slug", "table", "fmt"}


def _assessment_of(organization: Any) -> Any:
    from tests.assessments.factories import assessment_objects

    return assessment_objects(organization)


def _listening_theme_of(organization: Any) -> Any:
    from execution2.listening.models import Theme

    theme, _ = Theme.objects.get_or_create(organization=organization, name="Delivery")
    return theme


def _plan_of(organization: Any) -> Any:
    from tests.plans.factories import plan_objects

    return plan_objects(organization)


def _job_of(organization: Any) -> Any:
    from execution2.core.models import Job

    return Job.objects.create(organization=organization, kind="people.import", label="Import")


# Pages outside any organization. Adding one is a conscious choice: it must not show data of an
# organization, or it must scope what it shows to the signed-in user itself.
NOT_IN_AN_ORGANIZATION = {
    "home",  # the signed-in user's own organizations
    "organization_new",  # staff only; creates an organization, shows none
    "login",
    "logout",
    # The anonymous survey: reached by its single-use link, shows only the invited person's own
    # questions, never any result (assessments.survey_urls, mounted at s/ in config/urls.py).
    "survey:answer",
    "password_reset_confirm",  # guarded by its signed token
    "password_reset_complete",
    "password_reset",  # the same answer whether or not the address has an account
    "password_reset_done",
    # One's own account (execution2.accounts): only the signed-in user's own sessions and
    # second step; the code step of sign-in knows only who just gave their password.
    "accounts:signin_code",
    "accounts:security",
    "accounts:mfa_setup",
    "accounts:recovery_codes",
    "accounts:mfa_off",
    "accounts:session_end",
}

# Pages only admins may open; more may be added, none of these may lose the protection.
ADMIN_ONLY = {
    "orgs:people_import",
    "orgs:people_export",
    "orgs:members",
    "orgs:member",
    "orgs:settings",
    "orgs:audit",
    "accounts:org_security",
    "plans:file",
    "plans:export",
    "network:import",
    "network:analyze",
    "insights:compute",
    "insights:outcomes",
    "insights:weights",
    "insights:portfolio",
}


@dataclass(frozen=True)
class Route:
    name: str | None
    route: str
    kwargs: tuple[str, ...]
    callback: Any

    @property
    def label(self) -> str:
        return self.name or self.route


def _keywords(pattern: Any) -> list[str]:
    converters = getattr(pattern, "converters", None)
    if converters is not None:
        return list(converters)
    regex = getattr(pattern, "regex", None)
    return list(regex.groupindex) if regex is not None else []


def _walk(
    resolver: URLResolver, prefix: str = "", namespace: str = "", kwargs: tuple[str, ...] = ()
) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        names = kwargs + tuple(_keywords(entry.pattern))
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _walk(entry, route, inner, names)
        elif isinstance(entry, URLPattern):
            name = namespace + entry.name if entry.name else None
            yield Route(name, route, names, entry.callback)


# The REST API under api/ answers to tokens, not sessions: tests/api/test_tenancy.py walks
# every operation of its schema the same way, and checks that the schema lists every route.
API_PREFIX = "api/"
ROUTES = [r for r in _walk(get_resolver()) if not r.route.startswith(API_PREFIX)]
ORG_ROUTES = [r for r in ROUTES if "org_slug" in r.kwargs]
OTHER_ROUTES = [r for r in ROUTES if "org_slug" not in r.kwargs]


def test_the_walk_finds_the_organization_pages() -> None:
    names = {r.name for r in ORG_ROUTES}
    assert {"orgs:home", "orgs:people", "orgs:person", "orgs:members"} <= names
    assert names >= ADMIN_ONLY


UNKNOWN_KWARG_HELP = (
    "Add it to KWARG_FACTORIES in tests/web/test_tenancy.py with an object of organization B, "
    "so the new page is checked for leaks between organizations."
)


def test_every_url_keyword_is_known() -> None:
    unknown = sorted(
        f"{kwarg!r} in {r.label}"
        for r in ORG_ROUTES
        for kwarg in r.kwargs
        if kwarg not in KWARG_FACTORIES
    )
    assert not unknown, f"the tenancy test can't fill URL keywords {unknown}. {UNKNOWN_KWARG_HELP}"


def test_every_organization_page_has_a_name_and_goes_through_org_view() -> None:
    unnamed = [r.route for r in ORG_ROUTES if r.name is None]
    assert not unnamed, f"give these URL patterns a name: {unnamed}"
    unguarded = [r.label for r in ORG_ROUTES if getattr(r.callback, "org_min_role", None) is None]
    assert not unguarded, (
        f"these organization pages don't use execution2.orgs.tenancy.org_view: {unguarded}"
    )


def test_every_page_outside_an_organization_is_a_conscious_choice() -> None:
    outside = {r.label for r in OTHER_ROUTES}
    unexpected = sorted(outside - NOT_IN_AN_ORGANIZATION)
    assert not unexpected, (
        f"pages outside /o/<org_slug>/: {unexpected}. If one shows organization data, move it "
        "under an organization with org_view; otherwise add it to NOT_IN_AN_ORGANIZATION in "
        "tests/web/test_tenancy.py, saying why it is safe."
    )


@dataclass
class World:
    org_a: Any
    org_b: Any
    person_b: Any
    membership_b: Any
    unit_b: Any
    clients: dict[str, Client]


@pytest.fixture
def world(
    make_org: Callable[..., Any],
    make_user: Callable[..., Any],
    import_people: Callable[..., Any],
    small_org_csv: str,
    sign_in: Callable[..., Client],
) -> World:
    from execution2.orgs.models import Membership, Person, Unit

    org_a = make_org("alpha", "Alpha")
    org_b = make_org("bravo", "Bravo")
    import_people(org_a, small_org_csv)
    import_people(org_b, small_org_csv)
    users = {
        "member of A": make_user("member@alpha.example", org_a, Role.MEMBER),
        "admin of A": make_user("admin@alpha.example", org_a, Role.ADMIN),
        "member of B": make_user("member@bravo.example", org_b, Role.MEMBER),
        "executive of B": make_user("exec@bravo.example", org_b, Role.EXECUTIVE),
        "admin of B": make_user("admin@bravo.example", org_b, Role.ADMIN),
    }
    return World(
        org_a=org_a,
        org_b=org_b,
        person_b=Person.objects.filter(organization=org_b).order_by("pk").last(),
        membership_b=Membership.objects.get(organization=org_b, user=users["member of B"]),
        unit_b=Unit.objects.filter(organization=org_b).order_by("pk").last(),
        clients={label: sign_in(user) for label, user in users.items()},
    )


def _url(route: Route, world: World, **override: object) -> str:
    unknown = [kwarg for kwarg in route.kwargs if kwarg not in KWARG_FACTORIES]
    if unknown:
        pytest.fail(
            f"{route.label} takes URL keywords {unknown} this test can't fill. "
            + UNKNOWN_KWARG_HELP
        )
    kwargs = {kwarg: KWARG_FACTORIES[kwarg](world) for kwarg in route.kwargs}
    kwargs.update(override)
    return reverse(route.name, kwargs=kwargs)  # type: ignore[arg-type]


def _statuses(client: Client, url: str) -> dict[str, int]:
    return {
        "GET": client.get(url).status_code,
        "POST": client.post(url, {"action": "remove", "email": "x@example.com"}).status_code,
    }


def test_a_member_or_admin_of_another_organization_gets_404_everywhere(world: World) -> None:
    leaks = []
    for route in ORG_ROUTES:
        url = _url(route, world)
        for who in ("member of A", "admin of A"):
            for method, status in _statuses(world.clients[who], url).items():
                if status != 404:
                    leaks.append(f"{who}: {method} {url} ({route.label}) answered {status}")
    assert not leaks, "\n".join(leaks)


def test_objects_of_another_organization_are_404_under_ones_own_organization(
    world: World,
) -> None:
    leaks = []
    for route in ORG_ROUTES:
        if set(route.kwargs) <= NOT_OBJECTS:
            continue
        url = _url(route, world, org_slug=world.org_a.slug)
        for method, status in _statuses(world.clients["admin of A"], url).items():
            if status != 404:
                leaks.append(f"admin of A: {method} {url} ({route.label}) answered {status}")
    assert not leaks, "\n".join(leaks)


def test_the_urls_the_walk_builds_work_for_the_organizations_own_admin(world: World) -> None:
    # Without this, the 404s above could come from URLs that are wrong for everyone.
    broken = []
    for route in ORG_ROUTES:
        url = _url(route, world)
        status = world.clients["admin of B"].get(url).status_code
        if status >= 400:
            broken.append(f"{url} ({route.label}) answered {status}")
    assert not broken, "\n".join(broken)


def test_members_below_admin_get_403_on_admin_pages(world: World) -> None:
    admin_routes = [r for r in ORG_ROUTES if r.callback.org_min_role == Role.ADMIN]
    assert {r.name for r in admin_routes} >= ADMIN_ONLY
    wrong = []
    for route in admin_routes:
        url = _url(route, world)
        for who in ("member of B", "executive of B"):
            for method, status in _statuses(world.clients[who], url).items():
                if status != 403:
                    wrong.append(f"{who}: {method} {url} answered {status}")
    assert not wrong, "\n".join(wrong)


def test_members_can_open_the_pages_meant_for_every_member(world: World) -> None:
    open_routes = [r for r in ORG_ROUTES if r.callback.org_min_role == Role.MEMBER]
    assert {r.name for r in open_routes} >= {"orgs:home", "orgs:people", "orgs:person"}
    for route in open_routes:
        assert world.clients["member of B"].get(_url(route, world)).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    anonymous = Client()
    login = reverse("login")
    for route in ORG_ROUTES:
        url = _url(route, world)
        for method in ("get", "post"):
            response = getattr(anonymous, method)(url)
            assert response.status_code == 302, f"{method.upper()} {url}"
            assert response["Location"].startswith(f"{login}?next="), f"{method.upper()} {url}"


# --- and nothing answers a server error ------------------------------------------------

JUNK_QUERY = {
    "page": "abc",
    "sort": "no-such-column",
    "unit": "xyz",
    "owner": "-1",
    "q": "\x00%' OR 1=1 --",
    "format": "exe",
    "as_of": "2026-02-30",
    "since": "yesterday",
    "window": "-5d",
    "cycle": "999999999999999999999",
    "level": "nothing",
    "group": "../../etc",
    "status": "<script>",
}
JUNK_FORM = {
    "action": "no-such-action",
    "name": "x" * 5000,
    "email": "not-an-email",
    "role": "emperor",
    "value": "NaN",
    "confidence": "11",
    "due_date": "31/31/2031",
    "file": "not a file",
}


def test_no_organization_page_answers_500_to_junk_parameters(world: World) -> None:
    admin = world.clients["admin of B"]
    failures = []
    for route in ORG_ROUTES:
        url = _url(route, world)
        for method, response in (
            ("GET", admin.get(url, JUNK_QUERY)),
            ("POST", admin.post(url, JUNK_FORM)),
        ):
            if response.status_code >= 500:
                failures.append(f"{method} {url} ({route.label}) answered {response.status_code}")
    assert not failures, "\n".join(failures)
