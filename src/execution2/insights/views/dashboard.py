"""The executive dashboard: the index of the organization or of one unit, read from the latest
stored run (computing happens in a job), so the page costs a handful of queries."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from execution2.core.jobs import job_submit
from execution2.core.models import Job
from execution2.insights import charts
from execution2.insights.models import IndexRun, ScopeIndex
from execution2.insights.selectors import child_indexes, latest_run, scope_index, unit_by_id
from execution2.orgs.choices import Role, role_at_least
from execution2.orgs.models import Organization, Unit
from execution2.orgs.tenancy import OrgRequest, org_view

# Beyond this many units directly below, the heatmap shows the lowest ones (the table all).
HEATMAP_ROWS = 40


def _href(organization: Organization, unit_id: int) -> str:
    return reverse("insights:unit", kwargs={"org_slug": organization.slug, "unit_id": unit_id})


def _running_job(organization: Organization) -> Job | None:
    return (
        Job.objects.filter(
            organization=organization, kind="insights.index", status__in=("queued", "running")
        )
        .order_by("-created_at")
        .first()
    )


def _ancestors(organization: Organization, unit: Unit) -> list[Unit]:
    segments = unit.path.split(" / ")
    paths = [" / ".join(segments[:depth]) for depth in range(1, len(segments))]
    found = {u.path: u for u in Unit.objects.filter(organization=organization, path__in=paths)}
    return [found[p] for p in paths if p in found]


def _context(
    request: OrgRequest, run: IndexRun | None, row: ScopeIndex | None, unit: Unit | None
) -> dict[str, Any]:
    organization: Organization = request.organization
    membership = request.membership
    context: dict[str, Any] = {
        "run": run,
        "unit": unit,
        "is_admin": role_at_least(membership.role, Role.ADMIN),
        "running_job": _running_job(organization),
        "ancestors": _ancestors(organization, unit) if unit is not None else [],
    }
    if run is None or row is None:
        return context
    payload = row.payload
    children = child_indexes(run=run, unit=unit)
    child_payloads = []
    for child in children:
        child_payload = dict(child.payload)
        if child.unit_id is not None:
            child_payload["href"] = _href(organization, child.unit_id)
        child_payloads.append(child_payload)
    shown = child_payloads
    if len(shown) > HEATMAP_ROWS:
        shown = sorted(shown, key=lambda p: (p["index"] is None, p["index"] or 0))[:HEATMAP_ROWS]
    risks = payload["risks"]
    context.update(
        {
            "payload": payload,
            "components": payload["components"],
            "fired": [r for r in risks if r["fired"]],
            "cleared": [r for r in risks if r["assessed"] and not r["fired"]],
            "unassessed": [r for r in risks if not r["assessed"]],
            "components_chart": charts.components_spec(payload),
            "trend_chart": (
                charts.trend_spec(payload["trend"]) if len(payload["trend"]) >= 2 else None
            ),
            "children": child_payloads,
            "heatmap_chart": charts.heatmap_spec(shown) if shown else None,
            "heatmap_cut": len(child_payloads) - len(shown),
            "heatmap_shown": len(shown),
            "export_query": f"?unit={unit.pk}" if unit is not None else "",
            "summary": run.summary,
            # The fired risks and the three largest priorities open; the rest one click away.
            "open_recommendations": sum(1 for r in risks if r["fired"]) + 3,
            "importance": _importance(organization, run, unit, payload["components"]),
        }
    )
    return context


def _importance(
    organization: Organization, run: IndexRun, unit: Unit | None, components: list[Any]
) -> dict[str, Any]:
    """Gaps beside the attributes' importance for buy-in, from the kept instrument analysis."""
    from execution2.assessments.validity import gap_importance
    from execution2.insights.inputs.survey import closed_cycle_as_of

    cycle = closed_cycle_as_of(organization=organization, as_of=run.as_of)
    return gap_importance(
        cycle=cycle, unit_path=unit.path if unit is not None else None, components=components
    )


def _page(request: OrgRequest, unit: Unit | None) -> HttpResponse:
    organization: Organization = request.organization
    run = latest_run(organization=organization)
    row = scope_index(run=run, unit=unit) if run is not None else None
    return render(request, "insights/dashboard.html", _context(request, run, row, unit))


@org_view(Role.EXECUTIVE)
def organization_dashboard(request: OrgRequest) -> HttpResponse:
    return _page(request, None)


@org_view(Role.EXECUTIVE)
def unit_dashboard(request: OrgRequest, unit_id: int) -> HttpResponse:
    unit = unit_by_id(organization=request.organization, unit_id=unit_id)
    if unit is None:
        raise Http404("No such unit")
    return _page(request, unit)


@org_view(Role.ADMIN)
def compute(request: OrgRequest) -> HttpResponse:
    organization: Organization = request.organization
    if request.method != "POST":
        return redirect("insights:dashboard", org_slug=organization.slug)
    running = _running_job(organization)
    if running is not None:
        messages.info(request, "The index is already being computed.")
        return redirect("orgs:job", org_slug=organization.slug, job_id=running.pk)
    job = job_submit(
        organization=organization,
        kind="insights.index",
        label="Compute the Execution Index",
        params={"back_url": reverse("insights:dashboard", kwargs={"org_slug": organization.slug})},
        actor=request.user,
    )
    return redirect("orgs:job", org_slug=organization.slug, job_id=job.pk)


def home_panel(request: OrgRequest) -> tuple[str, dict[str, Any]] | None:
    """The index at the top of the organization's home page, for executives and admins."""
    membership = request.membership
    if not role_at_least(membership.role, Role.EXECUTIVE):
        return None
    run = latest_run(organization=request.organization)
    row = scope_index(run=run) if run is not None else None
    if row is None:
        return None
    payload = row.payload
    return (
        "insights/_home_panel.html",
        {
            "run": run,
            "payload": payload,
            "fired": [r for r in payload["risks"] if r["fired"]],
        },
    )
