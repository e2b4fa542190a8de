"""Fixtures every test package shares: organizations, people and signed-in users."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True, scope="session")
def jobs_run_where_they_are_submitted() -> None:
    """Huey's immediate mode: a submitted job has run by the time the request returns."""
    from execution2.config.tasks import huey

    huey.immediate = True


@pytest.fixture
def make_org(db: None) -> Callable[..., Any]:
    from execution2.orgs.services import organization_create

    def make(slug: str = "acme", name: str | None = None) -> Any:
        return organization_create(slug=slug, name=name or slug.title())

    return make


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    """A user with `role` in `organization` (None: no membership at all)."""
    from execution2.orgs.services import membership_set, user_get_or_create

    def make(email: str, organization: Any = None, role: str = "member") -> Any:
        user, _ = user_get_or_create(email=email, password=PASSWORD)
        if organization is not None:
            membership_set(organization=organization, user=user, role=role, actor=None)
        return user

    return make


@pytest.fixture
def import_people(db: None) -> Callable[..., Any]:
    """Import a CSV given as text into an organization."""
    from execution2.orgs.people_import import people_import

    def run(organization: Any, csv_text: str, **options: Any) -> Any:
        return people_import(
            organization=organization,
            source=io.BytesIO(csv_text.encode("utf-8")),
            file_name=options.pop("file_name", "people.csv"),
            **options,
        )

    return run


SMALL_ORG_CSV = """id,name,unit,manager_id,email,title,location,start_date
1,Ada Chief,Executive Office,,ada@acme.example,Chief Executive Officer,London,2015-01-05
2,Bram Market,Marketing,1,bram@acme.example,Chief Marketing Officer,London,2016-03-01
3,Chloé Social,Marketing / Social Media,2,chloe@acme.example,Social Media Lead,Paris,2019-06-10
4,Dário Brand,Marketing / Brand,2,dario@acme.example,Brand Manager,Lisbon,2020-02-17
5,Eve Engineer,Engineering,1,eve@acme.example,Chief Technology Officer,Berlin,2015-09-01
6,Finn Platform,Engineering / Platform,5,finn@acme.example,Platform Engineer,Berlin,2021-01-11
"""


@pytest.fixture
def small_org_csv() -> str:
    return SMALL_ORG_CSV
