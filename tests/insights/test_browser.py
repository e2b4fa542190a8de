"""The executive dashboard in headless Chromium: its charts draw under the strict CSP, and a
unit's row leads to that unit's own dashboard."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_executive_reads_the_dashboard_and_drills_down_to_a_unit(
    page: Any,
    screenshot: Callable[[Any, str], None],
    make_user: Callable[..., Any],
    settings: Any,
    tmp_path: Path,
) -> None:
    from execution2.insights.selectors import latest_run, scope_index
    from execution2.insights.services import index_compute
    from execution2.orgs.demo import demo_build

    settings.DATA_DIR = tmp_path / "data"
    organization = demo_build(
        slug="story", people=150, step_options={"network": {"events_per_person": 40}}
    ).organization
    run = latest_run(organization=organization) or index_compute(organization=organization)
    make_user("ceo@example.com", organization, "executive")
    payload = scope_index(run=run).payload

    page.goto("/")
    page.get_by_label("E-mail address").fill("ceo@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Execution Index").click()
    page.get_by_role("heading", name="Execution Index", level=1).wait_for()
    assert page.get_by_test_id("index").inner_text().count(f"{payload['index']:.1f}") == 1
    charts = page.locator("[data-vega-chart] canvas")
    charts.first.wait_for(state="visible")
    assert charts.count() >= 3  # components, trend, the unit heatmap
    screenshot(page, "index-dashboard")

    units = page.get_by_test_id("units-table")
    first = units.locator("tbody th a").first
    name = first.inner_text()
    first.click()
    page.get_by_role("heading", name=f"Execution Index: {name}", level=1).wait_for()
    assert page.get_by_role("navigation", name="Breadcrumb").is_visible()
    page.locator("[data-vega-chart] canvas").first.wait_for(state="visible")
    screenshot(page, "index-unit")
