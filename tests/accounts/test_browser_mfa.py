"""Two-step sign-in in a real browser: set it up, sign out, sign in with a code."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import totp_now
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_sets_up_two_step_sign_in_and_signs_in_with_a_code(
    page: Any, make_org: Any, make_user: Any, screenshot: Any
) -> None:
    org = make_org("acme", "Acme Ltd")
    ana = make_user("ana@acme.example", org, "admin")
    page.goto("/accounts/login/")
    screenshot(page, "accounts-signin")
    page.get_by_label("E-mail address").fill("ana@acme.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="ana@acme.example").click()
    page.get_by_role("link", name="Set up two-step sign-in").click()
    page.get_by_alt_text("QR code holding the secret for your authenticator app").wait_for()
    screenshot(page, "accounts-mfa-setup")
    device = TOTPDevice.objects.get(user=ana, confirmed=False)
    page.get_by_label("Code from the app").fill(totp_now(device))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    page.get_by_role("heading", name="Two-step sign-in is on").wait_for()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    screenshot(page, "accounts-recovery-codes")
    page.get_by_role("link", name="I have saved them").click()
    screenshot(page, "accounts-security")
    page.get_by_role("button", name="Sign out everywhere").click()

    page.get_by_label("E-mail address").fill("ana@acme.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Enter your code").wait_for()
    screenshot(page, "accounts-signin-code")
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("You used a recovery code; 9 left.").wait_for()
    assert page.url.endswith("/o/acme/")

    page.goto("/o/acme/sign-in/")
    page.get_by_label("Admins must use two-step sign-in").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Sign-in rules saved.").wait_for()
    screenshot(page, "accounts-org-security")
