"""Answering a survey in a real browser from an invitation link, leaving and coming back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from execution2.assessments.models import Invitation, Response
from tests.assessments.conftest import links_in_mail, open_cycle, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


FIRST = "My manager explains how our team's work contributes to the company's strategy."
SECOND = "My manager talks about where the company is heading at least once a month."


def test_a_rater_answers_leaves_and_resumes_from_the_same_link(
    page: Any,
    browser: Any,
    live_server: Any,
    acme: Any,
    screenshot: Callable[[Any, str], None],
) -> None:
    from playwright.sync_api import expect

    open_cycle(acme)
    link = links_in_mail()["p10@acme.example"][0]

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback on Manager 2")
    page.get_by_role("group", name=FIRST).get_by_label("Agree", exact=True).check()
    # The keyboard works too: arrow keys move within a question's options.
    page.get_by_role("group", name=SECOND).get_by_label("Disagree", exact=True).check()
    page.keyboard.press("ArrowRight")
    page.get_by_label("What should your manager keep doing?").fill("Explains the why.")
    page.get_by_label("What should your manager keep doing?").blur()
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()
    screenshot(page, "survey-phone")

    # Leave, and come back later in a fresh browser with the same link.
    page.context.close()
    context = browser.new_context(base_url=live_server.url)
    again = context.new_page()
    again.goto(link)
    expect(again.get_by_role("group", name=FIRST).get_by_label("Agree", exact=True)).to_be_checked()
    expect(
        again.get_by_role("group", name=SECOND).get_by_label(
            "Neither agree nor disagree", exact=True
        )
    ).to_be_checked()
    expect(again.get_by_label("What should your manager keep doing?")).to_have_value(
        "Explains the why."
    )
    again.get_by_role("button", name="Submit my answers").click()
    expect(again.get_by_role("heading", name="Thank you")).to_be_visible()
    again.goto(link)
    expect(again.get_by_role("heading", level=1)).to_have_text("This link doesn't open a survey")
    context.close()

    stored = Response.objects.get()
    assert stored.answers == {"leadership_1": 4, "leadership_2": 3}
    assert Invitation.objects.get(person=person(acme, "10")).answered
