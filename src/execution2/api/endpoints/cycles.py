"""Feedback cycles: list, create, open, close, participation and results.

Results come only from `assessments.report.report_data`, which reads every value through
`assessments.results.cycle_result` (the one anonymity gate): a group too small to show is
`{"suppressed": true}` with no values, exactly as on the pages and in `assess report --json`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from execution2.api.auth import ApiContext, org_context
from execution2.api.endpoints.common import one
from execution2.api.endpoints.pagination import MAX_LIMIT, page_schema, paginate
from execution2.assessments import services
from execution2.assessments.choices import CycleKind
from execution2.assessments.models import Cycle
from execution2.assessments.report import report_data
from execution2.assessments.results import overall_rate, response_rates
from execution2.orgs.choices import Role

router = Router(tags=["feedback cycles"])


class CycleOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    opens_on: datetime.date
    closes_on: datetime.date
    created_at: datetime.datetime


class CycleIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: CycleKind
    opens_on: datetime.date
    closes_on: datetime.date


class UnitParticipation(Schema):
    unit_id: int
    unit: str
    suppressed: bool
    invited: int | None = None
    answered: int | None = None
    rate: float | None = None


class ParticipationOut(Schema):
    invited: int
    answered: int
    units: list[UnitParticipation]


class ScaleOut(Schema):
    n: int
    score: float | None
    favourable: float | None
    distribution: list[int]
    alpha: float | None
    alpha_ci95: list[float | None]
    omega: float | None
    rwg_j: float | None
    change: float | None


class GroupOut(Schema):
    level: str = Field(description="`organization` or `unit`.")
    unit: str | None = None
    rater_group: str
    suppressed: bool = Field(description="Too few answered to show: no values at all.")
    n: int | None = None
    scales: dict[str, ScaleOut] | None = None


class ResultsOut(Schema):
    cycle_id: int
    thresholds: dict[str, int]
    groups: list[GroupOut]


CyclePage = page_schema(CycleOut, "CyclePage")


def _cycle(ctx: ApiContext, cycle_id: int) -> Cycle:
    rows = Cycle.objects.filter(organization=ctx.organization).select_related(
        "organization", "instrument"
    )
    return one(rows, pk=cycle_id)  # type: ignore[no-any-return]


@router.get("/orgs/{org_slug}/cycles", response=CyclePage, summary="Feedback cycles")
def cycles(
    request: HttpRequest,
    org_slug: str,
    cursor: str | None = None,
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    ctx = org_context(request, org_slug, Role.EXECUTIVE)
    return paginate(Cycle.objects.filter(organization=ctx.organization), cursor=cursor, limit=limit)


@router.get("/orgs/{org_slug}/cycles/{cycle_id}", response=CycleOut, summary="A feedback cycle")
def cycle(request: HttpRequest, org_slug: str, cycle_id: int) -> Cycle:
    return _cycle(org_context(request, org_slug, Role.EXECUTIVE), cycle_id)


@router.post("/orgs/{org_slug}/cycles", response={201: CycleOut}, summary="Create a draft cycle")
def cycle_create(request: HttpRequest, org_slug: str, payload: CycleIn) -> tuple[int, Cycle]:
    ctx = org_context(request, org_slug, Role.ADMIN)
    created = services.cycle_create(
        organization=ctx.organization,
        name=payload.name,
        kind=payload.kind,
        opens_on=payload.opens_on,
        closes_on=payload.closes_on,
        actor=ctx.user,
    )
    return 201, created


@router.post(
    "/orgs/{org_slug}/cycles/{cycle_id}/open",
    response=CycleOut,
    summary="Open a draft cycle: choose raters, e-mail their links",
)
def cycle_open(request: HttpRequest, org_slug: str, cycle_id: int) -> Cycle:
    ctx = org_context(request, org_slug, Role.ADMIN)
    found = _cycle(ctx, cycle_id)
    services.cycle_open(cycle=found, actor=ctx.user)
    return found


@router.post("/orgs/{org_slug}/cycles/{cycle_id}/close", response=CycleOut, summary="Close a cycle")
def cycle_close(request: HttpRequest, org_slug: str, cycle_id: int) -> Cycle:
    ctx = org_context(request, org_slug, Role.ADMIN)
    return services.cycle_close(cycle=_cycle(ctx, cycle_id), actor=ctx.user)


@router.get(
    "/orgs/{org_slug}/cycles/{cycle_id}/participation",
    response=ParticipationOut,
    summary="How many were invited and answered, per unit (never who)",
)
def participation(request: HttpRequest, org_slug: str, cycle_id: int) -> dict[str, Any]:
    found = _cycle(org_context(request, org_slug, Role.EXECUTIVE), cycle_id)
    invited, answered = overall_rate(found)
    units = [
        {"unit_id": r.unit.pk, "unit": r.unit.path, "suppressed": True}
        if r.rate is None
        else {
            "unit_id": r.unit.pk,
            "unit": r.unit.path,
            "suppressed": False,
            "invited": r.invited,
            "answered": r.answered,
            "rate": round(r.rate, 1),
        }
        for r in response_rates(found)
    ]
    return {"invited": invited, "answered": answered, "units": units}


@router.get(
    "/orgs/{org_slug}/cycles/{cycle_id}/results",
    response=ResultsOut,
    summary="Scores per organization and unit, through the anonymity gate",
    description=(
        "A group fewer people answered than the organization's threshold is "
        "`suppressed: true` with no values; so is the group that would let it be recovered by "
        "subtraction. Managers' own reports are on the pages only."
    ),
)
def results(request: HttpRequest, org_slug: str, cycle_id: int) -> dict[str, Any]:
    ctx = org_context(request, org_slug, Role.EXECUTIVE, export=True)
    data = report_data(cycle=_cycle(ctx, cycle_id))
    groups = [
        {key: value for key, value in group.items() if key != "subject"}
        for group in data["groups"]
        if group["level"] != "subject"
    ]
    return {"cycle_id": cycle_id, "thresholds": data["thresholds"], "groups": groups}
