"""Fixtures every test package shares: organizations, people, users and one real browser.

There is one browser for the whole session: Playwright's sync API allows one running instance
per thread, so no package may start its own.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

PASSWORD = "correct horse battery staple"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True, scope="session")
def jobs_run_where_they_are_submitted() -> None:
    """Huey's immediate mode: a submitted job has run by the time the request returns."""
    from execution2.config.tasks import huey

    huey.immediate = True


@pytest.fixture
def make_org(db: None) -> Callable[..., Any]:
    from execution2.orgs.services import organization_create

    def make(slug: str = "acme", name: str | None = None) -> Any:
        return organization_create(slug=slug, name=name or slug.title())

    return make


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    """A user with `role` in `organization` (None: no membership at all)."""
    from execution2.orgs.services import membership_set, user_get_or_create

    def make(email: str, organization: Any = None, role: str = "member") -> Any:
        user, _ = user_get_or_create(email=email, password=PASSWORD)
        if organization is not None:
            membership_set(organization=organization, user=user, role=role, actor=None)
        return user

    return make


@pytest.fixture
def import_people(db: None) -> Callable[..., Any]:
    """Import a CSV given as text into an organization."""
    from execution2.orgs.people_import import people_import

    def run(organization: Any, csv_text: str, **options: Any) -> Any:
        return people_import(
            organization=organization,
            source=io.BytesIO(csv_text.encode("utf-8")),
            file_name=options.pop("file_name", "people.csv"),
            **options,
        )

    return run


SMALL_ORG_CSV = """id,name,unit,manager_id,email,title,location,start_date
1,Ada Chief,Executive Office,,ada@acme.example,Chief Executive Officer,London,2015-01-05
2,Bram Market,Marketing,1,bram@acme.example,Chief Marketing Officer,London,2016-03-01
3,Chloé Social,Marketing / Social Media,2,chloe@acme.example,Social Media Lead,Paris,2019-06-10
4,Dário Brand,Marketing / Brand,2,dario@acme.example,Brand Manager,Lisbon,2020-02-17
5,Eve Engineer,Engineering,1,eve@acme.example,Chief Technology Officer,Berlin,2015-09-01
6,Finn Platform,Engineering / Platform,5,finn@acme.example,Platform Engineer,Berlin,2021-01-11
"""


@pytest.fixture
def small_org_csv() -> str:
    return SMALL_ORG_CSV


# --- the browser -------------------------------------------------------------------------------


def chromium_or_skip() -> None:
    if CHROMIUM.exists() and shutil.which(str(CHROMIUM)):
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"Chromium is required under CI but was not found at {CHROMIUM}.")
    pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    chromium_or_skip()
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
    # test body are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser tab; console errors (CSP violations among them) fail the test."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    errors: list[str] = []

    def on_console(message: Any) -> None:
        # A refused form answers 422 on purpose; Chromium logs every non-2xx document.
        if message.type == "error" and "status of 422" not in message.text:
            errors.append(message.text)

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, f"the browser reported errors: {errors}"


@pytest.fixture
def screenshot() -> Callable[[Any, str], None]:
    """Saves a screenshot when EXECUTION2_SHOTS names a directory (for looking at pages)."""
    directory = os.environ.get("EXECUTION2_SHOTS")

    def take(tab: Any, name: str) -> None:
        if directory:
            Path(directory).mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)

    return take
