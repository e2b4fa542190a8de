"""The plan tree, an initiative's page, its assignments, and delegating a new assignment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from execution2.orgs.choices import Role
from execution2.orgs.tenancy import OrgRequest, org_view
from execution2.plans import charts
from execution2.plans.choices import AssignmentStatus
from execution2.plans.forms import AssignmentForm, KPIValueForm
from execution2.plans.models import KPI, Initiative
from execution2.plans.selectors import plan_status
from execution2.plans.selectors.initiative import (
    delegation_candidate_ids,
    initiative_assignment_list,
    initiative_kpis,
    initiative_page,
    initiative_tactics,
)
from execution2.plans.selectors.tree import plan_tree as plan_tree_read
from execution2.plans.services import (
    assignment_create,
    initiative_may_edit_parts,
    kpi_value_record,
)
from execution2.plans.views.common import (
    get_initiative,
    id_param,
    limited,
)

ASSIGNMENT_PAGE = 25


@org_view()
def plan_tree(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    tree = plan_tree_read(
        organization=organization,
        unit_id=id_param(request.GET.get("unit")),
        owner_id=id_param(request.GET.get("owner")),
    )
    rows = tree.status.initiatives.values()
    context: dict[str, Any] = {
        "status": tree.status,
        "groups": tree.groups,
        "loose": tree.loose,
        "unit_options": tree.unit_options,
        "owner_options": tree.owner_options,
        "unit_id": tree.unit_id,
        "owner_id": tree.owner_id,
        "filtered": tree.filtered,
        "shown": tree.shown,
        "late": sum(r.counts.late for r in rows),
        "assignments": sum(r.counts.total for r in rows),
        "unacknowledged": sum(r.counts.unacknowledged for r in rows),
        "can_admin": request.role_at_least(Role.ADMIN),
        "can_edit": request.role_at_least(Role.EXECUTIVE),
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


def _initiative_page(
    request: OrgRequest, initiative: Initiative, *, kpi_form: KPIValueForm | None, status: int
) -> HttpResponse:
    organization = request.organization
    plan = plan_status(organization=organization)
    row = plan.initiatives[initiative.pk]
    page = initiative_page(organization=organization, initiative=initiative, row=row)
    if kpi_form is None and request.role_at_least(Role.MANAGER):
        kpi_form = KPIValueForm(
            kpis=initiative_kpis(initiative=initiative), initial={"day": timezone.localdate()}
        )
    context = {
        "initiative": initiative,
        "row": row,
        "status": plan,
        "parents": [plan.initiatives[p] for p in row.parent_ids],
        "children": [plan.initiatives[c] for c in row.child_ids],
        "opportunities": [o for o in plan.opportunities if o.id in row.opportunity_ids],
        "kpi_blocks": [_kpi_block(k, page.kpi_values.get(k.pk, [])) for k in page.kpis],
        "kpi_form": kpi_form if page.kpis else None,
        "checkins": page.checkins,
        "blockers": page.blockers,
        "resource_kinds": page.money.by_kind,
        "returns": page.money.returns,
        "spend_chart": charts.spend_chart(page.money.chart_rows) if page.money.chart_rows else None,
        "breadth_unit": page.breadth_unit,
        "can_delegate": request.role_at_least(Role.MANAGER),
        "can_edit_plan": request.role_at_least(Role.EXECUTIVE),
        "can_edit_parts": initiative_may_edit_parts(
            membership=request.membership,
            initiative=initiative,
        ),
    }
    return render(request, "plans/initiative.html", context, status=status)


@org_view()
def initiative_detail(request: OrgRequest, initiative_id: int) -> HttpResponse:
    initiative = get_initiative(request, initiative_id)
    return _initiative_page(request, initiative, kpi_form=None, status=200)


@org_view(min_role=Role.MANAGER)
def initiative_kpi_value(request: OrgRequest, initiative_id: int) -> HttpResponse:
    """Record a KPI's value for a day (a GET shows the initiative's page with the form)."""
    initiative = get_initiative(request, initiative_id)
    if request.method != "POST":
        return _initiative_page(request, initiative, kpi_form=None, status=200)
    kpi_form = KPIValueForm(request.POST, kpis=initiative_kpis(initiative=initiative))
    if not kpi_form.is_valid():
        return _initiative_page(request, initiative, kpi_form=kpi_form, status=422)
    kpi_value_record(
        kpi=kpi_form.cleaned_data["kpi"],
        day=kpi_form.cleaned_data["day"],
        value=kpi_form.cleaned_data["value"],
    )
    messages.success(request, "KPI value recorded.")
    return redirect(
        "plans:initiative", org_slug=request.organization.slug, initiative_id=initiative.pk
    )


@org_view()
def initiative_assignments(request: OrgRequest, initiative_id: int) -> HttpResponse:
    initiative = get_initiative(request, initiative_id)
    tactics = list(initiative_tactics(initiative=initiative))
    tactic_id = id_param(request.GET.get("tactic"))
    tactic = next((t for t in tactics if t.pk == tactic_id), None)
    assignments, state = initiative_assignment_list(
        initiative=initiative,
        tactic=tactic,
        tactic_param=request.GET.get("tactic"),
        state=request.GET.get("status", ""),
    )
    page = Paginator(assignments, ASSIGNMENT_PAGE).get_page(request.GET.get("page"))
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
    return limited(
        delegation_candidate_ids(
            initiative=initiative,
            person=request.person,
            whole_units=request.role_at_least(Role.EXECUTIVE),
        )
    )


@org_view(min_role=Role.MANAGER)
def assignment_new(request: OrgRequest, initiative_id: int) -> HttpResponse:
    organization = request.organization
    initiative = get_initiative(request, initiative_id)
    people = _owner_choices(request, initiative)
    tactics = initiative_tactics(initiative=initiative)
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
