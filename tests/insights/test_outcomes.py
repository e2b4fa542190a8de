"""The outcomes page: recording how closed initiatives and plans turned out, the installation-wide
AUC and suggested weights, and adopting them."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from execution2.analytics.index import COMPONENTS, outcome_auc
from tests.conftest import PASSWORD, SMALL_ORG_CSV
from tests.insights.portfolio_factories import outcome

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alpha(make_org: Callable[..., Any], import_people: Callable[..., Any]) -> Any:
    organization = make_org("alpha", "Alpha Ltd")
    import_people(organization, SMALL_ORG_CSV)
    return organization


@pytest.fixture
def bravo(make_org: Callable[..., Any]) -> Any:
    return make_org("bravo", "Bravo Inc")


@pytest.fixture
def admin(alpha: Any, make_user: Callable[..., Any]) -> Client:
    client = Client()
    client.force_login(make_user("admin@alpha.example", alpha, "admin"))
    return client


def _url(organization: Any) -> str:
    return reverse("insights:outcomes", kwargs={"org_slug": organization.slug})


def _initiative(organization: Any, key: str, status: str, **fields: Any) -> Any:
    from execution2.orgs.models import Unit
    from execution2.plans.models import Initiative

    initiative = Initiative.objects.create(
        organization=organization, key=key, title=fields.pop("title", key.title()), status=status
    )
    marketing = Unit.objects.filter(organization=organization, path="Marketing").first()
    if marketing is not None:
        initiative.units.add(marketing)
    return initiative


def _record(client: Client, organization: Any, initiative: Any, **fields: str) -> Any:
    prefix = f"i{initiative.pk}"
    data = {
        "action": "initiative",
        "initiative": str(initiative.pk),
        f"{prefix}-result": fields.get("result", "succeeded"),
        f"{prefix}-closed_on": fields.get("closed_on", "2026-02-27"),
        f"{prefix}-note": fields.get("note", ""),
    }
    # The index as of the closing day is worked out by a job once the outcome is committed.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(_url(organization), data)


def test_an_admin_records_the_outcome_of_a_done_initiative(admin: Client, alpha: Any) -> None:
    from execution2.insights.models import Outcome
    from execution2.orgs.models import AuditEvent

    initiative = _initiative(alpha, "launch", "done", title="Launch in Iberia")
    page = admin.get(_url(alpha))
    assert page.status_code == 200
    assert "Launch in Iberia" in page.content.decode()
    assert "No outcome yet" in page.content.decode()

    response = _record(admin, alpha, initiative, result="partly", note="Late but landed")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#initiative-{initiative.pk}")
    stored = Outcome.objects.get(organization=alpha)
    assert (stored.initiative_id, stored.label, stored.result, stored.note) == (
        initiative.pk,
        "Launch in Iberia",
        "partly",
        "Late but landed",
    )
    assert stored.closed_on == datetime.date(2026, 2, 27)
    stored.refresh_from_db()
    assert set(stored.components) == set(COMPONENTS)
    assert AuditEvent.objects.filter(organization=alpha, action="outcome.record").count() == 1

    page = admin.get(response["Location"]).content.decode()
    assert "Outcome of “Launch in Iberia” recorded: partly succeeded." in page
    assert stored.computed_at is not None
    assert "Late but landed" in page
    assert "Correct the outcome" in page

    # Recording again corrects the same outcome.
    assert _record(admin, alpha, initiative, result="failed").status_code == 302
    assert Outcome.objects.get(organization=alpha).result == "failed"


def test_an_active_initiative_is_refused_an_outcome(admin: Client, alpha: Any) -> None:
    from execution2.insights.models import Outcome

    initiative = _initiative(alpha, "ongoing", "active", title="Still running")
    response = _record(admin, alpha, initiative)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Only a closed initiative (done or cancelled) has an outcome." in page
    assert "The outcome of “Still running” was not recorded." in page
    assert not Outcome.objects.exists()
    # An active initiative isn't offered on the page at all.
    assert "Still running" not in admin.get(_url(alpha)).content.decode()


def test_a_future_day_or_a_missing_result_is_shown_next_to_the_field(
    admin: Client, alpha: Any
) -> None:
    from execution2.insights.models import Outcome

    initiative = _initiative(alpha, "gone", "cancelled", title="Dropped idea")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = _record(admin, alpha, initiative, closed_on=tomorrow.isoformat(), result="")
    assert response.status_code == 422
    page = response.content.decode()
    assert "The closing day can&#x27;t be in the future." in page
    assert "Choose succeeded, partly or failed." in page
    # The row with the errors is the one left open.
    assert re.search(r'<details class="more-options" open>\s*<summary>Record the outcome', page)
    assert not Outcome.objects.exists()


def test_an_initiative_of_another_organization_is_not_found(
    admin: Client, alpha: Any, bravo: Any
) -> None:
    foreign = _initiative(bravo, "theirs", "done")
    assert _record(admin, alpha, foreign).status_code == 404
    junk = admin.post(_url(alpha), {"action": "initiative", "initiative": "x"})
    assert junk.status_code == 404


def test_a_whole_plan_outcome_is_recorded_and_corrected_by_its_label(
    admin: Client, alpha: Any
) -> None:
    from execution2.insights.models import Outcome

    def record(result: str) -> Any:
        return admin.post(
            _url(alpha),
            {
                "action": "plan",
                "plan-label": "  Plan 2025 ",
                "plan-result": result,
                "plan-closed_on": "2025-12-31",
                "plan-note": "",
            },
        )

    assert record("succeeded").status_code == 302
    assert record("partly").status_code == 302
    stored = Outcome.objects.get(organization=alpha)
    assert (stored.initiative_id, stored.label, stored.result) == (None, "Plan 2025", "partly")
    page = admin.get(_url(alpha)).content.decode()
    assert "Whole plan" in page
    assert "Plan 2025" in page

    empty = admin.post(
        _url(alpha),
        {"action": "plan", "plan-label": " ", "plan-result": "failed", "plan-closed_on": "2025-1"},
    )
    assert empty.status_code == 422
    assert "Name the plan" in empty.content.decode()
    assert Outcome.objects.count() == 1


def _spread_outcomes(alpha: Any, bravo: Any) -> list[Any]:
    """24 outcomes, 12 in each organization: the index leans towards success (overlapping, so
    the AUC is below 1) and delivery predicts success better than anything else."""
    generator = np.random.default_rng(3)
    made = []
    for n in range(24):
        organization = alpha if n % 2 == 0 else bravo
        success = n % 3 != 0
        result = "succeeded" if success else "failed"
        if n % 7 == 6:
            result = "partly"
        scores = {key: float(generator.normal(60, 8)) for key in COMPONENTS}
        scores["delivery"] = float(generator.normal(75 if success else 45, 6))
        scores["buy_in"] = None if n % 5 == 0 else scores["buy_in"]
        index = float(generator.normal(66 if success else 58, 6))
        owner = "Alpha" if organization is alpha else "Bravo"
        made.append(outcome(organization, f"{owner} initiative {n}", result, index, scores))
    return made


def test_the_auc_is_shown_once_enough_outcomes_exist_across_organizations_without_leaking(
    admin: Client, alpha: Any, bravo: Any
) -> None:
    outcome(alpha, "Alpha early plan", "succeeded", 70.0)
    outcome(bravo, "Bravo early plan", "failed", 50.0)
    page = admin.get(_url(alpha)).content.decode()
    assert "Only 1 success and 1 failure" in page
    assert "provisional" in page
    assert "Not enough outcomes yet" in page
    assert "Adopt these weights" not in page

    made = _spread_outcomes(alpha, bravo)
    response = admin.get(_url(alpha))
    page = response.content.decode()
    evaluation = response.context["evaluation"]
    usable = [o for o in [*made] if o.result != "partly"]
    expected = outcome_auc(
        [o.index for o in made] + [70.0, 50.0], [o.result for o in made] + ["succeeded", "failed"]
    )
    assert expected.enough
    assert evaluation.auc.auc == pytest.approx(expected.auc)
    assert f"{expected.auc:.2f}" in page
    assert f"{expected.low:.2f}\N{EN DASH}{expected.high:.2f}" in page
    assert "90% interval" in page
    assert evaluation.outcomes == 26
    assert evaluation.organizations == 2
    assert evaluation.own == 13
    assert "26 outcomes from 2 organizations, 13 of them Alpha Ltd" in page
    assert len(usable) + 2 == expected.successes + expected.failures
    assert "Adopt these weights" in page

    # Alpha's page lists Alpha's outcomes and never Bravo's.
    assert "Alpha initiative 0" in page
    assert "Alpha early plan" in page
    assert "Bravo" not in page


def test_adopting_the_suggested_weights_changes_the_organizations_settings(
    admin: Client, alpha: Any, bravo: Any
) -> None:
    from execution2.insights.services import index_settings
    from execution2.orgs.models import AuditEvent, Organization

    _spread_outcomes(alpha, bravo)
    evaluation = admin.get(_url(alpha)).context["evaluation"]
    suggested = evaluation.suggestion.weights
    assert suggested is not None
    # Delivery separated the outcomes: the suggestion leans on it.
    assert max(suggested, key=lambda key: suggested[key]) == "delivery"
    before = AuditEvent.objects.filter(organization=alpha, action="settings.change").count()

    stale = admin.post(_url(alpha), {"action": "adopt", "fingerprint": "something-else"})
    assert stale.status_code == 302
    assert index_settings(Organization.objects.get(pk=alpha.pk))[0]["delivery"] == 0.1

    response = admin.post(_url(alpha), {"action": "adopt", "fingerprint": evaluation.fingerprint})
    assert response.status_code == 302
    assert response["Location"] == reverse("insights:weights", kwargs={"org_slug": "alpha"})
    weights, _target = index_settings(Organization.objects.get(pk=alpha.pk))
    assert weights == pytest.approx(dict(suggested), abs=1e-5)
    assert AuditEvent.objects.filter(organization=alpha, action="settings.change").count() == (
        before + 1
    )
    # Bravo keeps its own weights: adopting is per organization.
    assert index_settings(Organization.objects.get(pk=bravo.pk))[0]["delivery"] == 0.1
    followed = admin.get(response["Location"]).content.decode()
    assert "The suggested weights are now this organization&#x27;s weights." in followed
    assert "Compute the index now" in followed


def test_nothing_is_adopted_while_there_is_no_suggestion(admin: Client, alpha: Any) -> None:
    from execution2.orgs.models import Organization

    response = admin.post(_url(alpha), {"action": "adopt", "fingerprint": ""}, follow=True)
    assert "There are no weights to adopt." in response.content.decode()
    assert not (Organization.objects.get(pk=alpha.pk).settings or {}).get("index")


def test_an_unknown_action_changes_nothing(admin: Client, alpha: Any) -> None:
    response = admin.post(_url(alpha), {"action": "explode"}, follow=True)
    assert response.status_code == 200
    assert "That action isn&#x27;t known here" in response.content.decode()


def test_executives_may_not_open_the_outcomes(alpha: Any, make_user: Callable[..., Any]) -> None:
    client = Client()
    client.force_login(make_user("exec@alpha.example", alpha, "executive"))
    assert client.get(_url(alpha)).status_code == 403


# --- in a real browser --------------------------------------------------------------------------


@pytest.fixture
def browser_world(
    make_org: Callable[..., Any],
    make_user: Callable[..., Any],
    import_people: Callable[..., Any],
) -> Any:
    organization = make_org("alpha", "Alpha Ltd")
    import_people(organization, SMALL_ORG_CSV)
    make_user("admin@alpha.example", organization, "admin")
    other = make_org("bravo", "Bravo Inc")
    _initiative(organization, "launch", "done", title="Launch in Iberia")
    _initiative(organization, "pilot", "cancelled", title="Pricing pilot")
    _spread_outcomes(organization, other)
    return organization


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_outcomes_page_in_a_browser(
    page: Any, browser_world: Any, screenshot: Callable[[Any, str], None]
) -> None:
    from playwright.sync_api import expect

    page.goto("/")
    page.get_by_label("E-mail address").fill("admin@alpha.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.goto(_url(browser_world))
    expect(page.get_by_role("heading", level=1, name="Outcomes")).to_be_visible()
    expect(page.get_by_role("heading", name="Did the index see it coming?")).to_be_visible()
    screenshot(page, "insights-outcomes")

    page.get_by_text("Record the outcome of Launch in Iberia").click()
    row = page.locator(f"#initiative-{_initiative_pk(browser_world, 'launch')}")
    row.get_by_label("Outcome").select_option("succeeded")
    row.get_by_role("button", name="Record").click()
    page.wait_for_load_state()
    expect(page.get_by_role("status").first).to_contain_text(
        "Outcome of “Launch in Iberia” recorded: succeeded."
    )
    screenshot(page, "insights-outcomes-recorded")

    page.get_by_role("button", name="Adopt these weights").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1, name="Index weights and target")).to_be_visible()
    expect(page.get_by_role("button", name="Compute the index now")).to_be_visible()
    screenshot(page, "insights-weights-adopted")


def _initiative_pk(organization: Any, key: str) -> int:
    from execution2.plans.models import Initiative

    return int(Initiative.objects.get(organization=organization, key=key).pk)


def test_the_page_answers_at_once_and_the_index_when_closed_follows(
    admin: Client, alpha: Any
) -> None:
    from execution2.insights.models import Outcome
    from execution2.insights.services import outcome_index_compute

    initiative = _initiative(alpha, "pilot", "done", title="Pilot in Porto")
    data = {
        "action": "initiative",
        "initiative": str(initiative.pk),
        f"i{initiative.pk}-result": "failed",
        f"i{initiative.pk}-closed_on": "2026-02-27",
        f"i{initiative.pk}-note": "",
    }
    # Without the commit (the test's transaction never commits), the job hasn't run yet.
    assert admin.post(_url(alpha), data).status_code == 302
    stored = Outcome.objects.get(organization=alpha)
    assert stored.computed_at is None
    assert stored.components == {}
    assert "being worked out" in admin.get(_url(alpha)).content.decode()

    outcome_index_compute(outcome_id=stored.pk)
    stored.refresh_from_db()
    assert stored.computed_at is not None
    assert set(stored.components) == set(COMPONENTS)
    assert "being worked out" not in admin.get(_url(alpha)).content.decode()
