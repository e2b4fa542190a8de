"""The network overview in headless Chromium: the charts draw under the strict CSP.

The browser runs in a thread of its own: Playwright's sync API allows one running instance per
thread, and other packages' browser tests may keep theirs open for the whole session.
"""

from __future__ import annotations

import datetime
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD, SMALL_ORG_CSV
from tests.network.test_import_and_analysis import EVENTS
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
    tab.get_by_role("link", name="Connectedness").click()
    tab.get_by_role("heading", name="Who works with whom").wait_for()
    charts = tab.locator("[data-vega-chart] canvas")
    charts.first.wait_for(state="visible")
    assert charts.count() >= 3  # trends, leadership reach, the unit x unit matrix
    _shot(tab, "network-overview")
    tab.get_by_role("link", name="Marketing").first.click()
    tab.get_by_role("heading", name="Marketing", level=1).wait_for()
    assert tab.get_by_role("heading", name="Brokers").is_visible()
    _shot(tab, "network-unit")


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
                tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
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


def test_an_admin_reads_the_network_overview_with_its_charts(
    live_server: Any,
    make_org: Callable[..., Any],
    make_user: Callable[..., Any],
    import_people: Callable[..., Any],
    settings: Any,
    tmp_path: Path,
) -> None:
    from execution2.network.services import events_import, network_analyze

    _chromium_or_skip()
    settings.DATA_DIR = tmp_path / "data"
    organization = make_org("acme", "Acme")
    import_people(organization, SMALL_ORG_CSV)
    make_user("admin@acme.example", organization, "admin")
    events = tmp_path / "events.csv"
    events.write_text(EVENTS, encoding="utf-8")
    events_import(organization=organization, source=events)
    network_analyze(organization=organization, as_of=datetime.date(2026, 1, 31))
    errors = _in_browser(live_server.url)
    assert not errors, f"the browser reported errors: {errors}"
