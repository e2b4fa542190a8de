"""Pages of the network capability: overview, one unit, import, analyse, export.

Figures about units and the organization are for every member; figures about individual
people (brokers, isolates) are for admins only, on the pages and in exports alike.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from execution2.analytics.units import path_within
from execution2.core.jobs import job_submit
from execution2.core.uploads import upload_form_valid, upload_view
from execution2.network import charts, selectors
from execution2.network.forms import AnalyzeForm, UploadForm
from execution2.network.models import NetworkSnapshot
from execution2.orgs.choices import Role
from execution2.orgs.services import audit_record
from execution2.orgs.tenancy import OrgRequest, org_view

TOP_BROKERS = 15
ISOLATES_SHOWN = 30
COLUMNS = (
    ("timestamp", True, "When: 2026-01-31T09:30:00Z (ISO 8601; without an offset it is UTC)."),
    ("sender", True, "Who wrote, organised or called: an employee id or e-mail address."),
    ("recipients", True, "Who received or attended: one or more ids, separated by ; in CSV."),
    ("channel", True, "email, chat, meeting, call or other."),
    ("weight", False, "A number of 0 or more, if your export has one."),
    ("duration_minutes", False, "For meetings and calls."),
)
EXAMPLE = """timestamp,sender,recipients,channel,duration_minutes
2026-01-05T09:30:00Z,E000012,E000031;E000040,meeting,30
2026-01-05T10:02:11Z,ana@acme.example,bo@acme.example,email,
2026-01-05T10:05:40Z,E000031,E000012,chat,"""


def _common(request: OrgRequest) -> dict[str, Any]:
    organization = request.organization
    store = selectors.event_store(organization=organization)
    return {
        "is_admin": request.is_admin,
        "event_store": store,
        "snapshot": selectors.latest_snapshot(organization=organization),
    }


def _named_brokers(organization: Any, brokers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    people = selectors.people_names(
        organization=organization, person_ids=[b["person_id"] for b in brokers]
    )
    return [{**b, "person": people[b["person_id"]]} for b in brokers if b["person_id"] in people]


@org_view(min_role=Role.MEMBER)
def overview(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    context = _common(request)
    snapshot: NetworkSnapshot | None = context["snapshot"]
    if snapshot is not None:
        results = snapshot.results
        units = results.get("units", [])
        top = [u for u in units if u["depth"] == 0]
        context.update(
            summary=results.get("summary", {}),
            window=results.get("window", {}),
            top_units=top,
            silos=results.get("silos", []),
            trends=results.get("trends", []),
            trends_chart=charts.trends_spec(results.get("trends", []))
            if results.get("trends")
            else None,
            matrix_chart=charts.matrix_spec(results["matrix"]) if results.get("matrix") else None,
            reach_chart=charts.reach_spec(top) if top else None,
        )
        context["plan_available"] = selectors.plan_available()
        if context["plan_available"]:
            chart = selectors.chart_history(organization=organization).as_of(snapshot.as_of)
            context["breadths"] = selectors.initiative_breadths(
                organization=organization, chart=chart
            )
        if context["is_admin"]:
            sensitive = snapshot.brokers or {}
            context["brokers"] = _named_brokers(
                organization, sensitive.get("brokers", [])[:TOP_BROKERS]
            )
            isolates = sensitive.get("isolates", [])
            context["isolate_count"] = len(isolates)
            context["isolates"] = list(
                selectors.people_names(
                    organization=organization, person_ids=isolates[:ISOLATES_SHOWN]
                ).values()
            )
    if context["is_admin"]:
        context["recent_imports"] = selectors.recent_imports(organization=organization)
    return render(request, "network/overview.html", context)


@org_view(min_role=Role.MEMBER)
def unit(request: OrgRequest, unit_id: int) -> HttpResponse:
    organization = request.organization
    found = selectors.unit_for(organization=organization, unit_id=unit_id)
    if found is None:
        raise Http404("No such unit")
    context = _common(request)
    context["unit"] = found
    context["ancestors"] = [
        selectors.unit_by_path(organization=organization, path=" / ".join(found.segments[:i]))
        for i in range(1, len(found.segments))
    ]
    snapshot: NetworkSnapshot | None = context["snapshot"]
    if snapshot is not None:
        results = snapshot.results
        by_id = {u["unit_id"]: u for u in results.get("units", [])}
        row = by_id.get(found.pk)
        context["row"] = row
        context["window"] = results.get("window", {})
        context["children"] = [
            u
            for u in results.get("units", [])
            if u["depth"] == found.depth + 1 and path_within(u["path"], found.path)
        ]
        trends = results.get("unit_trends", {})
        entry = trends.get("units", {}).get(str(found.pk))
        if entry:
            context["trends_chart"] = charts.unit_trends_spec(entry, trends.get("months", []))
        if context["is_admin"] and row is not None:
            context.update(_unit_people(organization, snapshot, found))
    return render(request, "network/unit.html", context)


def _unit_people(organization: Any, snapshot: NetworkSnapshot, found: Any) -> dict[str, Any]:
    """Brokers and isolates of the unit and below, from the snapshot's per-person file."""
    people = selectors.snapshot_people(snapshot=snapshot)
    if people is None:
        return {}
    subtree = selectors.subtree_unit_ids(organization=organization, unit=found)
    inside = np.isin(people["unit_ids"], subtree)
    scores = np.where(inside, np.nan_to_num(people["betweenness"], nan=0.0), -1.0)
    order = np.argsort(-scores, kind="stable")[:10]
    brokers = [
        {"person_id": int(people["person_ids"][i]), "betweenness": float(scores[i])}
        for i in order
        if scores[i] > 0
    ]
    isolated = people["person_ids"][inside & (people["degree"] == 0)]
    return {
        "brokers": _named_brokers(organization, brokers),
        "isolate_count": len(isolated),
        "isolates": list(
            selectors.people_names(
                organization=organization, person_ids=[int(p) for p in isolated[:ISOLATES_SHOWN]]
            ).values()
        ),
    }


@org_view(min_role=Role.ADMIN)
def _events_import(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    form = UploadForm()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if upload_form_valid(request, form):
            upload = form.cleaned_data["file"]
            job = job_submit(
                organization=organization,
                kind="network.import",
                label=f"Import collaboration events from {upload.name}",
                params={
                    "back_url": reverse("network:overview", kwargs={"org_slug": organization.slug})
                },
                actor=request.user,
                upload=upload,
            )
            return redirect("orgs:job", org_slug=organization.slug, job_id=job.pk)
    return render(
        request,
        "network/import.html",
        {
            **_common(request),
            "form": form,
            "columns": COLUMNS,
            "example": EXAMPLE,
            "recent_imports": selectors.recent_imports(organization=organization, limit=10),
            "max_upload_bytes": settings.EXECUTION2_MAX_UPLOAD_BYTES,
        },
        status=422 if form.errors else 200,
    )


events_import = upload_view(_events_import)


@org_view(min_role=Role.ADMIN)
def analyze(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    form = (
        AnalyzeForm(request.POST)
        if request.method == "POST"
        else AnalyzeForm(initial={"window_days": 90, "min_interactions": 2})
    )
    if request.method == "POST" and form.is_valid():
        as_of = form.cleaned_data["as_of"]
        job = job_submit(
            organization=organization,
            kind="network.analyze",
            label="Analyse the collaboration network",
            params={
                "as_of": as_of.isoformat() if as_of else None,
                "window_days": form.cleaned_data["window_days"],
                "min_interactions": form.cleaned_data["min_interactions"],
                "back_url": reverse("network:overview", kwargs={"org_slug": organization.slug}),
            },
            actor=request.user,
        )
        return redirect("orgs:job", org_slug=organization.slug, job_id=job.pk)
    return render(
        request,
        "network/analyze.html",
        {**_common(request), "form": form},
        status=422 if form.errors else 200,
    )


UNIT_EXPORT_COLUMNS = (
    "path",
    "people",
    "internal_ties",
    "external_ties",
    "density",
    "average_degree",
    "isolate_share",
    "largest_component_share",
    "ei_index",
    "cross_unit_share",
    "reach_mean",
    "reach_p90",
)


@org_view(min_role=Role.MEMBER)
def export(request: OrgRequest) -> HttpResponse:
    """The unit metrics of the latest analysis as CSV; admins may add the brokers."""
    organization = request.organization
    snapshot = selectors.latest_snapshot(organization=organization)
    with_people = request.GET.get("people") == "1" and request.is_admin
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if snapshot is not None and with_people:
        writer.writerow(["external_id", "name", "unit", "betweenness"])
        for broker in _named_brokers(organization, (snapshot.brokers or {}).get("brokers", [])):
            person = broker["person"]
            writer.writerow(
                [person.external_id, person.name, person.unit.path, f"{broker['betweenness']:.8f}"]
            )
    else:
        writer.writerow(UNIT_EXPORT_COLUMNS)
        for row in snapshot.results.get("units", []) if snapshot else []:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in UNIT_EXPORT_COLUMNS])
    audit_record(
        organization=organization,
        actor=request.user,
        action="network.export",
        detail={"what": "brokers" if with_people else "units"},
    )
    name = "brokers" if with_people else "network-units"
    response = HttpResponse(
        buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{organization.slug}-{name}.csv"'
    response["Cache-Control"] = "no-store"
    return response
