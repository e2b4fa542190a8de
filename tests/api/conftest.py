"""An organization with people and a small plan, its members' tokens, and API clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client


class Api:
    """A test client that sends one token and speaks JSON."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, **self.headers)

    def send(self, method: str, path: str, body: Any = None) -> Any:
        import json

        call = getattr(self.client, method.lower())
        data = json.dumps(body) if body is not None else ""
        return call(path, data=data, content_type="application/json", **self.headers)

    def post(self, path: str, body: Any = None) -> Any:
        return self.send("POST", path, body)

    def put(self, path: str, body: Any = None) -> Any:
        return self.send("PUT", path, body)


@pytest.fixture(autouse=True)
def _fresh_rate_limits_and_memory_mail(settings: Any) -> None:
    from django.core.cache import cache

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


@pytest.fixture
def acme(
    make_org: Callable[..., Any], import_people: Callable[..., Any], small_org_csv: str
) -> Any:
    organization = make_org("acme", "Acme Corp")
    import_people(organization, small_org_csv)
    return organization


@pytest.fixture
def token_for(db: None) -> Callable[..., str]:
    from execution2.api.services import token_create

    def make(user: Any, organization: Any, **options: Any) -> str:
        return token_create(
            organization=organization, user=user, name=options.pop("name", "Tests"), **options
        ).secret

    return make


@pytest.fixture
def api_as(make_user: Callable[..., Any], token_for: Callable[..., str]) -> Callable[..., Api]:
    """An API client for a new member with `role` in `organization`, linked to a person."""
    from execution2.orgs.models import Membership, Person

    def make(
        organization: Any, role: str = "member", person_id: str | None = None, **options: Any
    ) -> Api:
        email = options.pop("email", f"{role}-{person_id or 'x'}@{organization.slug}.example")
        user = make_user(email, organization, role)
        if person_id is not None:
            person = Person.objects.get(organization=organization, external_id=person_id)
            Membership.objects.filter(user=user, organization=organization).update(person=person)
        return Api(token_for(user, organization, **options))

    return make


def plan_in(organization: Any) -> Any:
    """An initiative with a KPI and an assignment from person 2 (delegator) to person 3."""
    from django.utils import timezone

    from execution2.orgs.models import Person
    from execution2.plans.models import KPI, Assignment, Initiative, Opportunity, Tactic

    people = {p.external_id: p for p in Person.objects.filter(organization=organization)}
    opportunity = Opportunity.objects.create(organization=organization, key="eco", title="Eco")
    initiative = Initiative.objects.create(
        organization=organization, key="eco-line", title="Eco line", owner=people["2"]
    )
    initiative.opportunities.add(opportunity)
    kpi = KPI.objects.create(initiative=initiative, name="Share", baseline=10, target=20)
    tactic = Tactic.objects.create(initiative=initiative, title="Launch")
    assignment = Assignment.objects.create(
        organization=organization,
        initiative=initiative,
        tactic=tactic,
        title="Write the launch plan",
        owner=people["3"],
        delegator=people["2"],
        created_at=timezone.now(),
    )
    return type(
        "Plan",
        (),
        {"initiative": initiative, "kpi": kpi, "assignment": assignment, "tactic": tactic},
    )


@pytest.fixture
def sign_in() -> Callable[..., Client]:
    def make(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
