"""WCAG 2.1 AA in the browser: axe-core over every page of every role, light and dark, and the
pages reflowing at 200% zoom.

The pages come from the same walk over the URL patterns as the tenancy test, filled with the
objects of a demo organization that has data on every page (plan, cycles, network, listening,
index), so a page added later is checked without anyone listing it here.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from execution2.orgs.choices import Role, role_at_least
from tests.web.axe import Violation, axe_violations, report
from tests.web.test_tenancy import ORG_ROUTES, Route

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PEOPLE = 150
# Pages whose charts and htmx panels have not settled by then are checked as they are.
SETTLE_MS = 10_000


@dataclass
class Demo:
    organization: Any
    users: dict[str, Any]  # role -> user
    survey_link: str
    objects: dict[str, Any] = field(default_factory=dict)


def _demo(settings: Any, tmp_path: Path, make_user: Callable[..., Any]) -> Demo:
    """The demo organization, one login per role, and an open cycle with a survey link."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from execution2.assessments.models import Cycle
    from execution2.assessments.services import cycle_create, cycle_open
    from execution2.core.models import Job
    from execution2.insights.selectors import latest_run
    from execution2.insights.services import index_compute
    from execution2.listening.models import Theme
    from execution2.orgs.demo import DEMO_ADMIN_EMAIL, demo_build
    from execution2.orgs.models import Membership, Unit
    from execution2.plans.models import Assignment, Idea, Initiative, Opportunity
    from tests.assessments.conftest import links_in_mail

    settings.DATA_DIR = tmp_path / "data"
    organization = demo_build(
        slug="demo", people=DEMO_PEOPLE, step_options={"network": {"events_per_person": 40}}
    ).organization
    if latest_run(organization=organization) is None:
        index_compute(organization=organization)
    closed = Cycle.objects.filter(organization=organization).order_by("-closes_on").first()
    assert closed is not None, "the demo should have closed cycles"
    subject = _subject_with_most_responses(closed)
    manager = subject.person
    assignment = Assignment.objects.filter(organization=organization).order_by("pk").first()
    member_person = assignment.owner if assignment.owner_id != manager.pk else assignment.delegator

    admin = get_user_model().objects.get(email=DEMO_ADMIN_EMAIL)
    users = {
        Role.ADMIN: admin,
        Role.EXECUTIVE: make_user("ceo@demo.example", organization, Role.EXECUTIVE),
        Role.MANAGER: make_user(
            manager.email or "manager@demo.example", organization, Role.MANAGER
        ),
        Role.MEMBER: make_user(
            member_person.email or "member@demo.example", organization, Role.MEMBER
        ),
    }

    cycle = cycle_create(
        organization=organization,
        name="Pulse now",
        kind="upward",
        opens_on=datetime.date.today(),
        closes_on=datetime.date.today() + datetime.timedelta(days=14),
    )
    cycle_open(cycle=cycle, link_base="http://testserver")
    survey_link = next(link for links in links_in_mail().values() for link in links)

    # The top-level unit below the root with the most people: its pages have data to show.
    unit = (
        Unit.objects.filter(organization=organization, parent__parent__isnull=True)
        .exclude(parent__isnull=True)
        .annotate(n=Count("people"))
        .order_by("-n", "pk")
        .first()
    ) or Unit.objects.filter(organization=organization).order_by("pk").first()
    job = Job.objects.create(organization=organization, kind="people.import", label="Import")
    objects = {
        "org_slug": organization.slug,
        "person_id": manager.pk,
        "membership_id": Membership.objects.get(
            organization=organization, user=users[Role.MEMBER]
        ).pk,
        "unit_id": unit.pk,
        "job_id": job.pk,
        "initiative_id": Initiative.objects.filter(organization=organization)
        .order_by("pk")
        .first()
        .pk,
        "assignment_id": assignment.pk,
        "opportunity_id": Opportunity.objects.filter(organization=organization)
        .order_by("pk")
        .first()
        .pk,
        "idea_id": (
            Idea.objects.filter(organization=organization).order_by("pk").first()
            or Idea.objects.create(organization=organization, title="Open a customer forum")
        ).pk,
        "theme_id": Theme.objects.filter(organization=organization).order_by("pk").first().pk,
        "cycle_id": closed.pk,
        "subject_id": subject.pk,
        "table": "components",
        "fmt": "csv",
    }
    return Demo(organization, users, survey_link, objects)


def _subject_with_most_responses(cycle: Any) -> Any:
    from django.db.models import Count

    from execution2.assessments.models import Subject

    return (
        Subject.objects.filter(cycle=cycle)
        .annotate(n=Count("responses"))
        .order_by("-n", "pk")
        .first()
    )


def _url(route: Route, demo: Demo) -> str:
    unknown = [kwarg for kwarg in route.kwargs if kwarg not in demo.objects]
    assert not unknown, (
        f"{route.label} takes URL keywords {unknown}: give the demo's object for each in "
        "tests/web/test_accessibility.py, so the new page is checked for accessibility."
    )
    return reverse(route.name, kwargs={k: demo.objects[k] for k in route.kwargs})  # type: ignore[arg-type]


# Routes that answer a file, not a page (building a PDF takes seconds): left out of the walk.
# Another download still passes, as the browser's download is noticed and skipped.
DOWNLOADS = {
    "orgs:people_export",
    "plans:export",
    "network:export",
    "insights:export",
    "insights:report_pdf",
    "insights:feedback_pdf",
}
# htmx fragments (a picker's <option> list), not documents: axe checks them inside the form
# page that swaps them in.
FRAGMENTS = {"plans:people_search", "plans:units_search"}


def _pages_of(role: str, demo: Demo) -> list[str]:
    pages = ["/"]
    if demo.users[role].is_staff:
        pages.append(reverse("organization_new"))
    for route in ORG_ROUTES:
        if route.name not in DOWNLOADS | FRAGMENTS and role_at_least(
            role, route.callback.org_min_role
        ):
            pages.append(_url(route, demo))
    return pages


@pytest.fixture
def contexts(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """New browser contexts on the live server, closed at the end; `user` signs one in."""
    opened: list[Any] = []

    def new(user: Any = None, **options: Any) -> Any:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=options.pop("viewport", {"width": 1280, "height": 900}),
            **options,
        )
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": client.cookies["sessionid"].value,
                        "url": live_server.url,
                    }
                ]
            )
        opened.append(context)
        return context

    yield new
    for context in opened:
        context.close()


def _settle(tab: Any) -> None:
    """Wait until every chart is drawn (or said it could not be) and htmx has no request open."""
    tab.wait_for_function(
        """() => [...document.querySelectorAll('[data-vega-chart]')].every(
             (e) => e.querySelector('canvas, svg') || e.classList.contains('chart-failed'))
           && !document.querySelector('.htmx-request')""",
        timeout=SETTLE_MS,
    )


class Checker:
    def __init__(self) -> None:
        self.violations: list[Violation] = []
        self.checked: list[str] = []
        self.skipped: list[str] = []
        self.seconds: dict[str, float] = {}

    def check(self, tab: Any, who: str, url: str | None = None) -> None:
        """Open `url` (or take the tab as it is) and run axe in each colour scheme."""
        if url is not None:
            try:
                tab.goto(url)
            except Exception as error:  # a download (CSV, XLSX, PDF) is no page to check
                if "Download is starting" in str(error) or "ERR_ABORTED" in str(error):
                    self.skipped.append(f"{who}: {url} (a download)")
                    return
                raise
        if "text/html" not in (tab.evaluate("document.contentType") or ""):
            self.skipped.append(f"{who}: {url} ({tab.evaluate('document.contentType')})")
            return
        _settle(tab)
        where = url or tab.url.removeprefix(tab.url.split("/", 3)[0] + "//").split("/", 1)[-1]
        started = time.monotonic()
        # Every rule in the light scheme; in the dark one, the rules that colours decide (the
        # page's structure is the same in both).
        self.violations += axe_violations(tab, f"{who}, light: {where}")
        tab.emulate_media(color_scheme="dark")
        self.violations += axe_violations(tab, f"{who}, dark: {where}", colours_only=True)
        tab.emulate_media(color_scheme="light")
        self.checked.append(f"{who}: {where}")
        self.seconds[f"{who}: {where}"] = time.monotonic() - started


def test_every_page_of_every_role_passes_axe_in_light_and_dark(
    contexts: Callable[..., Any],
    settings: Any,
    tmp_path: Path,
    make_user: Callable[..., Any],
) -> None:
    set_up = time.monotonic()
    demo = _demo(settings, tmp_path, make_user)
    checker = Checker()
    started = time.monotonic()

    for role in (Role.ADMIN, Role.EXECUTIVE, Role.MANAGER, Role.MEMBER):
        tab = contexts(demo.users[role]).new_page()
        tab.set_default_timeout(SETTLE_MS)
        for url in _pages_of(role, demo):
            checker.check(tab, role, url)
        # Opening the plan tree's first disclosure and the first chart table: content behind a
        # click is checked too.
        tab.goto(reverse("plans:tree", kwargs={"org_slug": demo.organization.slug}))
        for details in tab.locator("details:not([open]) > summary").all()[:3]:
            if details.is_visible():
                details.click()
        checker.check(tab, f"{role} (disclosures open)")

    # A member on an admin page sees the 403 page; anyone sees the 404 page.
    member = contexts(demo.users[Role.MEMBER]).new_page()
    checker.check(member, "member (403)", reverse("orgs:audit", kwargs={"org_slug": "demo"}))
    checker.check(member, "member (404)", "/o/no-such-organization/")

    anonymous = contexts().new_page()
    checker.check(anonymous, "anonymous", reverse("login"))
    anonymous.get_by_label("E-mail address").fill("nobody@demo.example")
    anonymous.get_by_label("Password").fill("wrong")
    anonymous.get_by_role("button", name="Sign in").click()
    checker.check(anonymous, "anonymous (refused sign-in)")
    checker.check(anonymous, "anonymous (bad reset link)", "/accounts/password/MQ/bad-token/")
    checker.check(anonymous, "respondent", demo.survey_link)
    anonymous.get_by_role("button", name="Submit my answers").click()
    checker.check(anonymous, "respondent (thank you)")
    checker.check(anonymous, "respondent (used link)", demo.survey_link)

    slowest = sorted(checker.seconds.items(), key=lambda item: -item[1])[:5]
    print(
        f"axe checked {len(checker.checked)} pages, light and dark, in "
        f"{time.monotonic() - started:.0f} s after {started - set_up:.0f} s of set-up; slowest: "
        + ", ".join(f"{page} {seconds:.1f} s" for page, seconds in slowest)
    )
    assert len(checker.checked) > 4 * 20, checker.checked
    assert not checker.violations, report(checker.violations)


# --- zoom to 200% ------------------------------------------------------------------------------

# At 200% zoom a 1280 px window is 640 CSS px wide. Whatever is wider than the window must be
# inside a container that scrolls on its own (a wide table in its .table-wrap); the page itself
# may not scroll sideways, and no text may stick out of the window.
_CUT_OFF = """() => {
  const width = document.documentElement.clientWidth;
  const scrollsItself = (e) => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') return true;
    }
    return false;
  };
  const out = [];
  for (const e of document.body.querySelectorAll('*')) {
    const hasText = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!hasText || !e.getClientRects().length) continue;
    const r = e.getBoundingClientRect();
    if ((r.right > width + 1 || r.left < -1) && !scrollsItself(e)) {
      out.push(e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') +
               ': ' + e.textContent.trim().slice(0, 60));
    }
  }
  return {pageWidth: document.documentElement.scrollWidth, width, out: out.slice(0, 10)};
}"""


def test_the_survey_and_the_dashboards_reflow_at_200_percent_zoom(
    contexts: Callable[..., Any],
    screenshot: Callable[[Any, str], None],
    settings: Any,
    tmp_path: Path,
    make_user: Callable[..., Any],
) -> None:
    demo = _demo(settings, tmp_path, make_user)
    slug = demo.organization.slug
    pages = {
        Role.EXECUTIVE: [
            reverse("insights:dashboard", kwargs={"org_slug": slug}),
            reverse("orgs:home", kwargs={"org_slug": slug}),
            reverse("plans:tree", kwargs={"org_slug": slug}),
        ],
        None: [demo.survey_link],
    }
    problems = []
    for role, urls in pages.items():
        user = demo.users[role] if role else None
        tab = contexts(
            user, viewport={"width": 640, "height": 800}, device_scale_factor=2
        ).new_page()
        for url in urls:
            tab.goto(url)
            _settle(tab)
            found = tab.evaluate(_CUT_OFF)
            screenshot(tab, "zoom-200-" + url.strip("/").replace("/", "-")[:40])
            if found["pageWidth"] > found["width"] or found["out"]:
                problems.append(f"{url}: {found}")
    assert not problems, "\n".join(problems)


def test_the_check_names_what_it_finds_in_either_colour_scheme(browser: Any) -> None:
    # Without this, a walk that never ran axe (or ran it on nothing) would pass as well.
    context = browser.new_context()
    tab = context.new_page()
    tab.set_content(
        """<!doctype html><html lang="en"><head><title>Bad</title><style>
        p { color: #000; background: #fff; }
        @media (prefers-color-scheme: dark) { p { color: #333; background: #222; } }
        </style></head><body><main><h1>Bad</h1><p>Dim only in the dark.</p>
        <form><input type="text"></form></main></body></html>"""
    )
    light = axe_violations(tab, "light")
    tab.emulate_media(color_scheme="dark")
    dark = axe_violations(tab, "dark", colours_only=True)
    context.close()
    assert {v.rule for v in light} == {"label"}
    assert {v.rule for v in dark} == {"color-contrast"}
    assert "dark: color-contrast (serious, 1 nodes)" in report(dark)
    assert "Dim only in the dark." in report(dark)
