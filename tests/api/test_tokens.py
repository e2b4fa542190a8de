"""Personal access tokens: made once, stored as a hash, revocable, limited, audited."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner
from django.utils import timezone

from execution2.api.models import ApiToken
from execution2.cli import cli
from execution2.orgs.models import AuditEvent
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db


def test_the_command_line_prints_a_token_once_and_keeps_only_its_hash(
    acme: Any, make_user: Callable[..., Any]
) -> None:
    make_user("ana@acme.example", acme, "admin")
    result = CliRunner().invoke(
        cli,
        [
            "token",
            "create",
            "--org",
            "acme",
            "--user",
            "ana@acme.example",
            "--name",
            "BI",
            "--read-only",
            "--expires",
            "30",
        ],
    )
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    stored = ApiToken.objects.get()
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(ApiToken.objects.values()))
    assert stored.read_only
    assert stored.expires_at is not None
    assert (stored.expires_at - timezone.now()).days in (29, 30)
    assert Api(secret).get("/api/v1/orgs/acme").json()["role"] == "admin"
    listed = CliRunner().invoke(cli, ["token", "list", "--org", "acme"])
    assert "BI" in listed.stdout
    assert secret not in listed.stdout


def test_the_command_line_refuses_a_user_who_is_not_a_member(
    acme: Any, make_user: Callable[..., Any]
) -> None:
    make_user("outsider@example.com")
    result = CliRunner().invoke(
        cli, ["token", "create", "--org", "acme", "--user", "outsider@example.com", "--name", "X"]
    )
    assert result.exit_code == 2
    assert "not a member" in result.output
    assert not ApiToken.objects.exists()


def test_it_refuses_a_missing_wrong_revoked_or_expired_token(
    acme: Any, make_user: Callable[..., Any], token_for: Callable[..., str]
) -> None:
    user = make_user("ana@acme.example", acme, "admin")
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer e2_wrong"}, {"HTTP_AUTHORIZATION": "x"}):
        response = Api(None).client.get("/api/v1/orgs/acme/people", **headers)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        assert response["WWW-Authenticate"].startswith("Bearer")
    revoked = token_for(user, acme, name="old")
    CliRunner().invoke(cli, ["token", "revoke", "--org", "acme", str(ApiToken.objects.get().pk)])
    assert Api(revoked).get("/api/v1/orgs/acme").status_code == 401
    expired = token_for(user, acme, name="short", expires_days=1)
    ApiToken.objects.filter(name="short").update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert Api(expired).get("/api/v1/orgs/acme").status_code == 401


def test_it_refuses_the_token_of_a_user_who_left_the_organization(
    acme: Any, make_user: Callable[..., Any], token_for: Callable[..., str]
) -> None:
    from execution2.orgs.models import Membership

    user = make_user("leaver@acme.example", acme, "member")
    secret = token_for(user, acme)
    Membership.objects.filter(user=user).delete()
    assert Api(secret).get("/api/v1/orgs/acme/people").status_code == 404


def test_a_read_only_token_reads_but_gets_403_on_every_write(
    acme: Any, api_as: Callable[..., Api]
) -> None:
    api = api_as(acme, "admin", person_id="1", read_only=True)
    assert api.get("/api/v1/orgs/acme/people").status_code == 200
    response = api.put("/api/v1/orgs/acme/people/by-external-id/99", {"name": "N", "unit": "X"})
    assert response.status_code == 403
    assert response.json()["detail"] == "This token is read-only."
    from execution2.orgs.models import Person

    assert not Person.objects.filter(external_id="99").exists()


def test_the_last_use_is_recorded_and_shown_on_the_tokens_page(
    acme: Any, make_user: Callable[..., Any], token_for: Callable[..., str], sign_in: Any
) -> None:
    user = make_user("ana@acme.example", acme, "member")
    secret = token_for(user, acme, name="Nightly sync")
    assert ApiToken.objects.get().last_used_at is None
    Api(secret).get("/api/v1/orgs/acme")
    used = ApiToken.objects.get().last_used_at
    assert used is not None
    page = sign_in(user).get("/o/acme/api/tokens/")
    text = page.content.decode()
    assert "Nightly sync" in text
    assert f"{used:%-d %b %Y}" in text
    assert secret not in text


def test_the_tokens_page_creates_a_token_shows_it_once_and_revokes_it(
    acme: Any, make_user: Callable[..., Any], sign_in: Any
) -> None:
    user = make_user("ana@acme.example", acme, "member")
    browser = sign_in(user)
    created = browser.post("/o/acme/api/tokens/", {"name": "Script", "read_only": "on"})
    assert created.status_code == 200
    secret = created.context["new_secret"]
    assert secret.startswith("e2_")
    assert secret in created.content.decode()
    assert secret not in browser.get("/o/acme/api/tokens/").content.decode()
    assert Api(secret).get("/api/v1/orgs/acme").status_code == 200
    token = ApiToken.objects.get()
    assert token.read_only
    browser.post("/o/acme/api/tokens/", {"action": "revoke", "token": str(token.pk)})
    assert Api(secret).get("/api/v1/orgs/acme").status_code == 401


def test_one_cannot_revoke_another_members_token(
    acme: Any, make_user: Callable[..., Any], token_for: Callable[..., str], sign_in: Any
) -> None:
    owner = make_user("ana@acme.example", acme, "member")
    token_for(owner, acme)
    other = sign_in(make_user("bo@acme.example", acme, "admin"))
    token = ApiToken.objects.get()
    response = other.post("/o/acme/api/tokens/", {"action": "revoke", "token": str(token.pk)})
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_each_token_is_rate_limited_on_its_own(
    acme: Any, api_as: Callable[..., Api], settings: Any
) -> None:
    settings.EXECUTION2_API_RATE = "3/m"
    busy = api_as(acme, "member", email="busy@acme.example")
    calm = api_as(acme, "member", email="calm@acme.example")
    statuses = [busy.get("/api/v1/orgs/acme").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = busy.get("/api/v1/orgs/acme")
    assert limited["Content-Type"] == "application/problem+json"
    assert int(limited["Retry-After"]) > 0
    assert calm.get("/api/v1/orgs/acme").status_code == 200


def test_writes_and_exports_made_with_a_token_are_in_the_audit_log(
    acme: Any, api_as: Callable[..., Api]
) -> None:
    api = api_as(acme, "admin", person_id="1")
    audited = AuditEvent.objects.filter(action__in=("api.write", "api.export"))
    api.get("/api/v1/orgs/acme/units")  # a plain read is not audited
    assert not audited.exists()
    api.put("/api/v1/orgs/acme/people/by-external-id/7", {"name": "Gus", "unit": "Marketing"})
    api.get("/api/v1/orgs/acme/people")
    events = list(audited.order_by("id"))
    assert [e.action for e in events] == ["api.write", "api.export"]
    assert events[0].detail["method"] == "PUT"
    assert events[0].detail["token"].startswith("e2_")
    assert events[0].actor_label == "admin-1@acme.example"
    # A refused write is not recorded as done.
    api.put("/api/v1/orgs/acme/people/by-external-id/8", {"name": "", "unit": "Marketing"})
    assert AuditEvent.objects.filter(action="api.write").count() == 1
