"""The index settings page: the nine weights as percentages and the target."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from execution2.analytics.index import COMPONENTS, DEFAULT_WEIGHTS
from tests.conftest import SMALL_ORG_CSV
from tests.insights.portfolio_factories import delegated_launch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alpha(make_org: Callable[..., Any]) -> Any:
    return make_org("alpha", "Alpha Ltd")


@pytest.fixture
def admin(alpha: Any, make_user: Callable[..., Any]) -> Client:
    client = Client()
    client.force_login(make_user("admin@alpha.example", alpha, "admin"))
    return client


def _url(organization: Any) -> str:
    return reverse("insights:weights", kwargs={"org_slug": organization.slug})


def _form(weights: dict[str, Any] | None = None, target: Any = "75") -> dict[str, Any]:
    given = {key: DEFAULT_WEIGHTS[key] * 100 for key in COMPONENTS}
    given.update(weights or {})
    return {**{f"weight_{key}": str(value) for key, value in given.items()}, "target": target}


def _settings(organization: Any) -> tuple[dict[str, float], float]:
    from execution2.insights.services import index_settings
    from execution2.orgs.models import Organization

    return index_settings(Organization.objects.get(pk=organization.pk))


def test_the_form_shows_the_current_weights_as_percentages(admin: Client, alpha: Any) -> None:
    response = admin.get(_url(alpha))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["weight_connectedness"] == 20.0
    assert form.initial["weight_leadership"] == 10.0
    assert form.initial["target"] == 75.0
    page = response.content.decode()
    assert "they need not add up to 100" in page
    assert 'name="weight_buy_in"' in page
    # No index yet: the page offers to compute one, posting to the lead's compute view.
    assert f'action="{reverse("insights:compute", kwargs={"org_slug": "alpha"})}"' in page


def test_saved_weights_are_normalised_audited_and_call_for_a_recompute(
    admin: Client, alpha: Any
) -> None:
    from execution2.orgs.models import AuditEvent

    weights = dict.fromkeys(COMPONENTS, 5)
    weights["delivery"] = 20  # 20 of 60 in all: a third
    response = admin.post(_url(alpha), _form(weights, target="70"))
    assert response.status_code == 302
    saved, target = _settings(alpha)
    assert saved["delivery"] == pytest.approx(1 / 3, abs=1e-6)
    assert saved["leadership"] == pytest.approx(1 / 12, abs=1e-6)
    assert target == 70.0
    event = AuditEvent.objects.get(organization=alpha, action="settings.change")
    assert event.detail["index.target"] == 70.0
    assert event.detail["index.weights"]["delivery"] == pytest.approx(1 / 3, abs=1e-6)

    page = admin.get(response["Location"]).content.decode()
    assert "Weights and target saved" in page
    assert "Delivery 33.33%" in page
    assert "The index must be recomputed to use them." in page
    assert "Compute the index now" in page


@pytest.mark.parametrize(
    ("weights", "target", "message"),
    [
        (dict.fromkeys(COMPONENTS, 0), "75", "At least one weight must be above zero"),
        ({"conflict": -5}, "75", "A weight can&#x27;t be negative."),
        ({"motivation": "NaN"}, "75", "The weight must be a number."),
        ({"motivation": "lots"}, "75", "The weight must be a number."),
        ({"motivation": "250"}, "75", "A weight can&#x27;t be above 100."),
        ({}, "120", "The target can&#x27;t be above 100."),
        ({}, "", "Give a target between 0 and 100."),
    ],
)
def test_invalid_weights_or_target_are_refused_with_a_message(
    admin: Client, alpha: Any, weights: dict[str, Any], target: str, message: str
) -> None:
    from execution2.orgs.models import AuditEvent

    response = admin.post(_url(alpha), _form(weights, target=target))
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page
    assert "The weights were not saved." in page
    assert _settings(alpha) == (dict(DEFAULT_WEIGHTS), 75.0)
    assert not AuditEvent.objects.filter(action="settings.change").exists()


def test_the_defaults_can_be_restored(admin: Client, alpha: Any) -> None:
    admin.post(_url(alpha), _form({"buy_in": 60}, target="80"))
    assert _settings(alpha)[1] == 80.0
    response = admin.post(_url(alpha), {"action": "defaults"})
    assert response.status_code == 302
    weights, target = _settings(alpha)
    assert weights == pytest.approx(dict(DEFAULT_WEIGHTS))
    assert target == 75.0


def test_the_recompute_prompt_goes_once_the_index_uses_the_saved_weights(
    admin: Client, alpha: Any, import_people: Callable[..., Any]
) -> None:
    """End to end: the index is computed by `index_compute` on a small organization."""
    from execution2.insights.services import index_compute
    from execution2.orgs.models import Organization

    import_people(alpha, SMALL_ORG_CSV)
    delegated_launch(alpha)
    admin.post(_url(alpha), _form({"delivery": 40}))
    index_compute(organization=Organization.objects.get(pk=alpha.pk), replicates=20)
    page = admin.get(_url(alpha)).content.decode()
    assert "Recompute the index" not in page
    assert "Compute the index now" not in page

    admin.post(_url(alpha), _form({"delivery": 10}, target="60"))
    page = admin.get(_url(alpha)).content.decode()
    assert "was computed with other weights or another target" in page
    assert "Recompute the index now" in page


def test_executives_may_not_change_the_weights(alpha: Any, make_user: Callable[..., Any]) -> None:
    client = Client()
    client.force_login(make_user("exec@alpha.example", alpha, "executive"))
    assert client.post(_url(alpha), _form()).status_code == 403
    assert _settings(alpha) == (dict(DEFAULT_WEIGHTS), 75.0)
