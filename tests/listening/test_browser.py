"""The listening pages in headless Chromium: charts within the CSP, labelling through htmx."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _scenario(tab: Any, screenshot: Callable[[Any, str], None]) -> None:
    tab.goto("/")
    tab.get_by_label("E-mail address").fill("admin@acme.example")
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_load_state()

    tab.goto("/o/acme/listening/")
    charts = tab.locator("[data-vega-chart] canvas")
    charts.first.wait_for(state="visible")
    assert charts.count() >= 4
    screenshot(tab, "listening-overview")

    tab.goto("/o/acme/listening/spikes/")
    tab.locator("[data-vega-chart] canvas").first.wait_for(state="visible")
    assert tab.get_by_text("Driven by:").first.is_visible()

    tab.goto("/o/acme/listening/labels/")
    first = tab.locator(".label-item").first
    first.get_by_role("button", name="Negative").click()
    first.get_by_text("Labelled negative").wait_for()
    assert tab.url.endswith("/listening/labels/")  # labelled in place, no reload
    screenshot(tab, "listening-labels")


def test_an_admin_reads_the_overview_and_labels_a_post_in_place(
    page: Any,
    screenshot: Callable[[Any, str], None],
    listening_org: Any,
    make_user: Any,
) -> None:
    from execution2.listening.models import SentimentLabel

    make_user("admin@acme.example", listening_org, "admin")
    _scenario(page, screenshot)
    assert SentimentLabel.objects.get().label == "negative"
