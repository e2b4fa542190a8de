"""The plan: opportunities, initiatives, KPIs, tactics, assignments and what happens to them.

Writes are thin: each calls the one `plans.services` function a page calls, so the rules (who
may check in, escalate or resolve) are the pages' rules.
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
from execution2.orgs.choices import Role
from execution2.orgs.models import Person
from execution2.plans import services
from execution2.plans.choices import AssignmentStatus, Resolution
from execution2.plans.models import (
    KPI,
    Assignment,
    Blocker,
    CheckIn,
    Initiative,
    KPIValue,
    Opportunity,
    Recognition,
    Tactic,
)

router = Router(tags=["plan"])
Limit = Query(100, ge=1, le=MAX_LIMIT)


class OpportunityOut(Schema):
    id: int
    key: str
    title: str
    segment: str
    description: str
    size_estimate: float | None
    evidence: list[Any]


class InitiativeOut(Schema):
    id: int
    key: str
    title: str
    objective: str
    owner_id: int | None
    sponsor_id: int | None
    start: datetime.date | None
    end: datetime.date | None
    status: str
    weight: float
    opportunity_ids: list[int]
    parent_ids: list[int]
    unit_ids: list[int]

    @staticmethod
    def resolve_opportunity_ids(obj: Initiative) -> list[int]:
        return [o.pk for o in obj.opportunities.all()]

    @staticmethod
    def resolve_parent_ids(obj: Initiative) -> list[int]:
        return [p.pk for p in obj.parents.all()]

    @staticmethod
    def resolve_unit_ids(obj: Initiative) -> list[int]:
        return [u.pk for u in obj.units.all()]


class KpiOut(Schema):
    id: int
    initiative_id: int
    name: str
    unit_of_measure: str
    baseline: float
    target: float
    direction: str


class KpiValueOut(Schema):
    id: int
    kpi_id: int
    day: datetime.date
    value: float


class KpiValueIn(Schema):
    day: datetime.date
    value: float = Field(allow_inf_nan=False)


class TacticOut(Schema):
    id: int
    initiative_id: int
    key: str
    title: str
    description: str
    weight: float


class AssignmentOut(Schema):
    id: int
    initiative_id: int
    tactic_id: int | None
    title: str
    instructions: str
    acceptance_criteria: str
    due: datetime.date | None
    delegator_id: int | None
    owner_id: int
    status: str
    weight: float
    progress: float
    created_at: datetime.datetime
    acknowledged_at: datetime.datetime | None
    completed_at: datetime.datetime | None


class AssignmentIn(Schema):
    initiative_id: int = Field(ge=1, lt=2**63)
    owner_id: int = Field(ge=1, lt=2**63)
    title: str = Field(min_length=1, max_length=200)
    instructions: str = Field("", max_length=20_000)
    acceptance_criteria: str = Field("", max_length=20_000)
    due: datetime.date | None = None
    tactic_id: int | None = Field(None, ge=1, lt=2**63)
    weight: float = Field(1.0, ge=0, le=1_000_000)


class AssignmentFilter(Schema):
    initiative_id: int | None = Field(None, ge=1, lt=2**63)
    owner_id: int | None = Field(None, ge=1, lt=2**63)
    status: AssignmentStatus | None = None
    due_before: datetime.date | None = None


class CheckInOut(Schema):
    id: int
    assignment_id: int
    progress: float
    confidence: int
    comment: str
    author_id: int | None
    created_at: datetime.datetime


class CheckInIn(Schema):
    progress: float = Field(ge=0, le=100, allow_inf_nan=False)
    confidence: int = Field(ge=0, le=10)
    comment: str = Field("", max_length=20_000)
    done: bool = False


class BlockerOut(Schema):
    id: int
    initiative_id: int
    assignment_id: int | None
    description: str
    raised_by_id: int | None
    raised_at: datetime.datetime
    escalated_to_id: int | None
    escalated_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    resolution: str
    resolution_note: str


class BlockerIn(Schema):
    description: str = Field(min_length=1, max_length=20_000)
    escalate_to_id: int | None = Field(None, ge=1, lt=2**63)


class EscalateIn(Schema):
    to_id: int = Field(ge=1, lt=2**63)


class ResolveIn(Schema):
    resolution: Resolution
    note: str = Field("", max_length=20_000)


class KudosOut(Schema):
    id: int
    giver_id: int
    receiver_id: int
    message: str
    assignment_id: int | None
    created_at: datetime.datetime


class KudosIn(Schema):
    receiver_id: int = Field(ge=1, lt=2**63)
    message: str = Field(min_length=1, max_length=20_000)
    assignment_id: int | None = Field(None, ge=1, lt=2**63)


OpportunityPage = page_schema(OpportunityOut, "OpportunityPage")
InitiativePage = page_schema(InitiativeOut, "InitiativePage")
KpiPage = page_schema(KpiOut, "KpiPage")
KpiValuePage = page_schema(KpiValueOut, "KpiValuePage")
TacticPage = page_schema(TacticOut, "TacticPage")
AssignmentPage = page_schema(AssignmentOut, "AssignmentPage")
CheckInPage = page_schema(CheckInOut, "CheckInPage")
BlockerPage = page_schema(BlockerOut, "BlockerPage")
KudosPage = page_schema(KudosOut, "KudosPage")


def _person(ctx: ApiContext, person_id: int | None, field: str) -> Person | None:
    if person_id is None:
        return None
    from django.core.exceptions import ValidationError

    found = Person.objects.filter(organization=ctx.organization, pk=person_id).first()
    if found is None:
        raise ValidationError({field: "No such person in this organization."})
    return found


def _assignment(ctx: ApiContext, assignment_id: int) -> Assignment:
    rows = Assignment.objects.filter(organization=ctx.organization).select_related("organization")
    return one(rows, pk=assignment_id)  # type: ignore[no-any-return]


def _kpis(ctx: ApiContext) -> Any:
    return KPI.objects.filter(initiative__organization=ctx.organization)


# --- reads --------------------------------------------------------------------------------------


@router.get("/orgs/{org_slug}/opportunities", response=OpportunityPage, summary="Opportunities")
def opportunities(
    request: HttpRequest, org_slug: str, cursor: str | None = None, limit: int = Limit
) -> dict[str, Any]:
    ctx = org_context(request, org_slug)
    rows = Opportunity.objects.filter(organization=ctx.organization)
    return paginate(rows, cursor=cursor, limit=limit)


@router.get("/orgs/{org_slug}/initiatives", response=InitiativePage, summary="Initiatives")
def initiatives(
    request: HttpRequest, org_slug: str, cursor: str | None = None, limit: int = Limit
) -> dict[str, Any]:
    ctx = org_context(request, org_slug)
    rows = Initiative.objects.filter(organization=ctx.organization).prefetch_related(
        "opportunities", "parents", "units"
    )
    return paginate(rows, cursor=cursor, limit=limit)


@router.get(
    "/orgs/{org_slug}/initiatives/{initiative_id}", response=InitiativeOut, summary="An initiative"
)
def initiative(request: HttpRequest, org_slug: str, initiative_id: int) -> Initiative:
    ctx = org_context(request, org_slug)
    return one(Initiative.objects.filter(organization=ctx.organization), pk=initiative_id)  # type: ignore[no-any-return]


@router.get("/orgs/{org_slug}/kpis", response=KpiPage, summary="KPIs")
def kpis(
    request: HttpRequest,
    org_slug: str,
    initiative_id: int | None = Query(None, ge=1, lt=2**63),
    cursor: str | None = None,
    limit: int = Limit,
) -> dict[str, Any]:
    ctx = org_context(request, org_slug)
    rows = _kpis(ctx)
    if initiative_id is not None:
        rows = rows.filter(initiative_id=initiative_id)
    return paginate(rows, cursor=cursor, limit=limit)


@router.get("/orgs/{org_slug}/kpis/{kpi_id}/values", response=KpiValuePage, summary="KPI values")
def kpi_values(
    request: HttpRequest, org_slug: str, kpi_id: int, cursor: str | None = None, limit: int = Limit
) -> dict[str, Any]:
    ctx = org_context(request, org_slug)
    kpi = one(_kpis(ctx), pk=kpi_id)
    return paginate(KPIValue.objects.filter(kpi=kpi), cursor=cursor, limit=limit)


@router.get("/orgs/{org_slug}/tactics", response=TacticPage, summary="Tactics")
def tactics(
    request: HttpRequest,
    org_slug: str,
    initiative_id: int | None = Query(None, ge=1, lt=2**63),
    cursor: str | None = None,
    limit: int = Limit,
) -> dict[str, Any]:
    ctx = org_context(request, org_slug)
    rows = Tactic.objects.filter(initiative__organization=ctx.organization)
    if initiative_id is not None:
        rows = rows.filter(initiative_id=initiative_id)
    return paginate(rows, cursor=cursor, limit=limit)


@router.get("/orgs/{org_slug}/assignments", response=AssignmentPage, summary="Assignments")
def assignments(
    request: HttpRequest,
    org_slug: str,
    filters: Query[AssignmentFilter],
    cursor: str | None = None,
    limit: int = Limit,
) -> dict[str, Any]:
    ctx = org_context(request, org_slug)
    rows = Assignment.objects.filter(organization=ctx.organization)
    if filters.initiative_id is not None:
        rows = rows.filter(initiative_id=filters.initiative_id)
    if filters.owner_id is not None:
        rows = rows.filter(owner_id=filters.owner_id)
    if filters.status is not None:
        rows = rows.filter(status=filters.status)
    if filters.due_before is not None:
        rows = rows.filter(due__lt=filters.due_before)
    return paginate(rows, cursor=cursor, limit=limit)


@router.get(
    "/orgs/{org_slug}/assignments/{assignment_id}", response=AssignmentOut, summary="An assignment"
)
def assignment(request: HttpRequest, org_slug: str, assignment_id: int) -> Assignment:
    return _assignment(org_context(request, org_slug), assignment_id)


@router.get(
    "/orgs/{org_slug}/assignments/{assignment_id}/checkins",
    response=CheckInPage,
    summary="An assignment's check-ins",
)
def checkins(
    request: HttpRequest,
    org_slug: str,
    assignment_id: int,
    cursor: str | None = None,
    limit: int = Limit,
) -> dict[str, Any]:
    found = _assignment(org_context(request, org_slug), assignment_id)
    return paginate(CheckIn.objects.filter(assignment=found), cursor=cursor, limit=limit)


@router.get("/orgs/{org_slug}/blockers", response=BlockerPage, summary="Blockers")
def blockers(
    request: HttpRequest,
    org_slug: str,
    open: bool | None = None,
    cursor: str | None = None,
    limit: int = Limit,
) -> dict[str, Any]:
    ctx = org_context(request, org_slug)
    rows = Blocker.objects.filter(organization=ctx.organization)
    if open is not None:
        rows = rows.filter(resolved_at__isnull=open)
    return paginate(rows, cursor=cursor, limit=limit)


@router.get("/orgs/{org_slug}/kudos", response=KudosPage, summary="Recognition (kudos)")
def kudos(
    request: HttpRequest, org_slug: str, cursor: str | None = None, limit: int = Limit
) -> dict[str, Any]:
    ctx = org_context(request, org_slug)
    rows = Recognition.objects.filter(organization=ctx.organization)
    return paginate(rows, cursor=cursor, limit=limit)


# --- writes, each through plans.services ---------------------------------------------------------


@router.post(
    "/orgs/{org_slug}/kpis/{kpi_id}/values",
    response={201: KpiValueOut},
    summary="Record a KPI value (one per day; a second one replaces it)",
)
def kpi_value_record(
    request: HttpRequest, org_slug: str, kpi_id: int, payload: KpiValueIn
) -> tuple[int, KPIValue]:
    ctx = org_context(request, org_slug, Role.MANAGER)
    kpi = one(_kpis(ctx), pk=kpi_id)
    return 201, services.kpi_value_record(kpi=kpi, day=payload.day, value=payload.value)


@router.post(
    "/orgs/{org_slug}/assignments",
    response={201: AssignmentOut},
    summary="Delegate an assignment (you are the delegator)",
)
def assignment_create(
    request: HttpRequest, org_slug: str, payload: AssignmentIn
) -> tuple[int, Assignment]:
    from django.core.exceptions import ValidationError

    ctx = org_context(request, org_slug, Role.MANAGER)
    initiative = Initiative.objects.filter(
        organization=ctx.organization, pk=payload.initiative_id
    ).first()
    if initiative is None:
        raise ValidationError({"initiative_id": "No such initiative in this organization."})
    tactic = None
    if payload.tactic_id is not None:
        tactic = Tactic.objects.filter(initiative=initiative, pk=payload.tactic_id).first()
        if tactic is None:
            raise ValidationError({"tactic_id": "No such tactic in this initiative."})
    owner = _person(ctx, payload.owner_id, "owner_id")
    assert owner is not None
    created = services.assignment_create(
        organization=ctx.organization,
        initiative=initiative,
        owner=owner,
        delegator=ctx.membership.person,
        title=payload.title,
        instructions=payload.instructions,
        acceptance_criteria=payload.acceptance_criteria,
        due=payload.due,
        tactic=tactic,
        weight=payload.weight,
    )
    return 201, created


@router.post(
    "/orgs/{org_slug}/assignments/{assignment_id}/acknowledge",
    response=AssignmentOut,
    summary="Acknowledge an assignment you own",
)
def assignment_acknowledge(request: HttpRequest, org_slug: str, assignment_id: int) -> Assignment:
    ctx = org_context(request, org_slug)
    found = _assignment(ctx, assignment_id)
    return services.assignment_acknowledge(assignment=found, person=ctx.membership.person)


@router.post(
    "/orgs/{org_slug}/assignments/{assignment_id}/checkins",
    response={201: CheckInOut},
    summary="Check in on an assignment (owner or delegator)",
)
def checkin_create(
    request: HttpRequest, org_slug: str, assignment_id: int, payload: CheckInIn
) -> tuple[int, CheckIn]:
    ctx = org_context(request, org_slug)
    found = _assignment(ctx, assignment_id)
    created = services.checkin_create(
        assignment=found,
        author=ctx.membership.person,
        progress=payload.progress,
        confidence=payload.confidence,
        comment=payload.comment,
        done=payload.done,
    )
    return 201, created


@router.post(
    "/orgs/{org_slug}/assignments/{assignment_id}/blockers",
    response={201: BlockerOut},
    summary="Raise a blocker on an assignment",
)
def blocker_raise(
    request: HttpRequest, org_slug: str, assignment_id: int, payload: BlockerIn
) -> tuple[int, Blocker]:
    ctx = org_context(request, org_slug)
    found = _assignment(ctx, assignment_id)
    created = services.blocker_raise(
        assignment=found,
        raised_by=ctx.membership.person,
        description=payload.description,
        escalate_to=_person(ctx, payload.escalate_to_id, "escalate_to_id"),
    )
    return 201, created


def _blocker(ctx: ApiContext, blocker_id: int) -> Blocker:
    rows = Blocker.objects.filter(organization=ctx.organization).select_related(
        "organization", "assignment", "initiative", "raised_by"
    )
    return one(rows, pk=blocker_id)  # type: ignore[no-any-return]


@router.post(
    "/orgs/{org_slug}/blockers/{blocker_id}/escalate",
    response=BlockerOut,
    summary="Escalate a blocker to someone",
)
def blocker_escalate(
    request: HttpRequest, org_slug: str, blocker_id: int, payload: EscalateIn
) -> Blocker:
    ctx = org_context(request, org_slug)
    found = _blocker(ctx, blocker_id)
    to = _person(ctx, payload.to_id, "to_id")
    assert to is not None
    return services.blocker_escalate(blocker=found, to=to)


@router.post(
    "/orgs/{org_slug}/blockers/{blocker_id}/resolve",
    response=BlockerOut,
    summary="Resolve a blocker",
)
def blocker_resolve(
    request: HttpRequest, org_slug: str, blocker_id: int, payload: ResolveIn
) -> Blocker:
    ctx = org_context(request, org_slug)
    found = _blocker(ctx, blocker_id)
    return services.blocker_resolve(
        blocker=found,
        person=ctx.membership.person,
        resolution=payload.resolution,
        note=payload.note,
    )


@router.post("/orgs/{org_slug}/kudos", response={201: KudosOut}, summary="Recognise a colleague")
def kudos_create(request: HttpRequest, org_slug: str, payload: KudosIn) -> tuple[int, Recognition]:
    from django.core.exceptions import ValidationError

    ctx = org_context(request, org_slug)
    receiver = _person(ctx, payload.receiver_id, "receiver_id")
    assert receiver is not None
    linked = None
    if payload.assignment_id is not None:
        linked = Assignment.objects.filter(
            organization=ctx.organization, pk=payload.assignment_id
        ).first()
        if linked is None:
            raise ValidationError({"assignment_id": "No such assignment in this organization."})
    created = services.recognition_create(
        organization=ctx.organization,
        giver=ctx.membership.person,
        receiver=receiver,
        message=payload.message,
        assignment=linked,
    )
    return 201, created
