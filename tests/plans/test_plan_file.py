"""The plan as a YAML file: round trip, refusals that name the line and field, the CLI."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from execution2.core.tabular import ImportRefused
from execution2.plans.models import KPI, Assignment, Initiative, Opportunity, PlanVersion, Tactic
from execution2.plans.plan_file import plan_document, plan_export, plan_import

pytestmark = pytest.mark.django_db


def _refused(organization: Any, text: str) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        plan_import(organization=organization, source=text.encode(), file_name="plan.yaml")
    return [str(p) for p in refused.value.problems]


def test_a_plan_file_is_imported_whole(planned: Any) -> None:
    eco = Initiative.objects.get(organization=planned, key="eco-line")
    social = Initiative.objects.get(organization=planned, key="social")
    assert eco.owner.external_id == "2"
    assert eco.sponsor.external_id == "1"
    assert sorted(u.path for u in eco.units.all()) == ["Engineering", "Marketing"]
    assert list(social.parents.all()) == [eco]
    assert {o.key for o in social.opportunities.all()} == {"green"}
    assert eco.tactics.get().title == "Design"
    brief = Assignment.objects.get(initiative=eco, key="brief")
    assert brief.status == "done"
    assert brief.progress == 100
    assert brief.completed_at is not None
    kpi = KPI.objects.get(initiative=eco)
    assert [(v.day, v.value) for v in kpi.values.all()] == [
        (datetime.date(2026, 3, 31), 2.0),
        (datetime.date(2026, 6, 30), 5.0),
    ]
    assert eco.resources.count() == 3
    assert PlanVersion.objects.filter(organization=planned).count() == 1


def test_the_export_imports_into_another_organization_as_the_same_plan(
    planned: Any, make_org: Any, import_people: Any, small_org_csv: str
) -> None:
    exported = plan_export(organization=planned)
    other = make_org("other", "Other")
    import_people(other, small_org_csv)
    plan_import(organization=other, source=exported.encode(), file_name="exported.yaml")
    first = plan_document(organization=planned)
    second = plan_document(organization=other)
    assert first.pop("organization") == "acme"
    assert second.pop("organization") == "other"
    assert first == second
    # And exporting again gives the same text but for the organization's name and slug.
    again = plan_export(organization=other)
    assert again.replace("Other", "Acme Corp").replace("other", "acme") == exported


def test_importing_the_same_file_twice_updates_instead_of_duplicating(
    planned: Any, plan_yaml: str
) -> None:
    changed = plan_yaml.replace("title: Prototype", "title: Prototype it")
    result = plan_import(organization=planned, source=changed.encode(), file_name="plan.yaml")
    assert result.assignments_created == 0
    assert result.assignments_updated == 3
    assert Assignment.objects.filter(organization=planned).count() == 3
    assert Assignment.objects.filter(key="prototype").get().title == "Prototype it"
    assert Opportunity.objects.filter(organization=planned).count() == 1
    assert Tactic.objects.filter(initiative__organization=planned).count() == 1
    assert PlanVersion.objects.filter(organization=planned).count() == 2


def test_a_broken_plan_is_refused_with_the_line_and_field_named_and_nothing_written(
    acme: Any, plan_yaml: str
) -> None:
    broken = (
        plan_yaml.replace('owner: "6"', 'owner: "99"')  # line 40
        .replace("target: 10", "target: -5")  # line 23, an "up" KPI going down
        .replace("period: 2026-02", "period: February")  # line 49
        .replace("parents: [eco-line]", "parents: [eco-lime]")  # line 66
    )
    problems = _refused(acme, broken)
    assert problems == [
        "plan.yaml:23:initiatives[eco-line].kpis[1].target: a KPI that should go up needs a "
        "target at or above its baseline",
        "plan.yaml:40:initiatives[eco-line].tactics[1].assignments[2].owner: no active person "
        "has the employee id '99' in this organization",
        "plan.yaml:49:initiatives[eco-line].resources[2].period: 'February' is not a month like "
        "2026-03",
        "plan.yaml:66:initiatives[social].parents: no initiative with the key 'eco-lime' in the "
        "file or the plan",
    ]
    assert not Initiative.objects.filter(organization=acme).exists()
    assert not Opportunity.objects.filter(organization=acme).exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("initiatives: [\n  {key: a\n", "plan.yaml:3:-: not valid YAML"),
        ("", "plan.yaml:1:-: the file is empty"),
        ("- just a list\n", "plan.yaml:1:plan: expected a mapping of fields"),
        (
            "initiatives:\n  - key: a\n    title: A\n    colour: red\n",
            "plan.yaml:4:initiatives[a].colour: unknown field 'colour'",
        ),
        (
            "initiatives:\n  - key: a\n    title: A\n  - key: a\n    title: B\n",
            "plan.yaml:4:initiatives[2].key: the key 'a' is used already on line 2",
        ),
        (
            "initiatives:\n  - key: a\n    title: A\n    parents: [b]\n"
            "  - key: b\n    title: B\n    parents: [a]\n",
            "the parents form a cycle",
        ),
        (
            "initiatives:\n  - key: a\n    start: 2026-05-01\n    end: 2026-01-01\n",
            "plan.yaml:2:initiatives[a].title: title is required",
        ),
        (
            "initiatives:\n  - key: a\n    title: A\n    weight: heavy\n",
            "plan.yaml:4:initiatives[a].weight: 'heavy' is not a number",
        ),
        (
            "initiatives:\n  - key: a\n    title: A\n    units: [Nowhere]\n",
            "plan.yaml:4:initiatives[a].units[1]: no unit 'Nowhere' in this organization",
        ),
    ],
)
def test_each_kind_of_mistake_is_named(acme: Any, text: str, expected: str) -> None:
    problems = _refused(acme, text)
    assert any(expected in p for p in problems), problems


def test_the_command_line_round_trips_and_refuses_with_exit_status_2(
    planned: Any, tmp_path: Path, plan_yaml: str
) -> None:
    from execution2.cli import cli

    runner = CliRunner()
    exported = runner.invoke(cli, ["plan", "export", "--org", "acme"])
    assert exported.exit_code == 0, exported.output
    assert yaml.safe_load(exported.output)["initiatives"][0]["key"] == "eco-line"
    broken = tmp_path / "broken.yaml"
    broken.write_text(plan_yaml.replace("weight: 2", "weight: -2"))
    result = runner.invoke(cli, ["plan", "import", "--org", "acme", str(broken)])
    assert result.exit_code == 2
    assert f"{broken}:17:initiatives[eco-line].weight: must be at least 0" in result.output
    assert "nothing was imported" in result.output
    assert Initiative.objects.get(key="eco-line").weight == 2


def test_plan_status_prints_the_tree_and_json(planned: Any) -> None:
    import json

    from execution2.cli import cli

    runner = CliRunner()
    text = runner.invoke(cli, ["plan", "status", "--org", "acme", "--as-of", "2026-07-01"])
    assert text.exit_code == 0, text.output
    assert "Green buyers (green): progress 25%" in text.output
    assert "Launch the eco product line (eco-line): progress 38%" in text.output
    data = json.loads(
        runner.invoke(
            cli, ["plan", "status", "--org", "acme", "--json", "--as-of", "2026-07-01"]
        ).output
    )
    eco = next(i for i in data["initiatives"] if i["key"] == "eco-line")
    assert eco["progress"] == pytest.approx(0.375)
    assert eco["finance"]["roi"] == pytest.approx(3_000 / 17_000)


def test_the_digest_command_sends_what_is_queued(planned: Any) -> None:
    from django.core import mail

    from execution2.cli import cli
    from execution2.plans.services import notification_preference_set, recognition_create
    from tests.plans.conftest import person

    notification_preference_set(person=person(planned, "3"), daily_digest=True)
    recognition_create(
        organization=planned,
        giver=person(planned, "2"),
        receiver=person(planned, "3"),
        message="Thanks",
    )
    mail.outbox.clear()
    result = CliRunner().invoke(cli, ["plan", "digest", "--org", "acme"])
    assert result.exit_code == 0, result.output
    assert "1 digest(s) with 1 notice(s) sent" in result.output
    unknown = CliRunner().invoke(cli, ["plan", "digest", "--org", "nope"])
    assert unknown.exit_code == 2


def test_a_file_that_closes_a_loop_with_the_existing_plan_is_refused(planned: Any) -> None:
    """social's parent is eco-line in the plan; a file making social eco-line's parent loops."""
    text = "initiatives:\n  - key: eco-line\n    title: Launch\n    parents: [social]\n"
    problems = _refused(planned, text)
    assert any("would be its own ancestor" in p for p in problems), problems
    eco = Initiative.objects.get(organization=planned, key="eco-line")
    assert list(eco.parents.all()) == []
    assert eco.title == "Launch the eco product line"
