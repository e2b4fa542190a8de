"""Fixtures for the web tests: signed-in clients and a populated organization."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def _fast_and_fresh(settings: Any) -> Iterator[None]:
    """Cheap password hashing, a fresh rate-limit cache and mail kept in memory per test."""
    from django.core.cache import cache

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def acme(
    make_org: Callable[..., Any], import_people: Callable[..., Any], small_org_csv: str
) -> Any:
    """An organization with the six people of the shared small CSV."""
    organization = make_org("acme", "Acme Corp")
    import_people(organization, small_org_csv)
    return organization


@pytest.fixture
def sign_in() -> Callable[..., Client]:
    def make(user: Any, **client_options: Any) -> Client:
        client = Client(**client_options)
        client.force_login(user)
        return client

    return make


@pytest.fixture
def admin_client(
    acme: Any, make_user: Callable[..., Any], sign_in: Callable[..., Client]
) -> Client:
    return sign_in(make_user("admin@acme.example", acme, "admin"))


@pytest.fixture
def member_client(
    acme: Any, make_user: Callable[..., Any], sign_in: Callable[..., Client]
) -> Client:
    return sign_in(make_user("member@acme.example", acme, "member"))
