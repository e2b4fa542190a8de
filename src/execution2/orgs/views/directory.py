"""The organization home, the people directory and a person's page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers

from execution2.analytics.units import path_within
from execution2.core.navigation import home_panels
from execution2.orgs.charts import people_by_location_spec
from execution2.orgs.models import AuditEvent, Membership, Person, Unit
from execution2.orgs.selectors import manager_chain, people_search, units_with_counts
from execution2.orgs.tenancy import OrgRequest, org_view

PAGE_SIZE = 50
# Longer queries only make slower SQL; nobody searches a directory with a paragraph.
MAX_QUERY_CHARS = 100
MAX_QUERY_WORDS = 6
# Primary keys are 64-bit; anything bigger can't exist and some databases raise on it.
MAX_ID = 2**63 - 1

SORT_COLUMNS: dict[str, tuple[str, str]] = {
    "name": ("Name", "name"),
    "title": ("Title", "title"),
    "unit": ("Unit", "unit__path"),
    "location": ("Location", "location"),
}


def id_param(value: object) -> int | None:
    """A positive database id from a query parameter, or None for anything else."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def is_htmx_fragment_request(request: OrgRequest) -> bool:
    # A history restore asks for the whole page even though htmx sends it.
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


@org_view()
def organization_home(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    active = Person.objects.filter(organization=organization, active=True)
    headcount = active.count()
    top_units = [
        (unit, total)
        for unit, _own, total in units_with_counts(organization=organization)
        if unit.depth == 0
    ]
    context: dict[str, Any] = {
        "headcount": headcount,
        "unit_count": Unit.objects.filter(organization=organization).count(),
        "manager_count": active.filter(direct_reports__active=True).values("pk").distinct().count(),
        "location_count": active.exclude(location="").values("location").distinct().count(),
        "leaver_count": Person.objects.filter(organization=organization, active=False).count(),
        "top_units": top_units,
        "largest_unit": max((total for _u, total in top_units), default=0),
        "recent_events": [],
    }
    locations = list(
        active.exclude(location="")
        .values_list("location")
        .annotate(people=Count("pk"))
        .order_by("-people", "location")[:12]
    )
    context["location_chart"] = people_by_location_spec(locations) if locations else None
    if request.is_admin:
        context["recent_events"] = list(
            AuditEvent.objects.filter(organization=organization).order_by("-created_at", "-id")[:8]
        )
    context["panels"] = home_panels(request)
    return render(request, "orgs/home.html", context)


@dataclass
class UnitNode:
    unit: Unit
    own: int
    total: int
    selected: bool = False
    open: bool = False
    children: list[UnitNode] = field(default_factory=list)


def unit_tree(rows: list[tuple[Unit, int, int]], selected: Unit | None) -> list[UnitNode]:
    """Nest the units; the branch leading to the selected unit starts open."""
    nodes = {unit.pk: UnitNode(unit, own, total) for unit, own, total in rows}
    roots: list[UnitNode] = []
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id) if node.unit.parent_id else None
        (parent.children if parent is not None else roots).append(node)
        if selected is not None:
            node.selected = node.unit.pk == selected.pk
            node.open = node.selected or path_within(selected.path, node.unit.path)
    return roots


def _sort_param(value: str) -> tuple[str, bool]:
    descending = value.startswith("-")
    key = value[1:] if descending else value
    if key not in SORT_COLUMNS:
        return "name", False
    return key, descending


def _sort_headers(request: OrgRequest, key: str, descending: bool) -> list[dict[str, Any]]:
    headers = []
    for column, (label, _field) in SORT_COLUMNS.items():
        params = request.GET.copy()
        params.pop("page", None)
        current = column == key
        params["sort"] = f"-{column}" if current and not descending else column
        headers.append(
            {
                "label": label,
                "url": "?" + params.urlencode(),
                "aria_sort": ("descending" if descending else "ascending") if current else "",
                # Columns a phone hides to keep the table readable.
                "optional": column == "location",
            }
        )
    return headers


@org_view()
def people(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    query = request.GET.get("q", "").replace("\x00", "")[:MAX_QUERY_CHARS]
    query = " ".join(query.split()[:MAX_QUERY_WORDS])
    show_leavers = request.GET.get("leavers") == "1"
    unit_id = id_param(request.GET.get("unit"))
    unit = (
        Unit.objects.filter(organization=organization, pk=unit_id).first()
        if unit_id is not None
        else None
    )
    sort_key, descending = _sort_param(request.GET.get("sort", "name"))
    field_name = SORT_COLUMNS[sort_key][1]
    ordering = [f"-{field_name}" if descending else field_name, "name", "pk"]

    results = people_search(
        organization=organization, query=query, unit=unit, include_inactive=show_leavers
    ).order_by(*ordering)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "query": query,
        "unit": unit,
        "unit_requested": request.GET.get("unit", "") != "" and unit is None,
        "show_leavers": show_leavers,
        "sort": f"-{sort_key}" if descending else sort_key,
        "sort_headers": _sort_headers(request, sort_key, descending),
        "page": page,
        "filtered": bool(query) or unit is not None,
        "has_people": Person.objects.filter(organization=organization).exists(),
    }
    if is_htmx_fragment_request(request):
        response = render(request, "orgs/_people_results.html", {**context, "fragment": True})
    else:
        rows = units_with_counts(organization=organization)
        context["unit_tree"] = unit_tree(rows, unit)
        context["unit_total"] = sum(node.total for node in context["unit_tree"])
        response = render(request, "orgs/people.html", context)
    # The same URL answers with a fragment or a whole page; caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@org_view()
def person(request: OrgRequest, person_id: int) -> HttpResponse:
    organization = request.organization
    subject = get_object_or_404(
        Person.objects.select_related("unit", "manager"),
        organization=organization,
        pk=person_id,
    )
    chain = manager_chain(person=subject)
    reports = subject.direct_reports.filter(active=True).select_related("unit").order_by("name")
    history = subject.history.select_related("unit", "manager").order_by(
        F("valid_from").desc(nulls_last=True), "-pk"
    )
    context: dict[str, Any] = {
        "person": subject,
        "chain_from_top": list(reversed(chain)),
        "reports": list(reports),
        "history": list(history),
        "logins": [],
    }
    if request.is_admin:
        context["logins"] = list(
            Membership.objects.filter(organization=organization, person=subject).select_related(
                "user"
            )
        )
    return render(request, "orgs/person.html", context)
