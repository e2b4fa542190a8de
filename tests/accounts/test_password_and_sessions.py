"""Password reset by e-mail, the list of one's sessions, and sign-ins in the audit log."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse

from execution2.orgs.models import AuditEvent
from tests.conftest import PASSWORD

LINK = re.compile(r"https?://[^/\s]+(/accounts/password/[^/\s]+/[^/\s]+/)")


def test_a_reset_link_by_email_sets_a_new_password(
    client: Client, make_user: Any, db: None
) -> None:
    make_user("ana@acme.example")
    response = client.post(reverse("password_reset"), {"email": "Ana@Acme.example"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    link = LINK.search(mail.outbox[0].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert "Choose your password" in form_page.content.decode()
    new_password = "a much longer new secret 42"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert done.url == reverse("password_reset_complete")
    assert Client().login(username="ana@acme.example", password=new_password)
    assert not Client().login(username="ana@acme.example", password=PASSWORD)
    # The link worked once.
    again = client.get(link.group(1), follow=True)
    assert "This link no longer works" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client: Client, db: None) -> None:
    response = client.post(reverse("password_reset"), {"email": "nobody@acme.example"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_someone_invited_who_never_chose_a_password_can_ask_for_a_link(
    client: Client, db: None
) -> None:
    from execution2.orgs.services import user_get_or_create

    user, _ = user_get_or_create(email="new@acme.example")
    assert not user.has_usable_password()
    client.post(reverse("password_reset"), {"email": "new@acme.example"})
    assert len(mail.outbox) == 1


def test_the_sign_in_page_offers_the_reset(client: Client, db: None) -> None:
    page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in page


def test_sign_ins_and_refusals_are_in_the_organizations_audit_log(
    client: Client, make_org: Any, make_user: Any
) -> None:
    org = make_org("acme")
    other = make_org("globex")
    make_user("ana@acme.example", org)
    client.post(reverse("login"), {"username": "ana@acme.example", "password": "wrong"})
    client.post(reverse("login"), {"username": "ana@acme.example", "password": PASSWORD})
    events = list(AuditEvent.objects.filter(organization=org).order_by("id"))
    actions = [e.action for e in events if e.action.startswith("account.")]
    assert actions == ["account.signin_failed", "account.signin"]
    assert events[-1].detail["method"] == "password"
    assert events[-1].detail["address"] == "127.0.0.1"
    assert not AuditEvent.objects.filter(organization=other, action__startswith="account.")
    # An address with no account is recorded installation-wide, in no organization.
    Client().post(reverse("login"), {"username": "eve@evil.example", "password": "x"})
    stray = AuditEvent.objects.get(action="account.signin_failed", organization=None)
    assert stray.actor_label == "eve@evil.example"


def _signed_in(email: str, agent: str) -> Client:
    browser = Client(HTTP_USER_AGENT=agent)
    assert (
        browser.post(reverse("login"), {"username": email, "password": PASSWORD}).status_code == 302
    )
    return browser


FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 "
    "Safari/537.36"
)


def test_ones_sessions_are_listed_and_one_can_be_signed_out(make_user: Any, db: None) -> None:
    make_user("ana@acme.example")
    laptop = _signed_in("ana@acme.example", FIREFOX)
    desktop = _signed_in("ana@acme.example", CHROME)
    page = desktop.get(reverse("accounts:security")).content.decode()
    assert "Firefox on Windows" in page
    assert "Chrome on Linux" in page
    laptop_key = laptop.session.session_key
    desktop.post(reverse("accounts:session_end"), {"session": laptop_key})
    assert laptop.get(reverse("home")).status_code == 302  # signed out
    assert desktop.get(reverse("home")).status_code != 302
    assert "Firefox on Windows" not in desktop.get(reverse("accounts:security")).content.decode()


def test_signing_out_everywhere_ends_every_session(make_org: Any, make_user: Any) -> None:
    org = make_org("acme")
    make_user("ana@acme.example", org)
    laptop = _signed_in("ana@acme.example", FIREFOX)
    desktop = _signed_in("ana@acme.example", CHROME)
    response = desktop.post(reverse("accounts:session_end"), {"everywhere": "1"})
    assert response.url == reverse("login")
    assert laptop.get(reverse("home")).status_code == 302
    assert desktop.get(reverse("home")).status_code == 302
    event = AuditEvent.objects.get(action="account.signout_all", organization=org)
    assert event.detail["sessions"] == 2


def test_someone_elses_session_cannot_be_ended(make_user: Any, db: None) -> None:
    make_user("ana@acme.example")
    make_user("bo@acme.example")
    ana = _signed_in("ana@acme.example", FIREFOX)
    bo = _signed_in("bo@acme.example", CHROME)
    bo.post(reverse("accounts:session_end"), {"session": ana.session.session_key})
    assert ana.get(reverse("home")).status_code != 302
