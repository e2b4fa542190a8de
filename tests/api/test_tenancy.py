"""Tenancy and roles over every operation of the API's schema, as tests/web does for pages.

A token of organization A gets 404 for every operation on organization B, and for B's objects
under A's own addresses, exactly as for something that doesn't exist. Within B each role gets
403 below the operation's minimum role, and an answer that is neither 403 nor 404 from it on.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from execution2.orgs.choices import ROLE_RANK, Role
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db

# The least role each operation needs, as on the matching page. A new operation fails
# `test_every_operation_says_which_role_it_needs` until it is listed here.
MIN_ROLE: dict[str, Role] = {
    **dict.fromkeys(
        [
            "organization",
            "units",
            "unit",
            "people",
            "person",
            "opportunities",
            "initiatives",
            "initiative",
            "kpis",
            "kpi_values",
            "tactics",
            "assignments",
            "assignment",
            "checkins",
            "blockers",
            "kudos",
            "assignment_acknowledge",
            "checkin_create",
            "blocker_raise",
            "blocker_escalate",
            "blocker_resolve",
            "kudos_create",
            "network",
            "network_units",
            "network_trends",
            "listening",
            "listening_trends",
            "listening_themes",
            "listening_spikes",
            "job",
        ],
        Role.MEMBER,
    ),
    **dict.fromkeys(["kpi_value_record", "assignment_create"], Role.MANAGER),
    **dict.fromkeys(
        [
            "cycles",
            "cycle",
            "participation",
            "results",
            "index_current",
            "index_units",
            "index_unit",
            "index_history",
        ],
        Role.EXECUTIVE,
    ),
    **dict.fromkeys(
        [
            "person_put",
            "people_import",
            "cycle_create",
            "cycle_open",
            "cycle_close",
            "network_people",
            "network_import",
            "network_analyze",
            "listening_import",
            "listening_analyze",
            "index_outcomes",
            "index_compute",
        ],
        Role.ADMIN,
    ),
}
# Operations outside any organization; each must show only the token's own user.
NOT_IN_AN_ORGANIZATION = {"organizations"}
UPLOADS = {"people_import", "network_import", "listening_import"}


@dataclass
class World:
    org_a: Any
    org_b: Any
    objects: dict[str, Any]
    apis: dict[str, Api]


def _world_objects(organization: Any) -> dict[str, Any]:
    """One object of every kind an operation's address names, in `organization`."""
    from django.utils import timezone

    from execution2.assessments.services import cycle_create
    from execution2.core.models import Job
    from execution2.insights.models import IndexRun, RunStatus, ScopeIndex
    from execution2.listening.models import AnalysisRun
    from execution2.network.models import NetworkSnapshot
    from execution2.orgs.models import Person, Unit
    from execution2.plans.models import KPI, Blocker
    from tests.plans.factories import plan_objects

    plan = plan_objects(organization)
    person = Person.objects.filter(organization=organization).order_by("pk").last()
    unit = Unit.objects.filter(organization=organization).order_by("pk").last()
    kpi = KPI.objects.create(initiative=plan.initiative, name="Share", baseline=1, target=2)
    blocker = Blocker.objects.create(
        organization=organization,
        initiative=plan.initiative,
        assignment=plan.assignment,
        description="In the way",
        raised_by=person,
        raised_at=timezone.now(),
    )
    job = Job.objects.create(organization=organization, kind="people.import", label="Import")
    cycle = cycle_create(
        organization=organization,
        name="Walker cycle",
        kind="upward",
        opens_on=datetime.date(2026, 1, 5),
        closes_on=datetime.date(2026, 1, 23),
    )
    # Stored results, so the reads of analyses have something to answer for their own admin.
    NetworkSnapshot.objects.create(
        organization=organization, as_of=datetime.date(2026, 1, 1), window_days=90
    )
    AnalysisRun.objects.create(organization=organization)
    run = IndexRun.objects.create(
        organization=organization, as_of=datetime.date(2026, 1, 1), status=RunStatus.DONE
    )
    ScopeIndex.objects.create(run=run, unit=None, payload={"scope": {"path": ""}})
    ScopeIndex.objects.create(
        run=run, unit=unit, depth=unit.depth + 1, payload={"scope": {"path": unit.path}}
    )
    return {
        "org_slug": organization.slug,
        "person_id": person.pk,
        "external_id": person.external_id,
        "unit_id": unit.pk,
        "initiative_id": plan.initiative.pk,
        "kpi_id": kpi.pk,
        "assignment_id": plan.assignment.pk,
        "blocker_id": blocker.pk,
        "cycle_id": cycle.pk,
        "job_id": str(job.pk),
    }


def _body(operation_id: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    """A valid body for each write, so that only tenancy and role decide the answer."""
    bodies: dict[str, dict[str, Any]] = {
        "person_put": {"name": "Walker", "unit": "Walk"},
        "kpi_value_record": {"day": "2026-01-05", "value": 1.5},
        "assignment_create": {
            "initiative_id": objects["initiative_id"],
            "owner_id": objects["person_id"],
            "title": "Walk",
        },
        "checkin_create": {"progress": 10, "confidence": 5},
        "blocker_raise": {"description": "Walls"},
        "blocker_escalate": {"to_id": objects["person_id"]},
        "blocker_resolve": {"resolution": "withdrawn"},
        "kudos_create": {"receiver_id": objects["person_id"], "message": "Thanks"},
        "cycle_create": {
            "name": "Walk",
            "kind": "upward",
            "opens_on": "2026-02-02",
            "closes_on": "2026-02-20",
        },
        "network_analyze": {},
        "listening_analyze": {},
        "index_compute": {},
    }
    return bodies.get(operation_id)


@dataclass(frozen=True)
class Operation:
    id: str
    method: str
    path: str

    def url(self, objects: dict[str, Any]) -> str:
        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in objects:
                pytest.fail(f"{self.id}: add an object for {{{name}}} to _world_objects")
            return str(objects[name])

        return re.sub(r"\{(\w+)\}", fill, self.path)


def _operations() -> list[Operation]:
    from execution2.api.v1 import api

    schema = api.get_openapi_schema()
    return [
        Operation(item["operationId"], method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, item in methods.items()
    ]


OPERATIONS = _operations()


def _call(api: Api, operation: Operation, objects: dict[str, Any]) -> Any:
    url = operation.url(objects)
    if operation.method == "GET":
        return api.get(url)
    if operation.id in UPLOADS:
        upload = SimpleUploadedFile("walk.csv", b"id,name\n", content_type="text/csv")
        return api.client.post(url, {"file": upload}, **api.headers)
    return api.send(operation.method, url, _body(operation.id, objects) or {})


@pytest.fixture
def world(
    make_org: Callable[..., Any],
    make_user: Callable[..., Any],
    import_people: Callable[..., Any],
    small_org_csv: str,
    token_for: Callable[..., str],
) -> World:
    org_a = make_org("alpha", "Alpha")
    org_b = make_org("bravo", "Bravo")
    import_people(org_a, small_org_csv)
    import_people(org_b, small_org_csv)
    apis = {
        "admin of A": Api(token_for(make_user("admin@alpha.example", org_a, "admin"), org_a)),
        **{
            f"{role} of B": Api(token_for(make_user(f"{role}@bravo.example", org_b, role), org_b))
            for role in ("member", "manager", "executive", "admin")
        },
    }
    return World(org_a, org_b, _world_objects(org_b), apis)


def test_every_operation_says_which_role_it_needs() -> None:
    ids = {o.id for o in OPERATIONS}
    assert ids - NOT_IN_AN_ORGANIZATION - set(MIN_ROLE) == set()
    assert set(MIN_ROLE) - ids == set(), "MIN_ROLE names operations that no longer exist"
    outside = {o.id for o in OPERATIONS if "{org_slug}" not in o.path}
    assert outside == NOT_IN_AN_ORGANIZATION


def test_the_schema_lists_every_route_the_api_serves() -> None:
    # Anything under api/v1/ that is not in the schema would escape this walker.
    def walk(resolver: URLResolver, prefix: str = "") -> list[str]:
        found = []
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                found += walk(entry, route)
            elif isinstance(entry, URLPattern):
                found.append(route)
        return found

    routes = {r for r in walk(get_resolver()) if r.startswith("api/v1/")}
    schema_routes = {re.sub(r"\{(\w+)\}", r"<\1>", o.path.lstrip("/")) for o in OPERATIONS}
    normalised = {re.sub(r"<\w+:(\w+)>", r"<\1>", r) for r in routes}
    assert normalised - schema_routes == {"api/v1/", "api/v1/openapi.json"}


def test_a_token_of_another_organization_gets_404_for_every_operation(world: World) -> None:
    leaks = []
    for operation in OPERATIONS:
        if operation.id in NOT_IN_AN_ORGANIZATION:
            continue
        response = _call(world.apis["admin of A"], operation, world.objects)
        if response.status_code != 404:
            leaks.append(
                f"{operation.method} {operation.url(world.objects)}: {response.status_code}"
            )
        elif response["Content-Type"] != "application/problem+json":
            leaks.append(f"{operation.id}: 404 without problem details")
    assert not leaks, "\n".join(leaks)


def test_objects_of_another_organization_are_404_under_ones_own(world: World) -> None:
    leaks = []
    own = {**world.objects, "org_slug": world.org_a.slug}
    for operation in OPERATIONS:
        # An external id is a key in the caller's own organization (an upsert), not B's object.
        names = set(re.findall(r"\{(\w+)\}", operation.path)) - {"org_slug", "external_id"}
        if not names:
            continue
        response = _call(world.apis["admin of A"], operation, own)
        if response.status_code != 404:
            leaks.append(f"{operation.method} {operation.url(own)}: {response.status_code}")
    assert not leaks, "\n".join(leaks)


def test_each_role_gets_403_below_the_operations_role_and_an_answer_from_it_on(
    world: World,
) -> None:
    wrong = []
    for operation in OPERATIONS:
        if operation.id in NOT_IN_AN_ORGANIZATION:
            continue
        needed = MIN_ROLE[operation.id]
        for role in ("member", "manager", "executive", "admin"):
            response = _call(world.apis[f"{role} of B"], operation, world.objects)
            allowed = ROLE_RANK[Role(role)] >= ROLE_RANK[needed]
            status = response.status_code
            if (allowed and (status in (401, 403, 404) or status >= 500)) or (
                not allowed and status != 403
            ):
                wrong.append(f"{role}: {operation.method} {operation.url(world.objects)}: {status}")
    assert not wrong, "\n".join(wrong)


def test_ones_organizations_are_only_ones_own(world: World) -> None:
    listed = world.apis["admin of A"].get("/api/v1/orgs").json()
    assert [o["slug"] for o in listed] == ["alpha"]
