"""Fixtures for the web tests: signed-in clients, a populated organization, a real browser."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

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


@pytest.fixture(autouse=True)
def _fast_and_fresh(settings: Any) -> Iterator[None]:
    """Cheap password hashing, a fresh rate-limit cache and mail kept in memory per test."""
    from django.core.cache import cache

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def acme(
    make_org: Callable[..., Any], import_people: Callable[..., Any], small_org_csv: str
) -> Any:
    """An organization with the six people of the shared small CSV."""
    organization = make_org("acme", "Acme Corp")
    import_people(organization, small_org_csv)
    return organization


@pytest.fixture
def sign_in() -> Callable[..., Client]:
    def make(user: Any, **client_options: Any) -> Client:
        client = Client(**client_options)
        client.force_login(user)
        return client

    return make


@pytest.fixture
def admin_client(
    acme: Any, make_user: Callable[..., Any], sign_in: Callable[..., Client]
) -> Client:
    return sign_in(make_user("admin@acme.example", acme, "admin"))


@pytest.fixture
def member_client(
    acme: Any, make_user: Callable[..., Any], sign_in: Callable[..., Client]
) -> Client:
    return sign_in(make_user("member@acme.example", acme, "member"))


# --- the browser -------------------------------------------------------------------------------


def _chromium_or_skip() -> None:
    if CHROMIUM.exists() and shutil.which(str(CHROMIUM)):
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"Chromium is required under CI but was not found at {CHROMIUM}.")
    pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _chromium_or_skip()
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
