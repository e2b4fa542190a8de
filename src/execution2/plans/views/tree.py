"""The plan tree, an initiative's page, its assignments, and delegating a new assignment."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from execution2.analytics.units import path_within
from execution2.orgs.choices import Role
from execution2.orgs.models import Person, Unit
from execution2.orgs.selectors import unit_subtree_filter
from execution2.orgs.tenancy import OrgRequest, org_view
from execution2.plans import charts
from execution2.plans.choices import AssignmentStatus
from execution2.plans.forms import AssignmentForm, KPIValueForm
from execution2.plans.models import (
    KPI,
    Assignment,
    Blocker,
    CheckIn,
    KPIValue,
    ResourceLine,
    Return,
    Tactic,
)
from execution2.plans.selectors import InitiativeRow, PlanStatus, plan_status, top_units
from execution2.plans.services import assignment_create, kpi_value_record
from execution2.plans.views.common import (
    get_initiative,
    id_param,
    limited,
)

ASSIGNMENT_PAGE = 25


@dataclass
class Node:
    row: InitiativeRow
    children: list[Node] = field(default_factory=list)


def _nodes(
    status: PlanStatus, ids: list[int], visible: set[int], seen: frozenset[int]
) -> list[Node]:
    nodes = []
    for initiative_id in ids:
        row = status.initiatives[initiative_id]
        if initiative_id in seen:
            continue
        children = _nodes(status, row.child_ids, visible, seen | {initiative_id})
        if initiative_id in visible or children:
            nodes.append(Node(row, children))
    return nodes


@org_view()
def plan_tree(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    status = plan_status(organization=organization)
    unit_options = sorted(
        {
            (uid, path)
            for row in status.initiatives.values()
            for uid, path in zip(row.unit_ids, row.unit_paths, strict=True)
        },
        key=lambda item: item[1].casefold(),
    )
    owner_options = sorted(
        {(row.owner_id, row.owner_name) for row in status.initiatives.values() if row.owner_id},
        key=lambda item: item[1].casefold(),
    )
    unit_id = id_param(request.GET.get("unit"))
    owner_id = id_param(request.GET.get("owner"))
    unit_path = dict(unit_options).get(unit_id) if unit_id else None
    if unit_path is None:
        unit_id = None
    if owner_id not in dict(owner_options):
        owner_id = None
    visible = set()
    for row in status.initiatives.values():
        if unit_path is not None and not any(path_within(p, unit_path) for p in row.unit_paths):
            continue
        if owner_id is not None and row.owner_id != owner_id:
            continue
        visible.add(row.id)
    groups = []
    for opportunity in status.opportunities:
        tops = [i for i in opportunity.initiative_ids if not status.initiatives[i].parent_ids]
        nodes = _nodes(status, tops, visible, frozenset())
        if nodes or (unit_id is None and owner_id is None):
            groups.append({"opportunity": opportunity, "nodes": nodes})
    loose = _nodes(status, [r.id for r in status.roots()], visible, frozenset())
    rows = status.initiatives.values()
    context: dict[str, Any] = {
        "status": status,
        "groups": groups,
        "loose": loose,
        "unit_options": unit_options,
        "owner_options": owner_options,
        "unit_id": unit_id,
        "owner_id": owner_id,
        "filtered": unit_id is not None or owner_id is not None,
        "shown": len(visible),
        "late": sum(r.counts.late for r in rows),
        "assignments": sum(r.counts.total for r in rows),
        "unacknowledged": sum(r.counts.unacknowledged for r in rows),
        "can_admin": request.role_at_least(Role.ADMIN),
        # Links are built from one reversed prefix: reversing per row costs more than the rest.
        "initiative_base": reverse("plans:tree", kwargs={"org_slug": organization.slug})
        + "initiatives/",
    }
    return render(request, "plans/tree.html", context)


def _kpi_block(kpi: KPI, values: list[tuple[Any, float]]) -> dict[str, Any]:
    latest = values[-1][1] if values else None
    return {
        "kpi": kpi,
        "latest": latest,
        "values": values,
        "chart": charts.kpi_chart(
            name=kpi.name,
            unit=kpi.unit_of_measure,
            values=[(d.isoformat(), v) for d, v in values],
            target=kpi.target,
            baseline=kpi.baseline,
        )
        if values
        else None,
    }


@org_view()
def initiative_detail(request: OrgRequest, initiative_id: int) -> HttpResponse:
    organization = request.organization
    initiative = get_initiative(request, initiative_id)
    kpi_form = None
    kpis = KPI.objects.filter(initiative=initiative)
    if request.role_at_least(Role.MANAGER):
        posted = request.method == "POST" and request.POST.get("action") == "kpi_value"
        kpi_form = KPIValueForm(
            request.POST if posted else None, kpis=kpis, initial={"day": timezone.localdate()}
        )
        if posted and kpi_form.is_valid():
            kpi_value_record(
                kpi=kpi_form.cleaned_data["kpi"],
                day=kpi_form.cleaned_data["day"],
                value=kpi_form.cleaned_data["value"],
            )
            messages.success(request, "KPI value recorded.")
            return redirect(request.path)
    status = plan_status(organization=organization)
    row = status.initiatives[initiative.pk]
    values: dict[int, list[tuple[Any, float]]] = {}
    for kpi_id, day, value in (
        KPIValue.objects.filter(kpi__initiative=initiative)
        .order_by("day")
        .values_list("kpi_id", "day", "value")
    ):
        values.setdefault(kpi_id, []).append((day, value))
    kpi_blocks = [_kpi_block(k, values.get(k.pk, [])) for k in kpis]
    checkins = list(
        CheckIn.objects.filter(assignment__initiative=initiative)
        .select_related("assignment", "author")
        .order_by("-created_at", "-pk")[:20]
    )
    blockers = list(
        Blocker.objects.filter(initiative=initiative)
        .select_related("assignment", "raised_by", "escalated_to")
        .order_by("resolved_at", "-raised_at")[:20]
    )
    resources = list(ResourceLine.objects.filter(initiative=initiative))
    returns = list(Return.objects.filter(initiative=initiative))
    by_kind: dict[str, dict[str, Any]] = {}
    months: dict[str, dict[str, float]] = {}
    for line in resources:
        kind = by_kind.setdefault(
            line.kind,
            {
                "label": line.get_kind_display(),
                "planned": 0.0,
                "actual": 0.0,
                "cost_planned": 0.0,
                "cost_actual": 0.0,
            },
        )
        kind["planned"] += line.planned
        kind["actual"] += line.actual
        kind["cost_planned"] += line.planned * line.cost_rate
        kind["cost_actual"] += line.actual * line.cost_rate
        month = months.setdefault(
            f"{line.period:%Y-%m}", {"planned": 0.0, "actual": 0.0, "returns": 0.0}
        )
        month["planned"] += line.planned * line.cost_rate
        month["actual"] += line.actual * line.cost_rate
    for ret in returns:
        month = months.setdefault(
            f"{ret.period:%Y-%m}", {"planned": 0.0, "actual": 0.0, "returns": 0.0}
        )
        month["returns"] += ret.amount
    this_month = f"{timezone.localdate():%Y-%m}"
    chart_rows = [
        {"month": month, "series": series, "amount": round(amounts[key], 2)}
        for month, amounts in sorted(months.items())
        for key, series in (
            ("planned", "Planned cost"),
            ("actual", "Actual cost"),
            ("returns", "Returns"),
        )
        # Actual cost and returns exist only up to now; the plan runs on.
        if key == "planned" or month <= this_month
    ]
    top = top_units(organization=organization)
    unit_names = dict(
        Unit.objects.filter(organization=organization, depth=0).values_list("pk", "path")
    )
    breadth_unit = (
        unit_names.get(top.get(row.breadth.top_unit, -1), "")
        if row.breadth and row.breadth.top_unit
        else ""
    )
    context = {
        "initiative": initiative,
        "row": row,
        "status": status,
        "parents": [status.initiatives[p] for p in row.parent_ids],
        "children": [status.initiatives[c] for c in row.child_ids],
        "opportunities": [o for o in status.opportunities if o.id in row.opportunity_ids],
        "kpi_blocks": kpi_blocks,
        "kpi_form": kpi_form if kpis else None,
        "checkins": checkins,
        "blockers": blockers,
        "resource_kinds": list(by_kind.values()),
        "returns": returns,
        "spend_chart": charts.spend_chart(chart_rows) if chart_rows else None,
        "breadth_unit": breadth_unit,
        "can_delegate": request.role_at_least(Role.MANAGER),
    }
    return render(request, "plans/initiative.html", context)


@org_view()
def initiative_assignments(request: OrgRequest, initiative_id: int) -> HttpResponse:
    initiative = get_initiative(request, initiative_id)
    assignments = Assignment.objects.filter(initiative=initiative).select_related(
        "owner", "delegator", "tactic"
    )
    tactics = list(Tactic.objects.filter(initiative=initiative))
    tactic_id = id_param(request.GET.get("tactic"))
    tactic = next((t for t in tactics if t.pk == tactic_id), None)
    if tactic is not None:
        assignments = assignments.filter(tactic=tactic)
    elif request.GET.get("tactic") == "none":
        assignments = assignments.filter(tactic__isnull=True)
    state = request.GET.get("status", "")
    if state == "late":
        assignments = assignments.filter(
            status__in=[
                AssignmentStatus.PROPOSED,
                AssignmentStatus.ACKNOWLEDGED,
                AssignmentStatus.IN_PROGRESS,
            ],
            due__lt=timezone.localdate(),
        )
    elif state in AssignmentStatus.values:
        assignments = assignments.filter(status=state)
    else:
        state = ""
    page = Paginator(assignments.order_by("due", "pk"), ASSIGNMENT_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "initiative": initiative,
        "tactics": tactics,
        "tactic": tactic,
        "state": state,
        "statuses": AssignmentStatus.choices,
        "page": page,
        "today": timezone.localdate(),
        "fragment": request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true",
    }
    template = "plans/_assignment_table.html" if context["fragment"] else "plans/assignments.html"
    return render(request, template, context)


def _owner_choices(request: OrgRequest, initiative: Any) -> Any:
    """Whom someone may delegate to: two levels of their reports; executives: the units too."""
    person = request.person
    ids: set[int] = set()
    if person is not None:
        first = list(
            Person.objects.filter(manager=person, active=True).values_list("pk", flat=True)
        )
        second = Person.objects.filter(manager_id__in=first, active=True).values_list(
            "pk", flat=True
        )
        ids.update(first)
        ids.update(second[:400])
    if request.role_at_least(Role.EXECUTIVE) or not ids:
        units = list(initiative.units.all())
        if units:
            condition = Q()
            for unit in units:
                condition |= unit_subtree_filter(unit)
            ids.update(
                Person.objects.filter(organization=initiative.organization, active=True)
                .filter(condition)
                .values_list("pk", flat=True)[:400]
            )
    return limited(sorted(ids))


@org_view(min_role=Role.MANAGER)
def assignment_new(request: OrgRequest, initiative_id: int) -> HttpResponse:
    organization = request.organization
    initiative = get_initiative(request, initiative_id)
    people = _owner_choices(request, initiative)
    tactics = Tactic.objects.filter(initiative=initiative)
    form = AssignmentForm(
        request.POST if request.method == "POST" else None,
        people=people,
        tactics=tactics,
        initial={"tactic": id_param(request.GET.get("tactic"))},
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignment = assignment_create(
                organization=organization,
                initiative=initiative,
                owner=form.cleaned_data["owner"],
                delegator=request.person,
                title=form.cleaned_data["title"],
                instructions=form.cleaned_data["instructions"],
                acceptance_criteria=form.cleaned_data["acceptance_criteria"],
                due=form.cleaned_data["due"],
                tactic=form.cleaned_data["tactic"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Delegated \u201c{assignment.title}\u201d to {assignment.owner.name}; "
                "they have been told.",
            )
            return redirect(
                "plans:assignment", org_slug=organization.slug, assignment_id=assignment.pk
            )
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "plans/assignment_new.html",
        {
            "initiative": initiative,
            "form": form,
            "no_people": not people.exists(),
            "person": request.person,
        },
        status=status,
    )
