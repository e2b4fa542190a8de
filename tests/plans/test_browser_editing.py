"""An admin builds a whole initiative on the pages, by keyboard and mouse only (headless
Chromium), and the plan file exported afterwards holds every part of it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_builds_a_complete_initiative_in_the_browser(
    page: Any, planned: Any, make_user: Any, screenshot: Callable[[Any, str], None]
) -> None:
    from execution2.plans.plan_file import plan_export

    make_user("ada@acme.example", planned, "admin")

    def scenario(tab: Any) -> None:
        from playwright.sync_api import expect

        tab.goto("/")
        tab.get_by_label("E-mail address").fill("ada@acme.example")
        tab.get_by_label("Password").fill(PASSWORD)
        tab.get_by_role("button", name="Sign in").click()
        tab.wait_for_load_state()
        tab.goto(f"/o/{planned.slug}/plan/")

        tab.get_by_role("link", name="New opportunity").click()
        tab.get_by_label("Title").fill("Refill market")
        tab.get_by_label("Market segment").fill("Households that refill")
        tab.get_by_role("button", name="Add opportunity").click()
        expect(tab.get_by_role("status").first).to_contain_text("Refill market")

        tab.get_by_role("link", name="New initiative").click()
        tab.get_by_label("Title").fill("Refill stations")
        tab.get_by_label("Objective").fill("Refill stations in twenty stores")
        search = tab.get_by_label("Search people for owner")
        search.click()
        tab.keyboard.type("Bram")
        owner = tab.get_by_label("Owner (optional)", exact=True)
        expect(owner.locator("option", has_text="Bram Market")).to_have_count(1)
        owner.select_option(label="Bram Market · Marketing")
        tab.get_by_label("Search units for units involved").fill("Market")
        units = tab.get_by_label("Units involved (optional)", exact=True)
        expect(units.locator("option", has_text="Marketing / Social Media")).to_have_count(1)
        units.select_option(label="Marketing")
        tab.get_by_label("Refill market").check()
        tab.get_by_label("Parent initiatives").select_option(label="Launch the eco product line")
        tab.get_by_label("Start").fill("2026-02-01")
        tab.get_by_label("End").fill("2026-11-30")
        screenshot(tab, "plans-edit-01-new-initiative")
        tab.get_by_role("button", name="Create initiative").click()
        expect(tab.get_by_role("heading", level=1)).to_contain_text("Refill stations")
        expect(tab.get_by_role("link", name="Edit", exact=True)).to_be_visible()

        tab.get_by_role("link", name="KPIs, tactics and money").click()
        add_kpi = tab.locator("details", has=tab.get_by_text("Add a KPI", exact=True))
        add_kpi.locator("summary").click()
        add_kpi.get_by_label("KPI", exact=True).fill("Stores with a station")
        add_kpi.get_by_label("Unit (optional)", exact=True).fill("stores")
        add_kpi.get_by_label("Baseline").fill("0")
        add_kpi.get_by_label("Target").fill("20")
        add_kpi.get_by_label("Expected update every (days)").fill("30")
        add_kpi.get_by_role("button", name="Add KPI").click()
        expect(tab.get_by_role("status").first).to_contain_text("Saved")

        add_tactic = tab.locator("details", has=tab.get_by_text("Add a tactic", exact=True))
        add_tactic.locator("summary").click()
        add_tactic.get_by_label("Tactic", exact=True).fill("Pilot in five stores")
        add_tactic.get_by_role("button", name="Add tactic").click()
        expect(tab.get_by_role("status").first).to_contain_text("Saved")

        add_line = tab.locator("details", has=tab.get_by_text("Add a resource line", exact=True))
        add_line.locator("summary").click()
        add_line.get_by_label("Kind").select_option(label="People's hours")
        add_line.get_by_label("Month").fill("2026-03")
        add_line.get_by_label("Planned").fill("120")
        add_line.get_by_label("Rate per hour").fill("80")
        add_line.get_by_role("button", name="Add resource line").click()
        expect(tab.get_by_role("status").first).to_contain_text("Saved")
        expect(tab.locator("strong", has_text="Stores with a station")).to_be_visible()
        screenshot(tab, "plans-edit-02-parts")

        tab.get_by_role("link", name="Refill stations").click()
        tab.get_by_role("link", name="Delegate an assignment").click()
        tab.get_by_label("Title").fill("Find five pilot stores")
        tab.get_by_label("Owner").select_option(label="Chloé Social (Social Media Lead)")
        tab.get_by_label("Tactic").select_option(label="Pilot in five stores")
        tab.get_by_label("Due").fill("2026-04-30")
        tab.get_by_role("button", name="Delegate").click()
        expect(tab.get_by_role("status").first).to_contain_text("Delegated")
        tab.get_by_role("link", name="Refill stations").click()
        screenshot(tab, "plans-edit-03-initiative")

    scenario(page)

    document = yaml.safe_load(plan_export(organization=planned))
    opportunity = next(o for o in document["opportunities"] if o["title"] == "Refill market")
    initiative = next(i for i in document["initiatives"] if i["title"] == "Refill stations")
    assert initiative["owner"] == "2"
    assert initiative["units"] == ["Marketing"]
    assert initiative["opportunities"] == [opportunity["key"]]
    assert initiative["parents"] == ["eco-line"]
    assert initiative["kpis"] == [
        {
            "name": "Stores with a station",
            "unit": "stores",
            "baseline": 0.0,
            "target": 20.0,
            "direction": "up",
            "update_every_days": 30,
        }
    ]
    (tactic,) = initiative["tactics"]
    assert tactic["title"] == "Pilot in five stores"
    assert [a["title"] for a in tactic["assignments"]] == ["Find five pilot stores"]
    assert initiative["resources"] == [
        {"kind": "human", "period": "2026-03", "planned": 120.0, "actual": 0.0, "rate": 80.0}
    ]
