"""The link from a theme to the plan's opportunities, resolved only when the plan app has them.

Listening stores the opportunity as a plain id on the theme; this module is the one place that
looks up `plans.Opportunity` (lazily, through the app registry), so listening never imports
the plan at module level and works before or without it.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Model


def opportunity_model() -> type[Model] | None:
    try:
        return apps.get_model("plans", "Opportunity")
    except LookupError:
        return None


def opportunities_for(organization: Any) -> list[Any]:
    model = opportunity_model()
    if model is None:
        return []
    return list(model._default_manager.filter(organization=organization))


def opportunity_get(organization: Any, opportunity_id: int | None) -> Any:
    model = opportunity_model()
    if model is None or opportunity_id is None:
        return None
    return model._default_manager.filter(organization=organization, pk=opportunity_id).first()


def opportunity_titles(organization: Any) -> dict[int, str]:
    return {o.pk: str(o) for o in opportunities_for(organization)}


def opportunity_url(organization: Any, opportunity: Any) -> str | None:
    """The plan's page of the opportunity, when the plan app has one."""
    from django.urls import NoReverseMatch, reverse

    for name in ("plans:opportunity", "plans:opportunity_detail"):
        try:
            return reverse(
                name, kwargs={"org_slug": organization.slug, "opportunity_id": opportunity.pk}
            )
        except NoReverseMatch:
            continue
    return None
