"""The network overview in headless Chromium: the charts draw under the strict CSP."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD, SMALL_ORG_CSV
from tests.network.test_import_and_analysis import EVENTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _scenario(tab: Any, screenshot: Callable[[Any, str], None]) -> None:
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
    screenshot(tab, "network-overview")
    tab.get_by_role("link", name="Marketing").first.click()
    tab.get_by_role("heading", name="Marketing", level=1).wait_for()
    assert tab.get_by_role("heading", name="Brokers").is_visible()
    screenshot(tab, "network-unit")


def test_an_admin_reads_the_network_overview_with_its_charts(
    page: Any,
    screenshot: Callable[[Any, str], None],
    make_org: Callable[..., Any],
    make_user: Callable[..., Any],
    import_people: Callable[..., Any],
    settings: Any,
    tmp_path: Path,
) -> None:
    from execution2.network.services import events_import, network_analyze

    settings.DATA_DIR = tmp_path / "data"
    organization = make_org("acme", "Acme")
    import_people(organization, SMALL_ORG_CSV)
    make_user("admin@acme.example", organization, "admin")
    events = tmp_path / "events.csv"
    events.write_text(EVENTS, encoding="utf-8")
    events_import(organization=organization, source=events)
    network_analyze(organization=organization, as_of=datetime.date(2026, 1, 31))
    _scenario(page, screenshot)
