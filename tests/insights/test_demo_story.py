"""The demo `make run` builds tells the story issue 7 promises on its Execution Index dashboard:
a strong plan, a marketing trap, one siloed function (Finance) and a weak delegation culture in
one division (Operations). Built once for the module as `execution2 demo` builds it (600 people,
seed 7, about 20 s), then removed."""

from __future__ import annotations

import datetime
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from execution2.analytics.synth.plan import TRAP_TITLE

# The database is set up only for a session with tests that use it; these read the stored
# payloads, built by the module fixture outside any test's transaction.
pytestmark = pytest.mark.django_db

OPERATIONS = "Operations"


@dataclass
class Story:
    summary: dict[str, Any]
    organization: dict[str, Any]
    """The organization's stored payload."""
    units: dict[str, dict[str, Any]]
    """Top-level unit path -> its payload."""
    extended: tuple[str, ...]


@pytest.fixture(scope="module")
def story(django_db_setup: None, django_db_blocker: Any) -> Iterator[Story]:
    from django.contrib.auth import get_user_model

    from execution2.insights.models import ScopeIndex
    from execution2.insights.selectors import latest_run
    from execution2.orgs.demo import DEMO_ADMIN_EMAIL, demo_build

    data_dir = Path(tempfile.mkdtemp(prefix="e2-story-"))
    with override_settings(DATA_DIR=data_dir), django_db_blocker.unblock():
        result = demo_build(slug="story-demo", people=600, seed=7)
        organization = result.organization
        try:
            run = latest_run(organization=organization)
            assert run is not None, "the demo's last step computes the index"
            rows = {row.unit_id: row.payload for row in ScopeIndex.objects.filter(run=run)}
            units = {p["scope"]["path"]: p for p in rows.values() if p["scope"]["depth"] == 1}
            yield Story(run.summary, rows[None], units, result.extended)
        finally:
            from execution2.assessments.models import Cycle
            from execution2.plans.models import Assignment

            # Protected references first: a cycle's instrument, an assignment's owner.
            Cycle.objects.filter(organization=organization).delete()
            Assignment.objects.filter(organization=organization).delete()
            organization.delete()
            get_user_model().objects.filter(email=DEMO_ADMIN_EMAIL).delete()
            shutil.rmtree(data_dir, ignore_errors=True)


def risk(payload: dict[str, Any], key: str) -> dict[str, Any]:
    return next(r for r in payload["risks"] if r["key"] == key)


def component(payload: dict[str, Any], key: str) -> dict[str, Any]:
    return next(c for c in payload["components"] if c["key"] == key)


def test_the_demo_ends_with_a_one_line_summary_of_the_index(story: Story) -> None:
    line = story.extended[-1]
    assert line.startswith(f"Execution Index as of {timezone.localdate():%Y-%m-%d}: ")
    assert "top priority Delegation" in line
    assert "Marketing trap" in line
    assert "Silos" in line


def test_every_source_lines_up_around_today(story: Story) -> None:
    today = timezone.localdate()
    closes = datetime.date.fromisoformat(story.summary["cycle"]["closes_on"])
    assert 28 <= (today - closes).days <= 37  # about a month ago, on a Friday
    network_end = datetime.date.fromisoformat(story.summary["network"]["as_of"])
    assert (today - network_end).days in (0, 1)
    assert story.summary["plan_as_of"] == today.isoformat()
    trend = story.organization["trend"]
    assert len(trend) == 2
    earlier = datetime.date.fromisoformat(trend[0]["point"]["date"])
    assert 180 <= (today - earlier).days <= 190  # about six months ago


def test_the_marketing_trap_fires_naming_the_initiative_marketing_runs_alone(
    story: Story,
) -> None:
    trap = risk(story.organization, "marketing_trap")
    assert trap["fired"]
    trapped = trap["evidence"]["trapped_initiatives"]
    assert [(i["title"], i["top_unit"]) for i in trapped] == [(TRAP_TITLE, "Marketing")]
    assert trap["subjects"] == [trapped[0]["key"]]


def test_the_silos_risk_names_finance_and_only_finance(story: Story) -> None:
    silos = risk(story.organization, "silos")
    assert silos["fired"]
    assert silos["subjects"] == ["Finance"]
    walled = silos["evidence"]["walled_units"]
    assert [u["unit"] for u in walled] == ["Finance"]
    assert walled[0]["ei_index"] <= -0.8


def test_delegation_is_the_first_priority_and_the_places_to_act_are_in_operations(
    story: Story,
) -> None:
    assert story.organization["priorities"][0]["key"] == "delegation"
    advice = next(
        r
        for r in story.organization["recommendations"]
        if r["kind"] == "component" and r["key"] == "delegation"
    )
    where = advice["where"]
    assert where, "the recommendation names where to act"
    # A unit's label is its path; a manager's is "Name (unit path)".
    assert all(
        (p["label"] if p["kind"] == "unit" else p["label"].split(" (", 1)[1]).startswith(OPERATIONS)
        for p in where
    ), where


def test_operations_has_the_lowest_delegation_of_every_division_by_far(story: Story) -> None:
    delegation = {
        path: component(payload, "delegation")["score"]
        for path, payload in story.units.items()
        if component(payload, "delegation")["score"] is not None and path != "Executive Office"
    }
    weakest = min(delegation, key=lambda path: delegation[path])
    assert weakest == OPERATIONS
    others = sorted(score for path, score in delegation.items() if path != OPERATIONS)
    assert delegation[OPERATIONS] < others[0] - 15
    assert story.units[OPERATIONS]["priorities"][0]["key"] == "delegation"


def test_the_plan_reads_strong_delivery_and_buy_in_at_or_near_target(story: Story) -> None:
    target = story.organization["target"]
    delivery = component(story.organization, "delivery")["score"]
    buy_in = component(story.organization, "buy_in")["score"]
    assert delivery >= target - 3, delivery
    assert buy_in >= target - 3, buy_in
    assert not risk(story.organization, "low_buy_in")["fired"]
