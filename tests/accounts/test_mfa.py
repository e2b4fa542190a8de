"""Two-step sign-in: enrolment, the second step at sign-in, recovery codes used once."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from execution2.orgs.models import AuditEvent
from tests.accounts.conftest import totp_now
from tests.conftest import PASSWORD

CODE_PATTERN = re.compile(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>")


def enrol(client: Client, user: Any) -> list[str]:
    """Set up an authenticator through the pages; returns the recovery codes shown."""
    assert client.get(reverse("accounts:mfa_setup")).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:mfa_setup"), {"code": totp_now(device)})
    assert response.status_code == 200
    return CODE_PATTERN.findall(response.content.decode())


def password_step(client: Client, email: str) -> Any:
    return client.post(reverse("login"), {"username": email, "password": PASSWORD})


@pytest.fixture
def ana(make_org: Any, make_user: Any) -> Any:
    return make_user("ana@acme.example", make_org("acme"), "admin")


def test_enrolling_needs_a_right_code_from_the_app(client: Client, ana: Any) -> None:
    client.force_login(ana)
    client.get(reverse("accounts:mfa_setup"))
    response = client.post(reverse("accounts:mfa_setup"), {"code": "000000"})
    assert response.status_code == 422
    assert "doesn&#x27;t match" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=ana, confirmed=True).exists()


def test_enrolling_turns_it_on_shows_ten_recovery_codes_and_is_audited(
    client: Client, ana: Any
) -> None:
    client.force_login(ana)
    codes = enrol(client, ana)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert TOTPDevice.objects.filter(user=ana, confirmed=True).count() == 1
    # Only keyed hashes are stored.
    stored = set(ana.recovery_codes.values_list("code_hash", flat=True))
    assert not stored & set(codes)
    assert AuditEvent.objects.filter(action="account.mfa_enable", actor=ana).exists()


def test_the_password_alone_no_longer_signs_in(client: Client, ana: Any) -> None:
    enrol_client = Client()
    enrol_client.force_login(ana)
    enrol(enrol_client, ana)
    response = password_step(client, "ana@acme.example")
    assert response.status_code == 302
    assert response.url == reverse("accounts:signin_code")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302  # still sent to sign in


def test_the_current_code_after_the_password_signs_in(client: Client, ana: Any) -> None:
    enrol_client = Client()
    enrol_client.force_login(ana)
    enrol(enrol_client, ana)
    device = TOTPDevice.objects.get(user=ana)
    password_step(client, "ana@acme.example")
    # The enrolment used this step's code; an app shows the next one half a minute later.
    response = client.post(reverse("accounts:signin_code"), {"code": totp_now(device, 1)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(ana.pk)
    event = AuditEvent.objects.filter(action="account.signin", actor=ana).first()
    assert event is not None
    assert event.detail["method"] == "password and authenticator code"


def test_a_code_already_used_is_refused(client: Client, ana: Any) -> None:
    enrol_client = Client()
    enrol_client.force_login(ana)
    enrol(enrol_client, ana)
    device = TOTPDevice.objects.get(user=ana)
    code = totp_now(device, 1)
    first = Client()
    password_step(first, "ana@acme.example")
    assert first.post(reverse("accounts:signin_code"), {"code": code}).status_code == 302
    password_step(client, "ana@acme.example")
    response = client.post(reverse("accounts:signin_code"), {"code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_is_refused_and_recorded(client: Client, ana: Any) -> None:
    enrol_client = Client()
    enrol_client.force_login(ana)
    enrol(enrol_client, ana)
    password_step(client, "ana@acme.example")
    response = client.post(reverse("accounts:signin_code"), {"code": "123456"})
    assert response.status_code == 200
    assert "doesn&#x27;t match" in response.content.decode()
    assert "_auth_user_id" not in client.session
    failure = AuditEvent.objects.get(action="account.signin_failed")
    assert failure.detail["reason"] == "wrong authenticator or recovery code"
    assert failure.organization.slug == "acme"


def test_a_recovery_code_signs_in_once_only(ana: Any) -> None:
    enrol_client = Client()
    enrol_client.force_login(ana)
    codes = enrol(enrol_client, ana)
    first = Client()
    password_step(first, "ana@acme.example")
    response = first.post(reverse("accounts:signin_code"), {"code": codes[3].upper()})
    assert response.status_code == 302
    assert first.session["_auth_user_id"] == str(ana.pk)
    assert ana.recovery_codes.filter(used_at__isnull=True).count() == 9

    again = Client()
    password_step(again, "ana@acme.example")
    response = again.post(reverse("accounts:signin_code"), {"code": codes[3]})
    assert response.status_code == 200
    assert "_auth_user_id" not in again.session
    # Another, unused code still works.
    response = again.post(reverse("accounts:signin_code"), {"code": codes[4]})
    assert response.status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client: Client, ana: Any) -> None:
    client.force_login(ana)
    old = enrol(client, ana)
    response = client.post(reverse("accounts:recovery_codes"))
    new = CODE_PATTERN.findall(response.content.decode())
    assert len(new) == 10
    assert not set(new) & set(old)
    other = Client()
    password_step(other, "ana@acme.example")
    assert other.post(reverse("accounts:signin_code"), {"code": old[0]}).status_code == 200
    assert other.post(reverse("accounts:signin_code"), {"code": new[0]}).status_code == 302


def test_the_code_step_expires_without_a_password_step(client: Client, ana: Any) -> None:
    response = client.post(reverse("accounts:signin_code"), {"code": "123456"})
    assert response.status_code == 302
    assert response.url == reverse("login")


def test_turning_it_off_needs_a_code(client: Client, ana: Any) -> None:
    client.force_login(ana)
    enrol(client, ana)
    client.post(reverse("accounts:mfa_off"), {"code": "000000"})
    assert TOTPDevice.objects.filter(user=ana).exists()
    device = TOTPDevice.objects.get(user=ana)
    client.post(reverse("accounts:mfa_off"), {"code": totp_now(device, 1)})
    assert not TOTPDevice.objects.filter(user=ana).exists()
    assert not ana.recovery_codes.exists()
    assert AuditEvent.objects.filter(action="account.mfa_disable").exists()


def test_an_organization_can_require_it_of_its_admins(
    client: Client, ana: Any, make_user: Any
) -> None:
    org = ana.memberships.get().organization
    member = make_user("bo@acme.example", org, "member")
    client.force_login(ana)
    response = client.post(
        reverse("accounts:org_security", kwargs={"org_slug": "acme"}), {"mfa_for_admins": "on"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="security.change", organization=org).exists()
    # The admin without it is sent to set it up, from any organization page.
    response = client.get(reverse("orgs:home", kwargs={"org_slug": "acme"}))
    assert response.status_code == 302
    assert response.url == reverse("accounts:security")
    # A member is not concerned.
    member_client = Client()
    member_client.force_login(member)
    assert member_client.get(reverse("orgs:home", kwargs={"org_slug": "acme"})).status_code == 200
    # Once set up in this session, the pages open again; and it can't be turned off.
    enrol(client, ana)
    assert client.get(reverse("orgs:home", kwargs={"org_slug": "acme"})).status_code == 200
    device = TOTPDevice.objects.get(user=ana)
    client.post(reverse("accounts:mfa_off"), {"code": totp_now(device, 1)})
    assert TOTPDevice.objects.filter(user=ana).exists()


def test_a_session_without_the_second_step_is_asked_for_it_when_required(
    client: Client, ana: Any
) -> None:
    enrol_client = Client()
    enrol_client.force_login(ana)
    enrol(enrol_client, ana)
    org = ana.memberships.get().organization
    org.settings = {"security": {"mfa_for_admins": True}}
    org.save(update_fields=["settings"])
    client.force_login(ana)  # as before the rule: a session with no second step
    home = reverse("orgs:home", kwargs={"org_slug": "acme"})
    response = client.get(home)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:signin_code"))
    device = TOTPDevice.objects.get(user=ana)
    response = client.post(response.url, {"code": totp_now(device, 1)})
    assert response.status_code == 302
    assert response.url == home
    assert client.get(home).status_code == 200
