"""The whole survey answered with the keyboard alone: Tab into each question, Space to pick,
arrow keys to move along the scale, Enter on the submit button; the response is stored."""

from __future__ import annotations

from typing import Any

import pytest

from execution2.assessments.models import Comment, Response
from tests.assessments.conftest import links_in_mail, open_cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 10  # between two questions: more means something without a purpose takes the focus

_FOCUSED = """() => {
  const e = document.activeElement;
  return {tag: e.tagName.toLowerCase(), type: e.type || '', name: e.name || '',
          value: e.value || '', text: (e.textContent || '').trim()};
}"""

# The focus ring of the focused radio: drawn on its label box (the radio itself is small).
_RING = """() => {
  const label = document.activeElement.closest('label');
  const style = getComputedStyle(label);
  return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
}"""


def _tab_to(page: Any, wanted: Any, what: str) -> dict[str, str]:
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused: dict[str, str] = page.evaluate(_FOCUSED)
        if wanted(focused):
            return focused
    raise AssertionError(f"{MAX_TABS} presses of Tab did not reach {what}; at {focused}")


def test_a_rater_answers_the_whole_survey_with_the_keyboard_alone(page: Any, acme: Any) -> None:
    from playwright.sync_api import expect

    open_cycle(acme)
    link = links_in_mail()["p10@acme.example"][0]
    page.goto(link)

    groups = page.eval_on_selector_all(
        "fieldset.survey-item",
        """(sets) => sets.map((s) => ({
             name: s.querySelector('input[type=radio]').name,
             legend: (s.querySelector('legend') || {}).textContent || '',
             options: s.querySelectorAll('input[type=radio]').length}))""",
    )
    assert len(groups) > 20
    assert all(g["legend"].strip() for g in groups), "every question is a fieldset with a legend"

    # Strongly disagree … Strongly agree, then "don't know" (the sixth option) for every
    # seventh question; the picks go round the scale so every value is used.
    picks = {g["name"]: (6 if i % 7 == 6 else i % 5 + 1) for i, g in enumerate(groups)}
    for group in groups:
        name = group["name"]
        _tab_to(page, lambda f, name=name: f["name"] == name, f"the question {name}")
        page.keyboard.press("Space")  # picks the first option: strongly disagree
        for _ in range(picks[name] - 1):
            page.keyboard.press("ArrowRight")
        assert page.evaluate(_RING), f"the focus is not visible on {name}"

    open_questions = page.locator("textarea").count()
    assert open_questions
    for index in range(open_questions):
        _tab_to(page, lambda f: f["tag"] == "textarea", "an open question")
        page.keyboard.type(f"Typed answer {index + 1}.")

    _tab_to(page, lambda f: f["text"] == "Submit my answers", "the submit button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()

    stored = Response.objects.get()
    expected = {name: value for name, value in picks.items() if value <= 5}
    assert stored.answers == expected
    assert sorted(Comment.objects.values_list("text", flat=True)) == [
        f"Typed answer {index + 1}." for index in range(open_questions)
    ]
