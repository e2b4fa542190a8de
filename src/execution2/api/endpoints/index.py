"""The Execution Index: current, per unit, history and outcomes (executives and admins)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from execution2.api.auth import ApiContext, org_context
from execution2.api.endpoints.common import JobOut, job_out, one
from execution2.api.endpoints.pagination import MAX_LIMIT, page_schema, paginate
from execution2.core.jobs import job_submit
from execution2.insights import selectors
from execution2.insights.models import IndexRun, ScopeIndex
from execution2.orgs.choices import Role
from execution2.orgs.models import Unit

router = Router(tags=["execution index"])


class ScopeOut(Schema):
    unit_id: int | None
    unit: str | None
    depth: int
    index: float | None
    low: float | None = Field(description="90% bootstrap interval, lower end.")
    high: float | None


class IndexOut(Schema):
    run_id: int
    as_of: datetime.date
    computed_at: datetime.datetime
    scope: ScopeOut
    detail: dict[str, Any] = Field(
        description="Components with their n, gaps, priorities, risks and recommendations."
    )
    sources: dict[str, Any]


class HistoryOut(Schema):
    id: int
    as_of: datetime.date
    computed_at: datetime.datetime
    index: float | None
    low: float | None
    high: float | None


class OutcomeOut(Schema):
    id: int
    label: str
    initiative_id: int | None
    result: str
    closed_on: datetime.date
    index: float | None
    components: dict[str, Any]
    note: str


class ComputeIn(Schema):
    as_of: datetime.date | None = None


HistoryPage = page_schema(HistoryOut, "IndexHistoryPage")
OutcomePage = page_schema(OutcomeOut, "OutcomePage")


def _scope(row: ScopeIndex) -> dict[str, Any]:
    return {
        "unit_id": row.unit_id,
        "unit": row.unit.path if row.unit_id else None,  # type: ignore[union-attr]
        "depth": row.depth,
        "index": row.index,
        "low": row.low,
        "high": row.high,
    }


def _current(ctx: ApiContext) -> IndexRun:
    run = selectors.latest_run(organization=ctx.organization)
    if run is None:
        raise Http404("No Execution Index computed yet.")
    return run


def _index(run: IndexRun, row: ScopeIndex) -> dict[str, Any]:
    return {
        "run_id": run.pk,
        "as_of": run.as_of,
        "computed_at": run.created_at,
        "scope": _scope(row),
        "detail": row.payload,
        "sources": (run.summary or {}).get("sources") or {},
    }


@router.get("/orgs/{org_slug}/index", response=IndexOut, summary="The current Execution Index")
def index_current(request: HttpRequest, org_slug: str) -> dict[str, Any]:
    ctx = org_context(request, org_slug, Role.EXECUTIVE, export=True)
    run = _current(ctx)
    row = ScopeIndex.objects.filter(run=run, unit=None).first()
    if row is None:
        raise Http404
    return _index(run, row)


@router.get(
    "/orgs/{org_slug}/index/units", response=list[ScopeOut], summary="The index of every unit"
)
def index_units(request: HttpRequest, org_slug: str) -> list[dict[str, Any]]:
    run = _current(org_context(request, org_slug, Role.EXECUTIVE))
    rows = ScopeIndex.objects.filter(run=run, unit__isnull=False).select_related("unit")
    return [_scope(row) for row in sorted(rows, key=lambda r: r.unit.path.casefold())]  # type: ignore[union-attr]


@router.get("/orgs/{org_slug}/index/units/{unit_id}", response=IndexOut, summary="One unit's index")
def index_unit(request: HttpRequest, org_slug: str, unit_id: int) -> dict[str, Any]:
    ctx = org_context(request, org_slug, Role.EXECUTIVE, export=True)
    unit = one(Unit.objects.filter(organization=ctx.organization), pk=unit_id)
    run = _current(ctx)
    row = ScopeIndex.objects.filter(run=run, unit=unit).select_related("unit").first()
    if row is None:
        raise Http404("This unit has no index in the current computation.")
    return _index(run, row)


@router.get(
    "/orgs/{org_slug}/index/history", response=HistoryPage, summary="Every computation of the index"
)
def index_history(
    request: HttpRequest,
    org_slug: str,
    cursor: str | None = None,
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    ctx = org_context(request, org_slug, Role.EXECUTIVE)
    page = paginate(selectors.runs_of(organization=ctx.organization), cursor=cursor, limit=limit)
    heads = {
        row.run_id: row
        for row in ScopeIndex.objects.filter(run__in=page["items"], unit=None).only(
            "run_id", "index", "low", "high"
        )
    }
    page["items"] = [
        {
            "id": run.pk,
            "as_of": run.as_of,
            "computed_at": run.created_at,
            "index": getattr(heads.get(run.pk), "index", None),
            "low": getattr(heads.get(run.pk), "low", None),
            "high": getattr(heads.get(run.pk), "high", None),
        }
        for run in page["items"]
    ]
    return page


@router.get(
    "/orgs/{org_slug}/index/outcomes",
    response=OutcomePage,
    summary="Recorded outcomes of closed plans and initiatives (admins)",
)
def index_outcomes(
    request: HttpRequest,
    org_slug: str,
    cursor: str | None = None,
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    ctx = org_context(request, org_slug, Role.ADMIN)
    page = paginate(
        selectors.outcomes_of(organization=ctx.organization), cursor=cursor, limit=limit
    )
    page["items"] = [
        {
            "id": o.pk,
            "label": o.label,
            "initiative_id": o.initiative_id,
            "result": o.result,
            "closed_on": o.closed_on,
            "index": o.index,
            "components": o.components or {},
            "note": o.note,
        }
        for o in page["items"]
    ]
    return page


@router.post(
    "/orgs/{org_slug}/index/computations",
    response={202: JobOut},
    summary="Compute the index again, as a job (admins)",
)
def index_compute(
    request: HttpRequest, org_slug: str, payload: ComputeIn
) -> tuple[int, dict[str, Any]]:
    ctx = org_context(request, org_slug, Role.ADMIN)
    job = job_submit(
        organization=ctx.organization,
        kind="insights.index",
        label="Compute the Execution Index",
        params={"as_of": payload.as_of.isoformat() if payload.as_of else None},
        actor=ctx.user,
    )
    job.refresh_from_db()
    return 202, job_out(job)
