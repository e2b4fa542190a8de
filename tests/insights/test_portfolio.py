"""The consultant view: the signed-in user's organizations side by side, and percentile
benchmarks against the installation that never name or show another organization."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from execution2.analytics.index import COMPONENTS
from tests.conftest import PASSWORD, SMALL_ORG_CSV
from tests.insights.portfolio_factories import delegated_launch, index_run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _url(organization: Any) -> str:
    return reverse("insights:portfolio", kwargs={"org_slug": organization.slug})


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(html: str) -> str:
    """The page's visible text and attribute values, without markup."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def consultant(make_org: Callable[..., Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    """A consultant who is admin of Acme, executive of Birch, member of Cedar; Dune is not
    theirs at all."""
    orgs = {
        "acme": make_org("acme", "Acme Corp"),
        "birch": make_org("birch", "Birch Holdings"),
        "cedar": make_org("cedar", "Cedar Works"),
        "dune": make_org("dune", "Dune Logistics"),
    }
    user = make_user("consultant@example.com", orgs["acme"], "admin")
    make_user("consultant@example.com", orgs["birch"], "executive")
    make_user("consultant@example.com", orgs["cedar"], "member")
    # Each call above set the password again: sign in with the user as stored now.
    user.refresh_from_db()
    return {"user": user, **orgs}


def test_it_lists_only_the_organizations_where_the_user_is_admin_or_executive(
    consultant: dict[str, Any],
) -> None:
    acme = consultant["acme"]
    index_run(
        acme,
        71.25,
        low=66.0,
        high=75.5,
        trend=[("2025-06-30", "Spring 2025", 64.0), ("2025-12-15", "Autumn 2025", 71.25)],
        fired=["silos", "marketing_trap"],
    )
    index_run(consultant["cedar"], 55.0)
    index_run(consultant["dune"], 44.0)
    response = _client(consultant["user"]).get(_url(acme))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.organization.slug for row in rows] == ["acme", "birch"]
    acme_row = rows[0]
    assert (acme_row.index, acme_row.low, acme_row.high) == (71.25, 66.0, 75.5)
    assert acme_row.change == pytest.approx(7.25)
    assert acme_row.clear is True
    assert acme_row.previous_label == "Spring 2025"
    assert acme_row.fired_risks == 2
    assert [cell.key for cell in acme_row.cells] == list(COMPONENTS)
    assert rows[1].run is None

    page = response.content.decode()
    text = _text(page)
    assert "Acme Corp" in page
    assert "Birch Holdings" in page
    assert "71.3" in text
    assert "66.0\N{EN DASH}75.5" in text
    assert "+7.3 since Spring 2025" in text
    assert reverse("insights:dashboard", kwargs={"org_slug": "birch"}) in page
    assert "Not computed yet." in text
    # Cedar (only a member) and Dune (no membership) are neither listed nor linked; the
    # organization switcher lists every membership, so look at the page's main part only.
    main = page.split('<main id="main"', 1)[1]
    for hidden in ("Cedar", "Dune", "/o/cedar/", "/o/dune/"):
        assert hidden not in main
    # Two organizations with an index (Acme's, plus Cedar's and Dune's, unnamed): three more.
    assert "Three have one now: two more are needed." in text


def test_no_percentiles_until_five_organizations_have_a_current_index(
    consultant: dict[str, Any], make_org: Callable[..., Any]
) -> None:
    acme = consultant["acme"]
    index_run(acme, 70.0)
    index_run(consultant["birch"], 60.0)
    index_run(consultant["dune"], 50.0)
    # A failed run and a run without an index don't count.
    index_run(make_org("echo", "Echo"), 40.0, status="failed")
    index_run(make_org("fjord", "Fjord"), None)
    client = _client(consultant["user"])
    response = client.get(_url(acme))
    assert response.context["summary"] is None
    assert response.context["installation"].organizations == 3
    text = _text(response.content.decode())
    assert "at least 5 organizations in this installation have a current index" in text
    assert "two more are needed" in text
    assert "percentile rank among" not in text

    index_run(make_org("gale", "Gale"), 80.0)
    assert "one more is needed" in _text(client.get(_url(acme)).content.decode())


def test_percentiles_from_five_organizations_never_name_or_show_the_others(
    consultant: dict[str, Any], make_org: Callable[..., Any]
) -> None:
    acme, birch = consultant["acme"], consultant["birch"]
    # Index values chosen so none of them can appear in the page by accident.
    index_run(acme, 71.3, {**dict.fromkeys(COMPONENTS, 60.0), "delivery": 90.0})
    index_run(birch, 48.7, {**dict.fromkeys(COMPONENTS, 50.0), "delivery": None})
    others = {
        "Dune Logistics": (consultant["dune"], 63.9),
        "Echo Partners": (make_org("echo", "Echo Partners"), 57.1),
        "Fjord Systems": (make_org("fjord", "Fjord Systems"), 82.6),
    }
    for organization, value in others.values():
        index_run(organization, value, {**dict.fromkeys(COMPONENTS, value), "delivery": None})
    # An older, superseded run of Acme's doesn't count: only the latest one does.
    index_run(acme, 20.0, as_of=datetime.date(2025, 1, 31))

    response = _client(consultant["user"]).get(_url(acme))
    assert response.context["installation"].organizations == 5
    rows = {row.organization.slug: row for row in response.context["rows"]}
    # Index: 48.7 < 57.1 < 63.9 < 71.3 < 82.6
    assert rows["acme"].index_benchmark.percentile == pytest.approx(70.0)
    assert rows["birch"].index_benchmark.percentile == pytest.approx(10.0)
    cells = {cell.key: cell for cell in rows["acme"].cells}
    # Leadership: 50 < 57.1 < 60 < 63.9 < 82.6
    assert cells["leadership"].benchmark.percentile == pytest.approx(50.0)
    # Delivery: only Acme has a score: not benchmarked.
    assert cells["delivery"].benchmark is None
    # Quartiles need five organizations besides the consultant's three: with five in all, the
    # median would be Dune's index, which a consultant of the other four could single out.
    assert response.context["summary"].index is None

    page = response.content.decode()
    text = _text(page)
    for percentile in ("70th", "10th", "50th"):
        assert percentile in text
    assert "among the 5 organizations of this installation" in text
    main = page.split('<main id="main"', 1)[1]
    for name in others:
        assert name not in page
        assert name.split()[0].lower() not in main
    # Cedar is in the organization switcher (a membership), never in the view.
    assert "Cedar" not in main
    for _, value in others.values():
        assert f"{value}" not in text
        assert f"{value:.1f}" not in text
    assert "fewer than 5 organizations besides yours" in text

    for slug, value in (("gale", 63.9), ("holm", 63.9), ("iris", 63.9)):
        index_run(make_org(slug, slug.title()), value, dict.fromkeys(COMPONENTS, value))
    response = _client(consultant["user"]).get(_url(acme))
    summary = response.context["summary"]
    assert summary.index.median == pytest.approx(63.9)
    assert dict((key, found) for key, _, found in summary.components)["delivery"] is None
    # The quartiles are shown rounded: the median 63.9 as 64.
    assert re.search(r"Execution Index 8 62 64 66", _text(response.content.decode()))


def test_the_trend_chart_draws_one_line_per_organization(consultant: dict[str, Any]) -> None:
    index_run(
        consultant["acme"],
        70.0,
        trend=[("2025-06-30", "Spring", 64.0), ("2025-12-15", "Autumn", 70.0)],
    )
    index_run(consultant["birch"], 61.0, trend=[("2025-12-15", "Autumn", 61.0)])
    chart = _client(consultant["user"]).get(_url(consultant["acme"])).context["trend_chart"]
    values = chart["data"]["values"]
    assert [(v["organization"], v["cycle"], v["index"]) for v in values] == [
        ("Acme Corp", "Spring", 64.0),
        ("Acme Corp", "Autumn", 70.0),
        ("Birch Holdings", "Autumn", 61.0),
    ]
    assert chart["encoding"]["color"]["field"] == "organization"


def test_the_consultant_view_needs_the_admin_role_here(consultant: dict[str, Any]) -> None:
    client = _client(consultant["user"])
    assert client.get(_url(consultant["birch"])).status_code == 403
    assert client.get(_url(consultant["dune"])).status_code == 404


def test_an_index_computed_end_to_end_appears_with_its_components(
    make_org: Callable[..., Any],
    make_user: Callable[..., Any],
    import_people: Callable[..., Any],
) -> None:
    from execution2.insights.services import index_compute

    organization = make_org("acme", "Acme Corp")
    import_people(organization, SMALL_ORG_CSV)
    delegated_launch(organization)
    run = index_compute(organization=organization, replicates=20)
    stored = run.scopes.get(unit=None)
    assert stored.index is not None

    client = _client(make_user("admin@acme.example", organization, "admin"))
    response = client.get(_url(organization))
    row = response.context["rows"][0]
    assert row.index == pytest.approx(stored.index)
    scores = {c["key"]: c["score"] for c in stored.payload["components"]}
    assert {cell.key: cell.score for cell in row.cells} == pytest.approx(scores)
    assert row.fired_risks == sum(1 for r in stored.payload["risks"] if r["fired"])
    assert f"{stored.index:.1f}" in _text(response.content.decode())


# --- in a real browser --------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_consultant_view_in_a_browser(
    page: Any,
    make_org: Callable[..., Any],
    make_user: Callable[..., Any],
    screenshot: Callable[[Any, str], None],
) -> None:
    from playwright.sync_api import expect

    mine = [make_org("acme", "Acme Corp"), make_org("birch", "Birch Holdings")]
    for organization in mine:
        make_user("consultant@example.com", organization, "admin")
    trends = {
        "acme": [("2025-03-31", "Spring 2025", 61.0), ("2025-09-30", "Autumn 2025", 66.5)],
        "birch": [("2025-03-31", "Spring 2025", 58.0), ("2025-09-30", "Autumn 2025", 54.2)],
    }
    for organization, value in zip(mine, (68.4, 54.2), strict=True):
        scores = {key: value + (n - 4) * 2.5 for n, key in enumerate(COMPONENTS)}
        index_run(
            organization,
            value,
            scores,
            low=value - 4,
            high=value + 4,
            trend=[*trends[organization.slug], ("2026-03-31", "Spring 2026", value)],
            fired=["silos"] if organization.slug == "birch" else [],
        )
    for n, value in enumerate((47.0, 59.5, 72.0, 80.5)):
        index_run(make_org(f"other-{n}", f"Other {n}"), value)

    page.goto("/")
    page.get_by_label("E-mail address").fill("consultant@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.goto(_url(mine[0]))
    expect(page.get_by_role("heading", level=1, name="Consultant view")).to_be_visible()
    expect(page.get_by_role("link", name="Birch Holdings")).to_be_visible()
    expect(page.get_by_role("heading", name="Benchmarks")).to_be_visible()
    # The chart is drawn (vega-embed puts a canvas or svg in its container).
    expect(page.locator(".chart-canvas canvas, .chart-canvas svg").first).to_be_visible()
    assert "Other 1" not in page.locator("main").inner_text()
    screenshot(page, "insights-portfolio")
