"""A member works through an assignment in a real browser (headless Chromium)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.plans.conftest import person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_acknowledges_checks_in_and_recognises_a_colleague(
    page: Any, planned: Any, make_user: Any, screenshot: Callable[[Any, str], None]
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
        screenshot(tab, "plans-01-my-work")

        tab.get_by_role("button", name="Acknowledge Pick a tool").click()
        expect(tab.get_by_role("status").first).to_contain_text("Acknowledged")

        tab.get_by_label("Progress (%)").fill("60")
        tab.get_by_label("Confidence (0-10)").fill("8")
        tab.get_by_label("Comment").fill("Two tools left to compare")
        tab.get_by_role("button", name="Save check-in").click()
        expect(tab.get_by_role("status").first).to_contain_text("Check-in saved")
        expect(tab.get_by_text("Two tools left to compare")).to_be_visible()
        screenshot(tab, "plans-02-assignment")

        tab.get_by_role("link", name="My work").first.click()
        tab.get_by_label("Colleague", exact=True).select_option(
            label="Chloé Social (Social Media Lead)"
        )
        tab.get_by_label("What do you recognise them for?").fill("Thanks for the clear brief")
        tab.get_by_role("button", name="Send recognition").click()
        expect(tab.get_by_role("status").first).to_contain_text("on its way to Chloé Social")
        screenshot(tab, "plans-03-recognised")

    scenario(page)

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
