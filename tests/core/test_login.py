"""Signing in: it works, and guessing passwords is slowed down."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def empty_rate_limit_counters():
    cache.clear()
    yield
    cache.clear()


def test_a_member_signs_in_with_their_email_and_lands_in_their_organization(
    client, make_org, make_user
):
    org = make_org("acme")
    make_user("ana@acme.example", org)
    response = client.post(reverse("login"), {"username": "ana@acme.example", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).url == f"/o/{org.slug}/"


def test_a_wrong_password_is_refused_in_plain_words(client, make_user, db):
    make_user("ana@acme.example")
    response = client.post(reverse("login"), {"username": "ana@acme.example", "password": "no"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_repeated_failed_sign_ins_are_rate_limited(client, make_user, settings):
    settings.LOGIN_RATE = "5/m"
    make_user("ana@acme.example")
    statuses = [
        client.post(
            reverse("login"), {"username": "ana@acme.example", "password": f"guess {n}"}
        ).status_code
        for n in range(7)
    ]
    assert statuses[:5] == [200] * 5
    assert statuses[5:] == [429, 429]
    # Even the right password waits out the limit.
    blocked = client.post(reverse("login"), {"username": "ana@acme.example", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "_auth_user_id" not in client.session
