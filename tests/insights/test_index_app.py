"""The index app end to end on a small demo organization: what is stored equals the core's
result on the same inputs, anonymity holds in what is stored, pages and exports show it."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client
from django.urls import reverse

from execution2.analytics.index import execution_indexes
from execution2.assessments.results import cycle_result
from execution2.insights.inputs import index_inputs
from execution2.insights.models import IndexRun, ScopeIndex
from execution2.insights.selectors import latest_run, scope_index
from execution2.insights.services import index_compute, index_settings
from tests.insights.conftest import DemoWorld

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _org_payload(demo: DemoWorld) -> dict[str, Any]:
    run = latest_run(organization=demo.organization)
    assert run is not None
    row = scope_index(run=run)
    assert row is not None
    return row.payload


def test_the_stored_index_equals_the_core_on_the_same_inputs(demo: DemoWorld) -> None:
    run = latest_run(organization=demo.organization)
    assert run is not None
    inputs = index_inputs(organization=demo.organization, as_of=run.as_of)
    weights, target = index_settings(demo.organization)
    expected = execution_indexes(inputs.inputs, weights=weights, target=target)
    stored = {row.unit_id: row for row in ScopeIndex.objects.filter(run=run)}
    assert len(stored) == len(inputs.scopes)
    for scope in inputs.scopes:
        row = stored[scope.unit_id]
        want = expected[scope.row]
        if want.index is None:
            assert row.index is None
        else:
            assert row.index == pytest.approx(want.index, abs=1e-5)
        scores = {c["key"]: c["score"] for c in row.payload["components"]}
        for component in want.components:
            if component.score is None:
                assert scores[component.key] is None
            else:
                assert scores[component.key] == pytest.approx(component.score, abs=1e-5)


def test_the_organization_index_has_every_source_and_an_interval(demo: DemoWorld) -> None:
    payload = _org_payload(demo)
    assert payload["index"] is not None
    assert payload["missing"] == []
    interval = payload["interval"]
    assert interval["low"] < payload["index"] < interval["high"]
    assert interval["respondents"] > 0
    sources = {c["key"]: " ".join(c["sources"]) for c in payload["components"]}
    assert "survey" in sources["leadership"]
    assert "network" in sources["connectedness"]
    assert "plan" in sources["delivery"]
    assert len(payload["trend"]) == 2  # the demo's two closed cycles


def test_a_unit_with_hidden_survey_results_shows_none_and_says_why(demo: DemoWorld) -> None:
    run = latest_run(organization=demo.organization)
    hidden = [row for row in ScopeIndex.objects.filter(run=run) if row.payload["survey_note"] != ""]
    assert hidden, "the small demo has units too small to show their survey results"
    result = cycle_result(run.organization.cycles.get(pk=run.summary["cycle"]["id"]))
    for row in hidden:
        payload = row.payload
        survey_scores = [
            c["score"] for c in payload["components"] if "survey" in " ".join(c["sources"])
        ]
        assert survey_scores == []
        assert payload["interval"] is None
        assert payload["inputs"]["survey"] is None
        group = result.group("unit", row.unit_id, "all")
        assert group is None or group.suppressed


def test_managers_are_named_only_for_disclosed_groups_of_enough_people(demo: DemoWorld) -> None:
    run = latest_run(organization=demo.organization)
    result = cycle_result(run.organization.cycles.get(pk=run.summary["cycle"]["id"]))
    min_group = demo.organization.effective_settings["anonymity"]["min_group"]
    named = 0
    for row in ScopeIndex.objects.filter(run=run):
        for recommendation in row.payload["recommendations"]:
            for place in recommendation["where"]:
                assert place["n"] >= min_group
                if place["kind"] == "manager":
                    named += 1
                    group = result.group("subject", int(place["key"]), "all")
                    assert group is not None
                    assert not group.suppressed
    assert named > 0


def test_the_dashboard_shows_the_index_its_interval_and_every_component(
    demo: DemoWorld,
) -> None:
    payload = _org_payload(demo)
    response = _client(demo.admin).get(
        reverse("insights:dashboard", kwargs={"org_slug": demo.organization.slug})
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{payload['index']:.1f}" in page
    interval = payload["interval"]
    assert f"90% interval {interval['low']:.1f}\u2013{interval['high']:.1f}" in page
    for component in payload["components"]:
        assert component["title"].replace("'", "&#x27;") in page
        assert f"{component['score']:.1f}" in page
    for risk in payload["risks"]:
        if risk["fired"]:
            assert risk["title"] in page


def test_a_unit_drill_down_shows_that_units_own_index(demo: DemoWorld) -> None:
    run = latest_run(organization=demo.organization)
    row = ScopeIndex.objects.filter(run=run, depth=1, index__isnull=False).order_by("pk").first()
    assert row is not None
    response = _client(demo.admin).get(
        reverse(
            "insights:unit",
            kwargs={"org_slug": demo.organization.slug, "unit_id": row.unit_id},
        )
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Execution Index: {row.unit.name}" in page
    assert f"{row.index:.1f}" in page


def test_a_unit_of_another_organization_is_not_found(
    demo: DemoWorld, make_org: Any, import_people: Any, small_org_csv: str
) -> None:
    other = make_org("other", "Other")
    import_people(other, small_org_csv)
    foreign = other.units.first()
    response = _client(demo.admin).get(
        reverse("insights:unit", kwargs={"org_slug": demo.organization.slug, "unit_id": foreign.pk})
    )
    assert response.status_code == 404


def test_a_manager_may_not_open_the_executive_dashboard(demo: DemoWorld, make_user: Any) -> None:
    manager = make_user("manager@example.com", demo.organization, "manager")
    response = _client(manager).get(
        reverse("insights:dashboard", kwargs={"org_slug": demo.organization.slug})
    )
    assert response.status_code == 403


def test_the_components_export_holds_the_numbers_the_page_shows(demo: DemoWorld) -> None:
    payload = _org_payload(demo)
    client = _client(demo.admin)
    url = reverse(
        "insights:export",
        kwargs={"org_slug": demo.organization.slug, "table": "components", "fmt": "csv"},
    )
    rows = list(csv.DictReader(io.StringIO(client.get(url).content.decode())))
    by_title = {row["component"]: row for row in rows}
    for component in payload["components"]:
        assert float(by_title[component["title"]]["score"]) == round(component["score"], 1)
        assert int(by_title[component["title"]]["n"]) == component["n"]
    assert float(by_title["Execution Index"]["score"]) == round(payload["index"], 1)

    from openpyxl import load_workbook

    xlsx = client.get(url.replace(".csv", ".xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "component"
    assert {row[0]: row[1] for row in values[1:]}["Execution Index"] == round(payload["index"], 1)


@pytest.mark.parametrize("table", ["risks", "recommendations", "trend", "units"])
def test_every_table_exports_in_both_formats(demo: DemoWorld, table: str) -> None:
    client = _client(demo.admin)
    for fmt in ("csv", "xlsx"):
        url = reverse(
            "insights:export",
            kwargs={"org_slug": demo.organization.slug, "table": table, "fmt": fmt},
        )
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith(f'.{fmt}"')
        assert len(response.content) > 30


def test_exports_refuse_unknown_tables_formats_and_units(demo: DemoWorld) -> None:
    client = _client(demo.admin)
    slug = demo.organization.slug
    bad = [
        reverse("insights:export", kwargs={"org_slug": slug, "table": "people", "fmt": "csv"}),
        reverse("insights:export", kwargs={"org_slug": slug, "table": "risks", "fmt": "pdf"}),
        reverse("insights:export", kwargs={"org_slug": slug, "table": "risks", "fmt": "csv"})
        + "?unit=abc",
        reverse("insights:export", kwargs={"org_slug": slug, "table": "risks", "fmt": "csv"})
        + "?unit=999999999",
    ]
    for url in bad:
        assert client.get(url).status_code == 404


def test_the_index_command_prints_the_stored_result_as_json(demo: DemoWorld) -> None:
    from execution2.insights.commands import index

    result = CliRunner().invoke(index, ["--org", demo.organization.slug, "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output[result.output.index("{") :])
    stored = _org_payload(demo)
    assert document["index"] == stored["index"]
    assert [c["score"] for c in document["components"]] == [
        c["score"] for c in stored["components"]
    ]


def test_the_index_command_refuses_an_unknown_unit(demo: DemoWorld) -> None:
    from execution2.insights.commands import index

    result = CliRunner().invoke(index, ["--org", demo.organization.slug, "--unit", "Nowhere"])
    assert result.exit_code == 2
    assert "no unit 'Nowhere'" in result.output


def test_an_organization_without_data_has_no_index_and_says_so(
    make_org: Any, import_people: Any, small_org_csv: str
) -> None:
    organization = make_org("empty", "Empty")
    import_people(organization, small_org_csv)
    run = index_compute(organization=organization)
    payload = scope_index(run=run).payload
    assert payload["index"] is None
    assert payload["note"].startswith("No data yet")
    assert all(c["missing"] for c in payload["components"])


def test_the_compute_button_runs_the_job_and_stores_a_new_run(demo: DemoWorld) -> None:
    before = IndexRun.objects.filter(organization=demo.organization).count()
    response = _client(demo.admin).post(
        reverse("insights:compute", kwargs={"org_slug": demo.organization.slug})
    )
    assert response.status_code == 302
    job_page = _client(demo.admin).get(response["Location"])
    assert "Execution Index" in job_page.content.decode()
    # The same day's run is replaced, never duplicated.
    assert IndexRun.objects.filter(organization=demo.organization).count() == max(before, 1)


def test_the_home_page_shows_the_index_to_executives_only(demo: DemoWorld, make_user: Any) -> None:
    payload = _org_payload(demo)
    home = reverse("orgs:home", kwargs={"org_slug": demo.organization.slug})
    executive = make_user("ceo@example.com", demo.organization, "executive")
    page = _client(executive).get(home).content.decode()
    assert "Open the dashboard" in page
    assert f"{payload['index']:.1f}" in page
    member = make_user("someone@example.com", demo.organization, "member")
    assert "Open the dashboard" not in _client(member).get(home).content.decode()


def test_on_time_completion_counted_in_sql_equals_the_full_delegation_evidence(
    demo: DemoWorld,
) -> None:
    from django.utils import timezone

    from execution2.plans.selectors import delegation_evidence_by_unit, on_time_by_unit

    today = timezone.localdate()
    by_unit, overall = on_time_by_unit(organization=demo.organization, as_of=today)
    evidence = delegation_evidence_by_unit(organization=demo.organization, as_of=today)
    compared = 0
    for unit_id, full in evidence.items():
        counted = by_unit.get(unit_id)
        if full.on_time_base == 0:
            assert counted is None or counted.base == 0
            continue
        assert counted is not None
        assert counted.base == full.on_time_base
        assert counted.share == pytest.approx(full.on_time_share)
        compared += 1
    assert compared > 5
    assert overall.base == sum(e.on_time_base for u, e in evidence.items() if u in _top_units(demo))


def _top_units(demo: DemoWorld) -> set[int]:
    return set(demo.organization.units.filter(parent__isnull=True).values_list("pk", flat=True))


def test_the_outcomes_and_consultant_tables_download_for_admins_only(
    demo: DemoWorld, make_user: Any
) -> None:
    from execution2.insights.services import outcome_record

    outcome_record(
        organization=demo.organization,
        actor=None,
        result="succeeded",
        closed_on=latest_run(organization=demo.organization).as_of,
        label="=HYPERLINK(plan)",
    )
    slug = demo.organization.slug
    admin = _client(demo.admin)
    outcomes = admin.get(
        reverse("insights:export", kwargs={"org_slug": slug, "table": "outcomes", "fmt": "csv"})
    )
    rows = list(csv.DictReader(io.StringIO(outcomes.content.decode())))
    # A label a spreadsheet would run as a formula is written as text.
    assert [row["outcome_of"] for row in rows] == ["'=HYPERLINK(plan)"]
    portfolio = admin.get(
        reverse("insights:export", kwargs={"org_slug": slug, "table": "portfolio", "fmt": "csv"})
    )
    names = [row["organization"] for row in csv.DictReader(io.StringIO(portfolio.content.decode()))]
    assert names == [demo.organization.name]
    executive = _client(make_user("ceo@example.com", demo.organization, "executive"))
    for table in ("outcomes", "portfolio"):
        url = reverse("insights:export", kwargs={"org_slug": slug, "table": table, "fmt": "xlsx"})
        assert executive.get(url).status_code == 403


def test_an_index_as_of_a_day_before_any_data_rests_on_nothing(demo: DemoWorld) -> None:
    import datetime

    inputs = index_inputs(organization=demo.organization, as_of=datetime.date(2020, 1, 1))
    assert inputs.cycle is None
    assert all(i.survey is None and i.network is None for i in inputs.inputs)
    # The plan's initiatives all start later: nothing of the plan counts yet.
    assert all(i.plan is None or not i.plan.initiatives for i in inputs.inputs)
    weights, target = index_settings(demo.organization)
    result = execution_indexes(inputs.inputs, weights=weights, target=target)[0]
    assert result.component("connectedness").missing
