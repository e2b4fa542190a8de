"""A member works through an assignment in a real browser (headless Chromium).

The browser runs in a thread of its own: Playwright's sync API allows one running instance per
thread, and other packages' browser tests keep theirs open for the whole session.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.plans.conftest import person
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, _chromium_or_skip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_browser(base_url: str, scenario: Callable[[Any], None]) -> None:
    """Run `scenario(tab)` in a fresh headless Chromium; console errors fail the test."""
    _chromium_or_skip()
    outcome: dict[str, Any] = {}

    def run() -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
                )
                context = chromium.new_context(
                    base_url=base_url, viewport={"width": 1280, "height": 900}
                )
                tab = context.new_page()
                tab.set_default_timeout(10_000)
                errors: list[str] = []
                tab.on(
                    "console",
                    lambda m: (
                        errors.append(m.text)
                        if m.type == "error" and "status of 422" not in m.text
                        else None
                    ),
                )
                tab.on("pageerror", lambda error: errors.append(str(error)))
                scenario(tab)
                context.close()
                chromium.close()
                outcome["errors"] = errors
        except BaseException as error:  # handed to the test's thread below
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    assert not outcome["errors"], f"the browser reported errors: {outcome['errors']}"


def shot(tab: Any, name: str) -> None:
    directory = os.environ.get("EXECUTION2_SHOTS")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)


def test_a_member_acknowledges_checks_in_and_recognises_a_colleague(
    live_server: Any, planned: Any, make_user: Any
) -> None:
    from execution2.orgs.models import Membership
    from execution2.plans.models import Assignment, CheckIn, Recognition

    user = make_user("dario@acme.example", planned, "member")
    assert Membership.objects.get(user=user).person == person(planned, "4")  # linked by e-mail

    def scenario(tab: Any) -> None:
        from playwright.sync_api import expect

        tab.goto("/")
        tab.get_by_label("E-mail address").fill("dario@acme.example")
        tab.get_by_label("Password").fill(PASSWORD)
        tab.get_by_role("button", name="Sign in").click()
        tab.wait_for_load_state()
        tab.goto(f"/o/{planned.slug}/plan/my-work/")
        expect(tab.get_by_role("heading", level=1, name="My work")).to_be_visible()
        expect(tab.get_by_role("link", name="Pick a tool", exact=True)).to_be_visible()
        shot(tab, "plans-01-my-work")

        tab.get_by_role("button", name="Acknowledge Pick a tool").click()
        expect(tab.get_by_role("status").first).to_contain_text("Acknowledged")

        tab.get_by_label("Progress (%)").fill("60")
        tab.get_by_label("Confidence (0-10)").fill("8")
        tab.get_by_label("Comment").fill("Two tools left to compare")
        tab.get_by_role("button", name="Save check-in").click()
        expect(tab.get_by_role("status").first).to_contain_text("Check-in saved")
        expect(tab.get_by_text("Two tools left to compare")).to_be_visible()
        shot(tab, "plans-02-assignment")

        tab.get_by_role("link", name="My work").first.click()
        tab.get_by_label("Colleague", exact=True).select_option(
            label="Chloé Social (Social Media Lead)"
        )
        tab.get_by_label("What do you recognise them for?").fill("Thanks for the clear brief")
        tab.get_by_role("button", name="Send recognition").click()
        expect(tab.get_by_role("status").first).to_contain_text("on its way to Chloé Social")
        shot(tab, "plans-03-recognised")

    in_browser(live_server.url, scenario)

    tool = Assignment.objects.get(key="tool")
    assert tool.status == "in_progress"
    assert tool.acknowledged_at is not None
    checkin = CheckIn.objects.get()
    assert (checkin.progress, checkin.confidence, checkin.comment) == (
        60,
        8,
        "Two tools left to compare",
    )
    recognition = Recognition.objects.get()
    assert recognition.giver == person(planned, "4")
    assert recognition.receiver == person(planned, "3")
