"""Editing the plan through plans.services: each rule of the one write path."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from execution2.orgs.models import AuditEvent, Membership
from execution2.plans.models import (
    KPI,
    Initiative,
    Opportunity,
    PlanVersion,
    ResourceLine,
    Return,
    Tactic,
)
from execution2.plans.plan_file import plan_export
from execution2.plans.services import (
    StaleEdit,
    checkin_create,
    initiative_archive,
    initiative_create,
    initiative_delete,
    initiative_update,
    kpi_delete,
    kpi_save,
    opportunity_create,
    opportunity_delete,
    opportunity_update,
    resource_delete,
    resource_save,
    return_save,
    tactic_delete,
    tactic_save,
)
from tests.plans.conftest import person

pytestmark = pytest.mark.django_db


def _editor(organization: Any, make_user: Any, role: str, external_id: str | None = None) -> Any:
    user = make_user(f"{role}{external_id or ''}@acme.example", organization, role)
    membership = Membership.objects.get(user=user, organization=organization)
    if external_id is not None:
        membership.person = person(organization, external_id)
        membership.save(update_fields=["person"])
    return membership


def _initiative(organization: Any, key: str) -> Initiative:
    return Initiative.objects.get(organization=organization, key=key)


def test_an_executive_creates_an_initiative_under_an_opportunity_and_a_parent(
    planned: Any, make_user: Any
) -> None:
    executive = _editor(planned, make_user, "executive")
    versions = PlanVersion.objects.count()
    opportunity = opportunity_create(editor=executive, title="Refill stations")
    created = initiative_create(
        editor=executive,
        title="Pilot refill stations",
        owner=person(planned, "3"),
        opportunities=[opportunity],
        parents=[_initiative(planned, "eco-line")],
        start=datetime.date(2026, 3, 1),
    )
    assert created.key == "pilot-refill-stations"
    assert opportunity.key == "refill-stations"
    assert list(created.parents.values_list("key", flat=True)) == ["eco-line"]
    assert PlanVersion.objects.count() == versions + 2
    assert (
        PlanVersion.objects.first().label == "Web edit: initiative 'pilot-refill-stations' created"
    )
    event = AuditEvent.objects.filter(action="plan.edit").first()
    assert event.detail["initiative"] == "pilot-refill-stations"
    assert event.actor_label == "executive@acme.example"
    assert "key: pilot-refill-stations" in plan_export(organization=planned)


def test_a_parent_that_closes_a_loop_is_refused_with_the_path(planned: Any, make_user: Any) -> None:
    admin = _editor(planned, make_user, "admin")
    eco = _initiative(planned, "eco-line")
    with pytest.raises(ValidationError) as refused:
        initiative_update(
            editor=admin,
            initiative=eco,
            opened_version=eco.version,
            parents=[_initiative(planned, "social")],
        )
    assert refused.value.message_dict["parents"] == [
        "That would make a cycle: Launch the eco product line → Social listening → "
        "Launch the eco product line."
    ]
    eco.refresh_from_db()
    assert eco.version == 1
    assert not eco.parents.exists()
    with pytest.raises(ValidationError, match="cycle"):
        initiative_update(editor=admin, initiative=eco, opened_version=1, parents=[eco])


def test_the_second_of_two_saves_opened_together_is_refused_and_says_who_changed_what(
    planned: Any, make_user: Any
) -> None:
    ana = _editor(planned, make_user, "admin")
    bo = _editor(planned, make_user, "executive")
    # Both open the initiative at version 1.
    first = _initiative(planned, "eco-line")
    second = _initiative(planned, "eco-line")
    initiative_update(editor=ana, initiative=first, opened_version=1, title="Eco line", weight=3.0)
    with pytest.raises(StaleEdit) as refused:
        initiative_update(editor=bo, initiative=second, opened_version=1, title="Green line")
    message = refused.value.messages[0]
    assert "version 1, now 2" in message
    assert "admin@acme.example: initiative 'eco-line' edited (title, weight), version 2" in message
    stored = _initiative(planned, "eco-line")
    assert (stored.title, stored.weight, stored.version) == ("Eco line", 3.0, 2)
    # Having seen it, the second editor saves again against the current version.
    initiative_update(editor=bo, initiative=stored, opened_version=2, title="Green line")
    assert _initiative(planned, "eco-line").title == "Green line"


def test_a_stale_part_edit_is_refused_too(planned: Any, make_user: Any) -> None:
    admin = _editor(planned, make_user, "admin")
    eco = _initiative(planned, "eco-line")
    tactic_save(editor=admin, initiative=eco, opened_version=1, title="Launch")
    with pytest.raises(StaleEdit):
        kpi_save(
            editor=admin, initiative=eco, opened_version=1, name="Stores", baseline=0, target=5
        )
    assert not KPI.objects.filter(name="Stores").exists()


def test_the_owner_edits_the_initiatives_parts_but_not_the_initiative(
    planned: Any, make_user: Any
) -> None:
    bram = _editor(planned, make_user, "member", "2")  # owns eco-line
    eco = _initiative(planned, "eco-line")
    kpi = kpi_save(
        editor=bram,
        initiative=eco,
        opened_version=1,
        name="Stores stocking it",
        baseline=0,
        target=50,
        update_every_days=30,
    )
    tactic = tactic_save(editor=bram, initiative=eco, opened_version=2, title="Retail")
    line = resource_save(
        editor=bram,
        initiative=eco,
        opened_version=3,
        kind="human",
        period=datetime.date(2026, 5, 17),
        planned=80,
        cost_rate=60,
    )
    ret = return_save(
        editor=bram, initiative=eco, opened_version=4, period=datetime.date(2026, 6, 1), amount=9e3
    )
    assert (kpi.update_every_days, tactic.title, line.period, ret.amount) == (
        30,
        "Retail",
        datetime.date(2026, 5, 1),
        9000.0,
    )
    assert _initiative(planned, "eco-line").version == 5
    assert "update_every_days: 30" in plan_export(organization=planned)
    with pytest.raises(PermissionDenied):
        initiative_update(editor=bram, initiative=eco, opened_version=5, title="Mine now")
    social = _initiative(planned, "social")
    with pytest.raises(PermissionDenied):
        tactic_save(editor=bram, initiative=social, opened_version=1, title="Not his")


def test_a_member_may_not_edit_the_plan(planned: Any, make_user: Any) -> None:
    member = _editor(planned, make_user, "member", "6")
    eco = _initiative(planned, "eco-line")
    with pytest.raises(PermissionDenied):
        initiative_create(editor=member, title="Sneaky")
    with pytest.raises(PermissionDenied):
        kpi_save(editor=member, initiative=eco, opened_version=1, name="X", baseline=0, target=1)
    with pytest.raises(PermissionDenied):
        opportunity_create(editor=member, title="Sneaky market")
    assert not Initiative.objects.filter(title="Sneaky").exists()


def test_an_initiative_with_check_ins_is_archived_not_deleted(planned: Any, make_user: Any) -> None:
    admin = _editor(planned, make_user, "admin")
    social = _initiative(planned, "social")
    assignment = social.assignments.get()
    checkin_create(assignment=assignment, author=assignment.owner, progress=20, confidence=7)
    with pytest.raises(ValidationError, match="archive it instead"):
        initiative_delete(editor=admin, initiative=social)
    initiative_archive(editor=admin, initiative=social, opened_version=1)
    assert _initiative(planned, "social").status == "archived"
    lonely = initiative_create(editor=admin, title="Nothing refers to me")
    initiative_delete(editor=admin, initiative=lonely)
    assert not Initiative.objects.filter(title="Nothing refers to me").exists()


def test_parts_that_something_refers_to_are_not_deleted(planned: Any, make_user: Any) -> None:
    admin = _editor(planned, make_user, "admin")
    eco = _initiative(planned, "eco-line")
    with pytest.raises(ValidationError, match="recorded values"):
        kpi_delete(editor=admin, initiative=eco, opened_version=1, kpi=eco.kpis.get())
    with pytest.raises(ValidationError, match="has assignments"):
        tactic_delete(editor=admin, initiative=eco, opened_version=1, tactic=eco.tactics.get())
    green = Opportunity.objects.get(key="green")
    with pytest.raises(ValidationError, match="Initiatives serve this opportunity"):
        opportunity_delete(editor=admin, opportunity=green)
    opportunity_update(editor=admin, opportunity=green, opened_version=1, archived=True)
    assert Opportunity.objects.get(key="green").archived
    empty = tactic_save(editor=admin, initiative=eco, opened_version=1, title="Empty")
    tactic_delete(editor=admin, initiative=eco, opened_version=2, tactic=empty)
    assert not Tactic.objects.filter(title="Empty").exists()
    line = ResourceLine.objects.filter(initiative=eco).first()
    resource_delete(editor=admin, initiative=eco, opened_version=3, line=line)
    assert ResourceLine.objects.filter(initiative=eco).count() == 2


def test_invalid_values_are_refused_by_full_clean_and_nothing_is_saved(
    planned: Any, make_user: Any
) -> None:
    admin = _editor(planned, make_user, "admin")
    eco = _initiative(planned, "eco-line")
    with pytest.raises(ValidationError):
        kpi_save(
            editor=admin, initiative=eco, opened_version=1, name="Waste", baseline=5, target=9,
            direction="down",
        )  # fmt: skip
    with pytest.raises(ValidationError):
        initiative_update(
            editor=admin,
            initiative=eco,
            opened_version=1,
            start=datetime.date(2026, 5, 1),
            end=datetime.date(2026, 4, 1),
        )
    with pytest.raises(ValidationError, match="people's hours only"):
        resource_save(
            editor=admin, initiative=eco, opened_version=1, kind="financial",
            period=datetime.date(2026, 1, 1), cost_rate=3,
        )  # fmt: skip
    assert _initiative(planned, "eco-line").version == 1
    assert not Return.objects.filter(amount=1).exists()
