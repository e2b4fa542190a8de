"""Each opportunity on the plan page shows its evidence from market listening."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from execution2.listening.models import Theme
from execution2.listening.services import theme_link
from execution2.plans.models import Initiative, Opportunity

pytestmark = pytest.mark.django_db


def test_the_plan_tree_shows_the_themes_linked_to_each_opportunity(
    make_org: Any, make_user: Any, import_people: Any, small_org_csv: str, client: Any
) -> None:
    org = make_org("acme")
    import_people(org, small_org_csv)
    client.force_login(make_user("member@acme.example", org, "member"))
    linked = Opportunity.objects.create(organization=org, key="green", title="Green buyers")
    other = Opportunity.objects.create(organization=org, key="other", title="Other buyers")
    for opportunity in (linked, other):
        initiative = Initiative.objects.create(
            organization=org, key=f"serve-{opportunity.key}", title=f"Serve {opportunity.title}"
        )
        initiative.opportunities.add(opportunity)
    theme = Theme.objects.create(organization=org, name="Recyclable packaging")
    theme_link(organization=org, theme=theme, opportunity_id=linked.pk)

    page = client.get(reverse("plans:tree", args=["acme"])).content.decode()
    assert "Evidence from market listening: 1 theme" in page
    assert "Evidence from market listening: none linked yet" in page
    assert reverse("listening:theme", args=["acme", theme.pk]) in page
