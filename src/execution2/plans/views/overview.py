"""A manager's delegation page and the executives' portfolio."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from execution2.orgs.choices import Role
from execution2.orgs.models import Person
from execution2.orgs.tenancy import OrgRequest, org_view
from execution2.plans import charts
from execution2.plans.choices import OPEN_ASSIGNMENT_STATUSES
from execution2.plans.models import Assignment
from execution2.plans.selectors import (
    EVIDENCE_WINDOW_DAYS,
    delegation_evidence_by_manager,
    plan_status,
)

MANAGER_PAGE = 50
SORTS = {
    "assignments": ("Assignments", lambda e: e.assignments),
    "instructed": ("With instructions and due date", lambda e: e.instructed_share),
    "acknowledged": ("Acknowledged", lambda e: e.acknowledged_share),
    "delay": ("Median acknowledgement", lambda e: e.median_ack_delay_days),
    "on_time": ("On time", lambda e: e.on_time_share),
    "blockers": ("Median blocker resolution", lambda e: e.median_blocker_resolution_days),
    "recognition": ("Recognition per person-month", lambda e: e.recognition_per_person_month),
    "spread": ("Spread over the team", lambda e: e.spread),
}


def _person_page(request: OrgRequest, manager: Person) -> HttpResponse:
    organization = request.organization
    evidence = delegation_evidence_by_manager(organization=organization, manager_ids=[manager.pk])[
        manager.pk
    ]
    assignments = (
        Assignment.objects.filter(organization=organization, delegator=manager)
        .select_related("owner", "initiative")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(assignments, MANAGER_PAGE).get_page(request.GET.get("page"))
    per_owner = list(
        Assignment.objects.filter(organization=organization, delegator=manager)
        .values("owner_id", "owner__name")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(status__in=OPEN_ASSIGNMENT_STATUSES)),
        )
        .order_by("-total", "owner__name")[:30]
    )
    most = max((row["total"] for row in per_owner), default=0)
    context = {
        "manager": manager,
        "evidence": evidence,
        "page": page,
        "per_owner": per_owner,
        "most": most,
        "today": timezone.localdate(),
        "window_days": EVIDENCE_WINDOW_DAYS,
        "is_self": request.person is not None and request.person.pk == manager.pk,  # type: ignore[union-attr]
        "can_see_all": request.role_at_least(Role.EXECUTIVE),
    }
    return render(request, "plans/delegation.html", context)


@org_view(min_role=Role.MANAGER)
def delegation(request: OrgRequest) -> HttpResponse:
    """Executives see every manager's figures; a manager sees their own page."""
    organization = request.organization
    person = request.person
    if not request.role_at_least(Role.EXECUTIVE):
        if person is None:
            return render(request, "plans/delegation.html", {"manager": None})
        return _person_page(request, person)
    evidence = delegation_evidence_by_manager(organization=organization)
    people = {
        p.pk: p
        for p in Person.objects.filter(
            organization=organization, pk__in=list(evidence)
        ).select_related("unit")
    }
    sort = request.GET.get("sort", "assignments")
    if sort not in SORTS:
        sort = "assignments"
    key = SORTS[sort][1]
    rows = [
        {"person": people[pk], "evidence": e}
        for pk, e in evidence.items()
        if pk in people and e.assignments > 0
    ]
    rows.sort(
        key=lambda r: (key(r["evidence"]) is None, -(key(r["evidence"]) or 0), r["person"].name)
    )
    page = Paginator(rows, MANAGER_PAGE).get_page(request.GET.get("page"))
    context = {
        "manager": None,
        "overview": True,
        "page": page,
        "sort": sort,
        "sorts": [(k, v[0]) for k, v in SORTS.items()],
        "window_days": EVIDENCE_WINDOW_DAYS,
        "person": person,
    }
    return render(request, "plans/delegation_all.html", context)


@org_view(min_role=Role.MANAGER)
def delegation_person(request: OrgRequest, person_id: int) -> HttpResponse:
    organization = request.organization
    manager = Person.objects.filter(organization=organization, pk=person_id).first()
    if manager is None:
        raise Http404("No such person")
    me = request.person
    if not request.role_at_least(Role.EXECUTIVE) and (me is None or me.pk != manager.pk):
        raise PermissionDenied
    return _person_page(request, manager)


PORTFOLIO_SORTS = {
    "progress": lambda r: r.progress,
    "schedule": lambda r: r.schedule,
    "roi": lambda r: r.finance.roi,
    "spent": lambda r: r.finance.actual_cost,
    "variance": lambda r: r.finance.budget_variance_share,
}


@org_view(min_role=Role.EXECUTIVE)
def portfolio(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    status = plan_status(organization=organization)
    sort = request.GET.get("sort", "progress")
    if sort not in PORTFOLIO_SORTS:
        sort = "progress"
    key = PORTFOLIO_SORTS[sort]
    rows = sorted(status.initiatives.values(), key=lambda r: (key(r) is None, -(key(r) or 0)))
    chart_rows: list[dict[str, Any]] = [
        {
            "initiative": r.title,
            "progress": round((r.progress or 0) * 100, 1),
            "schedule": round(r.schedule, 2),
            "spent": round(r.finance.actual_cost),
            "roi": "—" if r.finance.roi is None else f"{r.finance.roi * 100:+.0f}%",
            "roi_band": "no spend yet"
            if r.finance.roi is None
            else ("positive" if r.finance.roi >= 0 else "negative"),
        }
        for r in rows
        if r.schedule is not None
    ]
    context = {
        "status": status,
        "rows": rows,
        "sort": sort,
        "chart": charts.portfolio_chart(chart_rows) if chart_rows else None,
        "flagged": sum(1 for r in rows if r.flags),
    }
    return render(request, "plans/portfolio.html", context)
