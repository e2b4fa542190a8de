"""Editing the plan on its pages: initiatives, opportunities, an initiative's parts, and the
person and unit searches of the pickers. Every write is a plans.services call; the rules (who
may, the version check, cycles, what may be deleted) live there, so a refusal here is only the
service's message shown on the page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from execution2.orgs.choices import Role
from execution2.orgs.models import Person, Unit
from execution2.orgs.tenancy import OrgRequest, org_view
from execution2.plans import services
from execution2.plans.edit_forms import (
    InitiativeForm,
    KPIForm,
    OpportunityForm,
    ResourceForm,
    ReturnForm,
    TacticForm,
    person_label,
)
from execution2.plans.models import KPI, Initiative, Opportunity, ResourceLine, Return, Tactic
from execution2.plans.views.common import get_initiative, id_param

SEARCH_LIMIT = 20


def _membership(request: OrgRequest) -> Any:
    return request.membership


def _problem(error: ValidationError) -> str:
    return " ".join(error.messages)


def _form_problem(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: on its field when it names one of the form's fields."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error)


def _back_to(request: OrgRequest, initiative: Initiative) -> HttpResponse:
    return redirect(
        "plans:initiative", org_slug=request.organization.slug, initiative_id=initiative.pk
    )


# --- initiatives ----------------------------------------------------------------------------


def _initiative_form_page(
    request: OrgRequest,
    form: InitiativeForm,
    initiative: Initiative | None,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "plans/initiative_form.html",
        {"form": form, "initiative": initiative},
        status=status,
    )


def _initiative_values(form: InitiativeForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("opened_version", None)
    return data


@org_view(min_role=Role.EXECUTIVE)
def initiative_new(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    if request.method != "POST":
        form = InitiativeForm(organization=organization)
        return _initiative_form_page(request, form, None)
    form = InitiativeForm(request.POST, organization=organization)
    if form.is_valid():
        try:
            initiative = services.initiative_create(
                editor=_membership(request), **_initiative_values(form)
            )
        except ValidationError as error:
            _form_problem(form, error)
        else:
            messages.success(request, f"Created \u201c{initiative.title}\u201d.")
            return _back_to(request, initiative)
    return _initiative_form_page(request, form, None, status=422)


def _initial(initiative: Initiative) -> dict[str, Any]:
    return {
        "title": initiative.title,
        "objective": initiative.objective,
        "owner": initiative.owner_id,
        "sponsor": initiative.sponsor_id,
        "units": [u.pk for u in initiative.units.all()],
        "opportunities": [o.pk for o in initiative.opportunities.all()],
        "parents": [p.pk for p in initiative.parents.all()],
        "start": initiative.start,
        "end": initiative.end,
        "status": initiative.status,
        "weight": initiative.weight,
        "opened_version": initiative.version,
    }


@org_view(min_role=Role.EXECUTIVE)
def initiative_edit(request: OrgRequest, initiative_id: int) -> HttpResponse:
    organization = request.organization
    initiative = get_initiative(request, initiative_id)
    if request.method != "POST":
        form = InitiativeForm(
            organization=organization, initiative=initiative, initial=_initial(initiative)
        )
        return _initiative_form_page(request, form, initiative)
    form = InitiativeForm(request.POST, organization=organization, initiative=initiative)
    if form.is_valid():
        opened = form.cleaned_data.get("opened_version") or initiative.version
        try:
            services.initiative_update(
                editor=_membership(request),
                initiative=initiative,
                opened_version=opened,
                **_initiative_values(form),
            )
        except services.StaleEdit as stale:
            # Keep what they typed; a second save, having seen the message, goes through.
            data = request.POST.copy()
            data["opened_version"] = str(stale.current)
            form = InitiativeForm(data, organization=organization, initiative=initiative)
            form.is_valid()
            form.add_error(None, stale)
        except ValidationError as error:
            _form_problem(form, error)
        else:
            messages.success(request, "Saved.")
            return _back_to(request, initiative)
    return _initiative_form_page(request, form, initiative, status=422)


@org_view(min_role=Role.EXECUTIVE)
def initiative_archive(request: OrgRequest, initiative_id: int) -> HttpResponse:
    initiative = get_initiative(request, initiative_id)
    if request.method != "POST":
        return redirect(
            "plans:initiative_edit", org_slug=request.organization.slug, initiative_id=initiative.pk
        )
    try:
        services.initiative_archive(
            editor=_membership(request),
            initiative=initiative,
            opened_version=id_param(request.POST.get("opened_version")) or initiative.version,
        )
    except ValidationError as error:
        messages.error(request, _problem(error))
    else:
        messages.success(request, f"Archived \u201c{initiative.title}\u201d; its history stays.")
    return _back_to(request, initiative)


@org_view(min_role=Role.EXECUTIVE)
def initiative_delete(request: OrgRequest, initiative_id: int) -> HttpResponse:
    initiative = get_initiative(request, initiative_id)
    if request.method != "POST":
        return redirect(
            "plans:initiative_edit", org_slug=request.organization.slug, initiative_id=initiative.pk
        )
    try:
        services.initiative_delete(editor=_membership(request), initiative=initiative)
    except ValidationError as error:
        messages.error(request, _problem(error))
        return _back_to(request, initiative)
    messages.success(request, f"Deleted \u201c{initiative.title}\u201d.")
    return redirect("plans:tree", org_slug=request.organization.slug)


# --- opportunities --------------------------------------------------------------------------


def _get_opportunity(request: OrgRequest, opportunity_id: int) -> Opportunity:
    opportunity = Opportunity.objects.filter(
        organization=request.organization, pk=opportunity_id
    ).first()
    if opportunity is None:
        raise Http404("No such opportunity")
    return opportunity


def _opportunity_page(
    request: OrgRequest, form: OpportunityForm, opportunity: Opportunity | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "plans/opportunity_form.html",
        {"form": form, "opportunity": opportunity},
        status=status,
    )


@org_view(min_role=Role.EXECUTIVE)
def opportunity_new(request: OrgRequest) -> HttpResponse:
    if request.method != "POST":
        return _opportunity_page(request, OpportunityForm(), None)
    form = OpportunityForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("opened_version")
        try:
            services.opportunity_create(editor=_membership(request), **data)
        except ValidationError as error:
            _form_problem(form, error)
        else:
            messages.success(request, f"Added the opportunity \u201c{data['title']}\u201d.")
            return redirect("plans:tree", org_slug=request.organization.slug)
    return _opportunity_page(request, form, None, 422)


@org_view(min_role=Role.EXECUTIVE)
def opportunity_edit(request: OrgRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _get_opportunity(request, opportunity_id)
    if request.method != "POST":
        form = OpportunityForm(
            initial={
                "title": opportunity.title,
                "segment": opportunity.segment,
                "description": opportunity.description,
                "size_estimate": opportunity.size_estimate,
                "evidence": "\n".join(opportunity.evidence or []),
                "opened_version": opportunity.version,
            }
        )
        return _opportunity_page(request, form, opportunity)
    form = OpportunityForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        opened = data.pop("opened_version") or opportunity.version
        try:
            services.opportunity_update(
                editor=_membership(request),
                opportunity=opportunity,
                opened_version=opened,
                archived="archive" in request.POST,
                **data,
            )
        except ValidationError as error:
            _form_problem(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("plans:tree", org_slug=request.organization.slug)
    return _opportunity_page(request, form, opportunity, 422)


@org_view(min_role=Role.EXECUTIVE)
def opportunity_delete(request: OrgRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _get_opportunity(request, opportunity_id)
    if request.method != "POST":
        return redirect(
            "plans:opportunity_edit",
            org_slug=request.organization.slug,
            opportunity_id=opportunity.pk,
        )
    try:
        services.opportunity_delete(editor=_membership(request), opportunity=opportunity)
    except ValidationError as error:
        messages.error(request, _problem(error))
        return redirect(
            "plans:opportunity_edit",
            org_slug=request.organization.slug,
            opportunity_id=opportunity.pk,
        )
    messages.success(request, f"Deleted the opportunity \u201c{opportunity.title}\u201d.")
    return redirect("plans:tree", org_slug=request.organization.slug)


# --- an initiative's parts ------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One kind of part: its form, model, services and the keyword naming the edited row."""

    name: str
    form: type[forms.Form]
    model: type[Model]
    keyword: str

    def save(self, **kwargs: Any) -> Any:
        return getattr(services, f"{self.name}_save")(**kwargs)

    def delete(self, **kwargs: Any) -> None:
        getattr(services, f"{self.name}_delete")(**kwargs)

    def rows(self, initiative: Initiative) -> list[Any]:
        return list(self.model._default_manager.filter(initiative=initiative))  # type: ignore[misc]

    def initial(self, row: Any) -> dict[str, Any]:
        return {name: getattr(row, name, None) for name in self.form.base_fields}


PARTS = {
    "kpi": Part("kpi", KPIForm, KPI, "kpi"),
    "tactic": Part("tactic", TacticForm, Tactic, "tactic"),
    "resource": Part("resource", ResourceForm, ResourceLine, "line"),
    "return": Part("return", ReturnForm, Return, "entry"),
}


def _parts_page(
    request: OrgRequest,
    initiative: Initiative,
    *,
    bound: tuple[str, int | None, forms.Form] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The initiative's parts, each with its edit form; `bound` is the form a POST refused."""
    may_edit = services.initiative_may_edit_parts(
        membership=_membership(request), initiative=initiative
    )
    sections = []
    for part in PARTS.values():
        rows = []
        for row in part.rows(initiative):
            form = part.form(initial=part.initial(row), prefix=f"{part.name}-{row.pk}")
            if bound and bound[0] == part.name and bound[1] == row.pk:
                form = bound[2]
            rows.append({"row": row, "form": form})
        new = part.form(prefix=f"{part.name}-new")
        if bound and bound[0] == part.name and bound[1] is None:
            new = bound[2]
        sections.append({"part": part.name, "rows": rows, "new": new})
    return render(
        request,
        "plans/initiative_parts.html",
        {
            "initiative": initiative,
            "sections": sections,
            "may_edit": may_edit,
            "error": error,
        },
        status=status,
    )


def _require_parts_editor(request: OrgRequest, initiative: Initiative) -> None:
    """Before reading the form: a member learns nothing from its validation."""
    if not services.initiative_may_edit_parts(
        membership=_membership(request), initiative=initiative
    ):
        raise PermissionDenied


@org_view()
def initiative_parts(request: OrgRequest, initiative_id: int) -> HttpResponse:
    return _parts_page(request, get_initiative(request, initiative_id))


def _part_row(part: Part, initiative: Initiative, row_id: int | None) -> Any:
    if row_id is None:
        return None
    row = part.model._default_manager.filter(initiative=initiative, pk=row_id).first()  # type: ignore[misc]
    if row is None:
        raise Http404("No such part of this initiative")
    return row


@org_view()
def initiative_part_save(request: OrgRequest, initiative_id: int, part: str) -> HttpResponse:
    """Add a part (no `row` in the form) or change one; a GET shows the parts page."""
    initiative = get_initiative(request, initiative_id)
    if request.method != "POST":
        return _parts_page(request, initiative)
    _require_parts_editor(request, initiative)
    kind = PARTS[part]
    row_id = id_param(request.POST.get("row"))
    row = _part_row(kind, initiative, row_id)
    form = kind.form(request.POST, prefix=f"{part}-{row_id if row_id else 'new'}")
    if not form.is_valid():
        return _parts_page(request, initiative, bound=(part, row_id, form), status=422)
    opened = id_param(request.POST.get("opened_version")) or initiative.version
    try:
        kind.save(
            editor=_membership(request),
            initiative=initiative,
            opened_version=opened,
            **{kind.keyword: row},
            **form.cleaned_data,
        )
    except ValidationError as error:
        if not isinstance(error, services.StaleEdit):
            _form_problem(form, error)
        initiative.refresh_from_db()
        return _parts_page(
            request, initiative, bound=(part, row_id, form), error=_problem(error), status=422
        )
    messages.success(request, "Saved.")
    return redirect(
        "plans:initiative_parts", org_slug=request.organization.slug, initiative_id=initiative.pk
    )


@org_view()
def initiative_part_delete(request: OrgRequest, initiative_id: int, part: str) -> HttpResponse:
    initiative = get_initiative(request, initiative_id)
    if request.method != "POST":
        return _parts_page(request, initiative)
    _require_parts_editor(request, initiative)
    kind = PARTS[part]
    row = _part_row(kind, initiative, id_param(request.POST.get("row")) or 0)
    try:
        kind.delete(
            editor=_membership(request),
            initiative=initiative,
            opened_version=id_param(request.POST.get("opened_version")) or initiative.version,
            **{kind.keyword: row},
        )
    except ValidationError as error:
        initiative.refresh_from_db()
        return _parts_page(request, initiative, error=_problem(error), status=422)
    messages.success(request, "Deleted.")
    return redirect(
        "plans:initiative_parts", org_slug=request.organization.slug, initiative_id=initiative.pk
    )


# --- the pickers' searches ------------------------------------------------------------------


def _chosen(request: OrgRequest) -> list[int]:
    field = request.GET.get("field", "")
    return [pk for pk in (id_param(v) for v in request.GET.getlist(field)) if pk]


def _search_text(request: OrgRequest) -> str:
    # PostgreSQL text can't hold NUL, so a query with one would fail there rather than match.
    return request.GET.get("q", "").replace("\x00", "").strip()[:100]


@org_view()
def people_search(request: OrgRequest) -> HttpResponse:
    """Options for a person picker: the chosen person, then up to 20 active people whose name,
    employee id or e-mail matches (an index-friendly prefix on names first)."""
    organization = request.organization
    query = _search_text(request)
    chosen = _chosen(request)
    people = Person.objects.filter(organization=organization, active=True).select_related("unit")
    matches: list[Person] = []
    if query:
        matches = list(
            people.filter(
                Q(name__icontains=query) | Q(external_id__iexact=query) | Q(email__iexact=query)
            )
            .exclude(pk__in=chosen)
            .order_by("name", "pk")[:SEARCH_LIMIT]
        )
    options = [(p.pk, person_label(p), True) for p in people.filter(pk__in=chosen)]
    options += [(p.pk, person_label(p), False) for p in matches]
    return render(
        request,
        "plans/_options.html",
        {
            "options": options,
            "empty": request.GET.get("multiple") != "1",
            "query": query,
            "none_found": bool(query) and not matches,
        },
    )


@org_view()
def units_search(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    query = _search_text(request)
    chosen = _chosen(request)
    units = Unit.objects.filter(organization=organization)
    matches: list[Unit] = []
    if query:
        matches = list(
            units.filter(path__icontains=query)
            .exclude(pk__in=chosen)
            .order_by("path")[:SEARCH_LIMIT]
        )
    options = [(u.pk, u.path, True) for u in units.filter(pk__in=chosen)]
    options += [(u.pk, u.path, False) for u in matches]
    return render(
        request,
        "plans/_options.html",
        {
            "options": options,
            "empty": request.GET.get("multiple") != "1",
            "query": query,
            "none_found": bool(query) and not matches,
        },
    )
