"""The listening pages in headless Chromium: charts within the CSP, labelling through htmx.

The browser runs in a thread of its own: Playwright's sync API allows one running instance per
thread, and other packages' browser tests may keep theirs open for the whole session.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, _chromium_or_skip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(tab: Any, name: str) -> None:
    directory = os.environ.get("EXECUTION2_SHOTS")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)


def _scenario(tab: Any) -> None:
    tab.goto("/")
    tab.get_by_label("E-mail address").fill("admin@acme.example")
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_load_state()

    tab.goto("/o/acme/listening/")
    charts = tab.locator("[data-vega-chart] canvas")
    charts.first.wait_for(state="visible")
    assert charts.count() >= 4
    _shot(tab, "listening-overview")

    tab.goto("/o/acme/listening/spikes/")
    tab.locator("[data-vega-chart] canvas").first.wait_for(state="visible")
    assert tab.get_by_text("Driven by:").first.is_visible()

    tab.goto("/o/acme/listening/labels/")
    first = tab.locator(".label-item").first
    first.get_by_role("button", name="Negative").click()
    first.get_by_text("Labelled negative").wait_for()
    assert tab.url.endswith("/listening/labels/")  # labelled in place, no reload
    _shot(tab, "listening-labels")


def _in_browser(base_url: str) -> list[str]:
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
                    lambda m: errors.append(m.text) if m.type == "error" else None,
                )
                tab.on("pageerror", lambda error: errors.append(str(error)))
                _scenario(tab)
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
    return list(outcome["errors"])


def test_an_admin_reads_the_overview_and_labels_a_post_in_place(
    live_server: Any, listening_org: Any, make_user: Any
) -> None:
    from execution2.listening.models import SentimentLabel

    _chromium_or_skip()
    make_user("admin@acme.example", listening_org, "admin")
    errors = _in_browser(live_server.url)
    assert not errors, f"the browser reported errors: {errors}"
    assert SentimentLabel.objects.get().label == "negative"
