"""The pages in a real browser (headless Chromium through Playwright), against a live server."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import PASSWORD, SMALL_ORG_CSV

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD_CSV = SMALL_ORG_CSV.replace("2,Bram Market,Marketing,1,", "2,Bram Market,Marketing,99,")


def _sign_in(page: Any, email: str) -> None:
    page.goto("/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _upload(page: Any, name: str, text: str) -> None:
    page.get_by_label("People file", exact=True).set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}
    )
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_load_state()


def test_an_admin_imports_people_and_finds_a_person(
    page: Any,
    make_org: Callable[..., Any],
    make_user: Callable[..., Any],
    screenshot: Callable[[Any, str], None],
) -> None:
    from playwright.sync_api import expect

    from execution2.orgs.models import Person

    acme = make_org("acme", "Acme Corp")
    make_user("admin@acme.example", acme, "admin")

    _sign_in(page, "admin@acme.example")
    expect(page.get_by_role("heading", name="No people yet")).to_be_visible()
    screenshot(page, "01-home-empty")

    page.get_by_role("link", name="Import people").first.click()
    expect(page.get_by_role("heading", level=1, name="Import people")).to_be_visible()
    screenshot(page, "02-import")

    _upload(page, "people.csv", BAD_CSV)
    problems = page.get_by_role("alert")
    expect(problems).to_contain_text(
        "people.csv:3:manager_id: manager id '99' is not an id in this file"
    )
    expect(problems).to_contain_text("Nothing was imported.")
    assert Person.objects.count() == 0
    screenshot(page, "03-import-refused")

    _upload(page, "people.csv", SMALL_ORG_CSV)
    expect(page.get_by_role("status").first).to_contain_text(
        "6 people in the file: 6 created, 0 updated, 0 unchanged, 0 deactivated"
    )
    expect(page.get_by_role("heading", level=1, name="People")).to_be_visible()
    screenshot(page, "04-directory")

    # Live search: the table narrows as you type, without a page load.
    page.get_by_label("Search people").fill("Chloé")
    results = page.locator("#people-results")
    expect(results.get_by_role("link", name="Ada Chief")).to_have_count(0)
    expect(results.get_by_role("link", name="Chloé Social")).to_be_visible()
    assert "q=Chlo" in page.url
    screenshot(page, "05-search")

    results.get_by_role("link", name="Chloé Social").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chloé Social")
    chain = page.get_by_role("navigation", name="Manager chain")
    expect(chain).to_contain_text("Ada Chief")
    expect(chain).to_contain_text("Bram Market")
    screenshot(page, "06-person")

    # Back to the search, then back to before it: htmx keeps no copy, the server answers.
    page.go_back()
    expect(page.get_by_label("Search people")).to_have_value("Chloé")
    page.go_back()
    expect(page.get_by_label("Search people")).to_have_value("")
    expect(page.get_by_role("row").filter(has_text="Finn Platform")).to_have_count(1)


def test_the_directory_search_works_without_javascript(
    browser: Any,
    live_server: Any,
    make_org: Callable[..., Any],
    make_user: Callable[..., Any],
    import_people: Callable[..., Any],
) -> None:
    from playwright.sync_api import expect

    acme = make_org("acme", "Acme Corp")
    import_people(acme, SMALL_ORG_CSV)
    make_user("member@acme.example", acme, "member")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        _sign_in(page, "member@acme.example")
        page.goto("/o/acme/people/")
        page.get_by_label("Search people").fill("Dário")
        page.get_by_role("button", name="Search").click()
        page.wait_for_load_state()
        expect(page.get_by_role("link", name="Dário Brand")).to_be_visible()
        expect(page.locator("#people-results").get_by_role("link", name="Ada Chief")).to_have_count(
            0
        )
    finally:
        context.close()


# Every page once per look: the CSP turns any inline script or style into a console error,
# which the `page` fixture fails on. Set EXECUTION2_SHOTS=/tmp/shots to look at them all, in the
# dark scheme and on a phone too.
LOOKS = [("light", "light", {"width": 1280, "height": 900})]
if os.environ.get("EXECUTION2_SHOTS"):
    LOOKS += [
        ("dark", "dark", {"width": 1280, "height": 900}),
        ("phone", "light", {"width": 390, "height": 844}),
        ("phone-dark", "dark", {"width": 390, "height": 844}),
    ]


def test_every_page_loads_without_browser_errors(
    page: Any,
    make_org: Callable[..., Any],
    make_user: Callable[..., Any],
    import_people: Callable[..., Any],
    screenshot: Callable[[Any, str], None],
) -> None:
    from execution2.orgs.models import Person

    acme = make_org("acme", "Acme Corp")
    globex = make_org("globex", "Globex International")
    import_people(acme, SMALL_ORG_CSV)
    make_user("admin@acme.example", acme, "admin")
    make_user("admin@acme.example", globex, "member")  # a consultant serves several clients
    make_user("bram@acme.example", acme, "manager")
    chloe = Person.objects.get(organization=acme, external_id="3")
    pages = [
        ("home", "/"),
        ("org-home", "/o/acme/"),
        ("people", "/o/acme/people/"),
        ("people-unit", f"/o/acme/people/?unit={chloe.unit_id}"),
        ("people-empty", "/o/acme/people/?q=nobody"),
        ("person", f"/o/acme/people/{chloe.pk}/"),
        ("import", "/o/acme/people/import/"),
        ("members", "/o/acme/members/"),
        ("settings", "/o/acme/settings/"),
        ("audit", "/o/acme/audit/"),
        ("globex-home", "/o/globex/"),
    ]
    _sign_in(page, "admin@acme.example")
    for look, scheme, viewport in LOOKS:
        page.emulate_media(color_scheme=scheme)
        page.set_viewport_size(viewport)
        for name, url in pages:
            response = page.goto(url)
            assert response is not None, url
            assert response.ok, f"{url}: {response.status}"
            screenshot(page, f"{look}-{name}")
        if look.startswith("phone"):
            page.goto("/o/acme/")
            page.get_by_role("button", name="Menu").click()
            screenshot(page, f"{look}-menu-open")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url
    screenshot(page, "login")


def test_the_home_page_draws_its_chart_within_the_content_security_policy(
    page: Any,
    make_org: Callable[..., Any],
    make_user: Callable[..., Any],
    import_people: Callable[..., Any],
    screenshot: Callable[[Any, str], None],
) -> None:
    acme = make_org("acme", "Acme Corp")
    import_people(acme, SMALL_ORG_CSV)
    make_user("member@acme.example", acme, "member")
    _sign_in(page, "member@acme.example")
    chart = page.locator("[data-vega-chart] canvas")
    chart.wait_for(state="visible")
    assert chart.bounding_box()["height"] > 50
    page.get_by_text("Show the numbers").click()
    assert page.get_by_role("cell", name="Berlin").is_visible()
    screenshot(page, "chart-home")
