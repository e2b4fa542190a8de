"""The PDF reports: the numbers on the page are the stored payload's, a hidden group's numbers
are on no page, and only the people allowed get them (web and command line).

Two data sets: the small demo organization of tests/insights/conftest.py (every capability,
built once per module) for what the report says, and a hand-made 360 cycle (`feedback_org`)
where some groups are hidden, for anonymity. Every score is printed with one decimal; the
expectations below round the stored JSON the same way (`f"{value:.1f}"`).
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from django.test import Client
from django.urls import reverse

from execution2.analytics.assessment.instrument import built_in_instrument
from execution2.insights.models import ScopeIndex
from execution2.insights.pdf import feedback_report_pdf, index_report_pdf
from execution2.insights.selectors import child_indexes, latest_run, scope_index
from tests.insights.conftest import DemoWorld

pytestmark = pytest.mark.django_db
SPEC = built_in_instrument()
SCALES = dict(SPEC.scale_columns())


def pdf_text(data: bytes) -> str:
    """The text of every page, whitespace collapsed (table cells and line breaks alike)."""
    from pypdf import PdfReader

    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def shows(text: str, number: str) -> bool:
    """The number as a whole token ("87.5" is not inside "187.53")."""
    return re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", text) is not None


def one(value: float) -> str:
    return f"{value:.1f}"


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- what the organization and unit reports say (the demo) ------------------------------------


def test_the_organization_report_prints_the_index_interval_and_every_component_as_stored(
    demo: DemoWorld,
) -> None:
    run = latest_run(organization=demo.organization)
    assert run is not None
    row = scope_index(run=run)
    assert row is not None
    payload = row.payload
    text = pdf_text(index_report_pdf(run=run))
    assert demo.organization.name in text
    assert f"{one(payload['index'])} out of 100" in text
    interval = payload["interval"]
    assert f"90% interval {one(interval['low'])}\u2013{one(interval['high'])}" in text
    for component in payload["components"]:
        assert component["title"] in text
        if component["score"] is None:
            assert "missing" in text
        else:
            assert shows(text, one(component["score"])), component
    # The executive summary names the top priorities with their scores, from the numbers.
    for priority in payload["priorities"][:3]:
        assert f"{priority['title'].lower()} ({one(priority['score'])}" in text
    for fired in (r for r in payload["risks"] if r["fired"]):
        assert fired["title"] in text
    for section in (
        "Executive summary",
        "Index and components",
        "Priorities and recommended actions",
        "Risks and evidence",
        "The six attributes",
        "Connectedness",
        "Plan execution",
        "Market listening",
        "Method and data notes",
    ):
        assert section in text


def test_the_report_shows_each_attribute_with_its_n_and_reliability(demo: DemoWorld) -> None:
    run = latest_run(organization=demo.organization)
    assert run is not None
    payload = scope_index(run=run).payload  # type: ignore[union-attr]
    text = pdf_text(index_report_pdf(run=run))
    alphas = payload["inputs"]["survey"]["alpha"]
    attributes = [c for c in payload["components"] if c["key"] in alphas]
    assert len(attributes) == 7  # six attributes and buy-in
    for component in attributes:
        row = re.search(
            rf"{re.escape(component['title'])} (?:the plan buy-in block )?"
            rf"{re.escape(one(component['score']))} {component['n']:,} ",
            text,
        )
        assert row is not None, component["title"]
        assert shows(text, f"{alphas[component['key']]:.2f}")


def test_a_unit_report_holds_that_units_own_numbers_and_its_units_below(
    demo: DemoWorld,
) -> None:
    run = latest_run(organization=demo.organization)
    assert run is not None
    top = [r for r in child_indexes(run=run) if r.index is not None and r.unit is not None]
    row = max(top, key=lambda r: r.payload["scope"]["people"])
    payload = row.payload
    text = pdf_text(index_report_pdf(run=run, unit=row.unit))
    assert row.unit.path in text
    assert f"The Execution Index of {payload['scope']['label']} is {one(payload['index'])}" in text
    for component in payload["components"]:
        if component["score"] is not None:
            assert shows(text, one(component["score"])), component
    for child in child_indexes(run=run, unit=row.unit):
        assert child.payload["scope"]["label"] in text


# --- the web downloads -------------------------------------------------------------------------


def test_an_executive_downloads_the_organization_and_a_unit_report(
    demo: DemoWorld, make_user: Callable[..., Any]
) -> None:
    executive = client_of(make_user("exec@demo.example", demo.organization, "executive"))
    url = reverse("insights:report_pdf", kwargs={"org_slug": demo.organization.slug})
    response = executive.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    unit = ScopeIndex.objects.filter(run__organization=demo.organization, depth=1).first().unit  # type: ignore[union-attr]
    response = executive.get(url, {"unit": unit.pk})
    assert response.status_code == 200
    assert unit.path in pdf_text(response.content)
    from execution2.orgs.models import AuditEvent

    assert AuditEvent.objects.filter(
        organization=demo.organization, action="report.export", detail__scope=unit.path
    ).exists()


@pytest.mark.parametrize("unit", ["abc", "999999", "\u00b2", "9" * 40, "-1"])
def test_an_unknown_unit_is_not_found(demo: DemoWorld, unit: str) -> None:
    url = reverse("insights:report_pdf", kwargs={"org_slug": demo.organization.slug})
    assert client_of(demo.admin).get(url, {"unit": unit}).status_code == 404


def test_a_unit_of_another_organization_is_not_found(
    demo: DemoWorld, make_org: Callable[..., Any], import_people: Callable[..., Any]
) -> None:
    from execution2.orgs.models import Unit

    other = make_org("other", "Other")
    import_people(other, "id,name,unit,manager_id\n1,Olga Other,Elsewhere,\n")
    elsewhere = Unit.objects.get(organization=other)
    url = reverse("insights:report_pdf", kwargs={"org_slug": demo.organization.slug})
    assert client_of(demo.admin).get(url, {"unit": elsewhere.pk}).status_code == 404


# --- anonymity: a 360 cycle where some groups are hidden ----------------------------------------

TEAMS = {"2": ("Sales", 7), "3": ("Support", 6), "4": ("Ops", 2)}
# Everyone shown answers 3 or 4 (scores 50-75); the people in the groups that must stay hidden
# answer 4 or 5 (scores 80-100), so none of their numbers can appear by coincidence as a shown
# score, a gap or an interval (the organization's mix stays under 80).
LOW, HIGH = (3, 4), (4, 5)


def team_csv() -> str:
    lines = ["id,name,unit,manager_id,email,title"]
    lines.append("1,Ada Chief,Office,,ada@acme.example,Chief Executive Officer")
    for manager, (unit, _) in TEAMS.items():
        lines.append(f"{manager},Manager {manager},{unit},1,m{manager}@acme.example,Head of {unit}")
    next_id = 10
    for manager, (unit, size) in TEAMS.items():
        for _ in range(size):
            lines.append(f"{next_id},Person {next_id},{unit},{manager},p{next_id}@acme.example,")
            next_id += 1
    return "\n".join(lines) + "\n"


@dataclass
class FeedbackOrg:
    organization: Any
    cycle: Any
    answers: dict[tuple[str, str], list[np.ndarray]]
    """(subject external id, rater group) -> each respondent's answers, in item order."""

    def scores(self, subject: str, group: str) -> dict[str, float]:
        """Each scale's 0-100 score of a group, computed here from the answers given."""
        rows = np.array(self.answers[(subject, group)], dtype=float)
        return {
            scale: float((rows[:, list(columns)].mean(axis=1).mean() - 1) / 4 * 100)
            for scale, columns in SCALES.items()
        }


@pytest.fixture
def feedback_org(make_org: Callable[..., Any], import_people: Callable[..., Any]) -> FeedbackOrg:
    from execution2.assessments.models import Cycle
    from execution2.assessments.response_import import responses_import
    from execution2.assessments.services import cycle_create

    organization = make_org("acme", "Acme Corp")
    import_people(organization, team_csv())
    today = datetime.date.today()
    cycle = cycle_create(
        organization=organization,
        name="Spring feedback",
        kind="360",
        opens_on=today - datetime.timedelta(days=40),
        closes_on=today - datetime.timedelta(days=10),
    )
    rng = np.random.default_rng(11)
    keys = SPEC.item_keys
    answers: dict[tuple[str, str], list[np.ndarray]] = {}

    def add(subject: str, group: str, levels: tuple[int, ...], count: int = 1) -> None:
        for _ in range(count):
            if len(levels) == 1:
                row = np.full(len(keys), levels[0])
            elif levels == HIGH:
                row = np.where(rng.random(len(keys)) < 0.85, 5, 4)
            else:
                row = rng.choice(levels, size=len(keys))
            answers.setdefault((subject, group), []).append(row)

    add("2", "direct", LOW, 7)
    add("2", "peer", HIGH, 2)  # two peers: hidden
    add("2", "manager", (3,))
    add("2", "self", (4,))
    add("3", "direct", LOW, 6)
    add("4", "direct", HIGH, 2)  # a team of two in Ops: the unit and the manager are hidden
    lines = [",".join(["subject_id", "rater_group", *keys, "keep_doing"])]
    for (subject, group), rows in answers.items():
        for row in rows:
            comment = "Keeps us focused" if group == "direct" else ""
            lines.append(",".join([subject, group, *(str(int(v)) for v in row), comment]))
    responses_import(
        cycle=cycle, source=io.BytesIO("\n".join(lines).encode()), file_name="answers.csv"
    )
    Cycle.objects.filter(pk=cycle.pk).update(status="closed")
    cycle.refresh_from_db()
    return FeedbackOrg(organization, cycle, answers)


def _subject(feedback_org: FeedbackOrg, external_id: str) -> Any:
    from execution2.assessments.models import Subject

    return Subject.objects.select_related("cycle", "unit", "person").get(
        cycle=feedback_org.cycle, person__external_id=external_id
    )


def test_a_hidden_unit_and_manager_leave_no_number_in_the_index_reports(
    feedback_org: FeedbackOrg,
) -> None:
    from execution2.assessments.results import cycle_result
    from execution2.insights.services import index_compute
    from execution2.orgs.models import Unit

    organization = feedback_org.organization
    ops = Unit.objects.get(organization=organization, path="Ops")
    result = cycle_result(feedback_org.cycle)
    assert result.group("unit", ops.pk).suppressed  # type: ignore[union-attr]
    assert result.group("subject", _subject(feedback_org, "4").pk).suppressed  # type: ignore[union-attr]
    hidden = feedback_org.scores("4", "direct")
    assert min(hidden.values()) >= 80  # out of reach of any shown score, gap or interval
    run = index_compute(organization=organization, replicates=200)
    org_text = pdf_text(index_report_pdf(run=run))
    ops_text = pdf_text(index_report_pdf(run=run, unit=ops))
    sales_text = pdf_text(
        index_report_pdf(run=run, unit=Unit.objects.get(organization=organization, path="Sales"))
    )
    for text in (org_text, ops_text, sales_text):
        leaked = [scale for scale, score in hidden.items() if shows(text, one(score))]
        assert not leaked, leaked
        assert not re.search(r"Manager 4(?![.\d])", text)  # not "a Manager 4.5 below"
    assert "hidden" in ops_text
    assert "survey results hidden" in org_text
    # What may be shown is: Sales's own scores.
    sales = scope_index(run=run, unit=Unit.objects.get(organization=organization, path="Sales"))
    for component in sales.payload["components"]:  # type: ignore[union-attr]
        if component["score"] is not None:
            assert shows(sales_text, one(component["score"]))


def test_the_feedback_report_shows_disclosed_groups_and_no_number_of_a_hidden_one(
    feedback_org: FeedbackOrg, make_user: Callable[..., Any]
) -> None:
    from execution2.assessments.results import cycle_result

    subject = _subject(feedback_org, "2")
    result = cycle_result(feedback_org.cycle)
    peers = result.group("subject", subject.pk, "peer")
    assert peers is not None
    assert peers.suppressed
    hidden = feedback_org.scores("2", "peer")
    assert min(hidden.values()) >= 80
    manager = make_user("m2@acme.example", feedback_org.organization, "manager")
    url = reverse(
        "insights:feedback_pdf",
        kwargs={"org_slug": feedback_org.organization.slug, "subject_id": subject.pk},
    )
    response = client_of(manager).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Manager 2" in text
    leaked = [scale for scale, score in hidden.items() if shows(text, one(score))]
    assert not leaked, leaked
    assert "hidden" in text
    shown = 0
    for group in ("all", "direct", "manager", "self"):
        disclosed = result.group("subject", subject.pk, group)
        if disclosed is None or disclosed.suppressed:
            continue
        for scale in disclosed.scales:
            assert scale.score is not None
            assert shows(text, one(scale.score)), (group, scale.key)
            shown += 1
    assert shown >= 7  # at least one group's seven scales are on the page
    assert "Keeps us focused" in text  # comments of a group large enough


def test_the_feedback_report_of_a_hidden_manager_says_so_without_numbers(
    feedback_org: FeedbackOrg,
) -> None:
    subject = _subject(feedback_org, "4")
    text = pdf_text(feedback_report_pdf(subject=subject))
    assert "Too few answers" in text
    hidden = feedback_org.scores("4", "direct")
    assert not [scale for scale, score in hidden.items() if shows(text, one(score))]


# --- who may have which report ------------------------------------------------------------------


def test_only_the_manager_and_executives_get_a_feedback_report(
    feedback_org: FeedbackOrg, make_user: Callable[..., Any], make_org: Callable[..., Any]
) -> None:
    organization = feedback_org.organization
    subject = _subject(feedback_org, "2")
    url = reverse(
        "insights:feedback_pdf", kwargs={"org_slug": organization.slug, "subject_id": subject.pk}
    )
    stranger = make_user("someone@else.example", make_org("else", "Else"), "admin")
    assert client_of(stranger).get(url).status_code == 404
    member = make_user("p10@acme.example", organization, "member")
    assert client_of(member).get(url).status_code == 403
    other_manager = make_user("m3@acme.example", organization, "manager")
    assert client_of(other_manager).get(url).status_code == 404
    executive = make_user("ada@acme.example", organization, "executive")
    assert client_of(executive).get(url).status_code == 200
    missing = reverse(
        "insights:feedback_pdf", kwargs={"org_slug": organization.slug, "subject_id": 10**9}
    )
    assert client_of(executive).get(missing).status_code == 404


def test_only_executives_of_the_organization_get_the_index_report(
    feedback_org: FeedbackOrg, make_user: Callable[..., Any], make_org: Callable[..., Any]
) -> None:
    from execution2.insights.services import index_compute

    organization = feedback_org.organization
    index_compute(organization=organization, replicates=100)
    url = reverse("insights:report_pdf", kwargs={"org_slug": organization.slug})
    stranger = make_user("someone@else.example", make_org("else", "Else"), "admin")
    assert client_of(stranger).get(url).status_code == 404
    for role in ("member", "manager"):
        user = make_user(f"{role}@acme.example", organization, role)
        assert client_of(user).get(url).status_code == 403
    executive = make_user("ada@acme.example", organization, "executive")
    assert client_of(executive).get(url).status_code == 200


def test_without_a_computed_index_the_report_page_says_to_compute_it_first(
    feedback_org: FeedbackOrg, make_user: Callable[..., Any]
) -> None:
    organization = feedback_org.organization
    url = reverse("insights:report_pdf", kwargs={"org_slug": organization.slug})
    admin = client_of(make_user("admin@acme.example", organization, "admin"))
    response = admin.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "computed yet" in page
    assert reverse("insights:dashboard", kwargs={"org_slug": organization.slug}) in page


def test_a_unit_newer_than_the_index_gets_a_page_saying_so(
    feedback_org: FeedbackOrg, make_user: Callable[..., Any]
) -> None:
    from execution2.insights.services import index_compute
    from execution2.orgs.models import Unit

    organization = feedback_org.organization
    index_compute(organization=organization, replicates=100)
    newer = Unit.objects.create(organization=organization, name="Labs", path="Labs", depth=0)
    url = reverse("insights:report_pdf", kwargs={"org_slug": organization.slug})
    executive = client_of(make_user("ada@acme.example", organization, "executive"))
    response = executive.get(url, {"unit": newer.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Labs is newer than the index" in response.content.decode()


# --- the command line ----------------------------------------------------------------------------


def test_the_command_computes_the_index_when_needed_and_writes_the_pdf(
    feedback_org: FeedbackOrg, tmp_path: Path
) -> None:
    from execution2.cli import cli

    output = tmp_path / "acme.pdf"
    result = CliRunner().invoke(
        cli, ["report", "--org", "acme", "--unit", "sales", "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert "computing it now" in result.output
    run = latest_run(organization=feedback_org.organization)
    assert run is not None
    sales = ScopeIndex.objects.get(run=run, unit__path="Sales")
    assert sales.index is not None
    text = pdf_text(output.read_bytes())
    assert f"The Execution Index of Sales is {one(sales.index)} out of 100" in text


def test_the_command_refuses_an_unknown_unit_with_a_clear_message(
    feedback_org: FeedbackOrg, tmp_path: Path
) -> None:
    from execution2.cli import cli

    output = tmp_path / "x.pdf"
    result = CliRunner().invoke(
        cli, ["report", "--org", "acme", "--unit", "Nowhere / Else", "-o", str(output)]
    )
    assert result.exit_code == 2
    assert "no unit 'Nowhere / Else' in acme" in result.output
    assert "Sales" in result.output  # the top-level units, to show how paths are written
    assert not output.exists()
    result = CliRunner().invoke(cli, ["report", "--org", "nope", "-o", str(output)])
    assert result.exit_code == 2
    assert "no organization 'nope'" in result.output
