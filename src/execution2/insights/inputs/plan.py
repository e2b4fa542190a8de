"""The plan part of each scope: the plan as of the day, on-time completion, breadth."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

import numpy as np

from execution2.analytics.index import (
    InitiativeFacts,
    PlanPart,
)
from execution2.insights.inputs.scopes import Scope
from execution2.orgs.models import Organization
from execution2.plans.choices import InitiativeStatus
from execution2.plans.selectors import (
    OnTime,
    PlanStatus,
    initiative_participants,
    on_time_by_unit,
    plan_status,
)

LIVE_STATUSES = (InitiativeStatus.ACTIVE, InitiativeStatus.ON_HOLD, InitiativeStatus.DONE)


def plan_parts(
    organization: Organization, as_of: datetime.date, scopes: list[Scope]
) -> tuple[list[PlanPart | None], PlanStatus | None]:
    status = plan_status(organization=organization, as_of=as_of)
    if not status.initiatives:
        return [None] * len(scopes), None
    live = _live_initiatives(status, as_of)
    membership = _scope_membership(organization, status, scopes, live)
    facts = _initiative_facts(status, scopes, live)
    on_time, overall = on_time_by_unit(organization=organization, as_of=as_of)
    parts = [
        _scope_part(
            scope,
            ids=sorted(membership.per_scope.get(scope.row, [])),
            status=status,
            live=live,
            facts=facts,
            proof=overall if scope.unit_id is None else on_time.get(scope.unit_id),
            involved=membership.involved[scope.row],
            as_of=as_of,
        )
        for scope in scopes
    ]
    return parts, status


def _live_initiatives(status: PlanStatus, as_of: datetime.date) -> set[int]:
    """Work under way by the day: a live status, and started by then (a plan read as of a past
    day still lists the initiatives that came later)."""
    return {
        i
        for i, row in status.initiatives.items()
        if row.status in LIVE_STATUSES and (row.start is None or row.start <= as_of)
    }


@dataclass
class _Membership:
    per_scope: dict[int, list[int]]  # scope row -> initiative ids
    involved: np.ndarray  # per scope row: people working on at least one live initiative


def _scope_ancestors(scopes: list[Scope]) -> dict[int, list[int]]:
    """Each scope's row with the rows of the scopes above it (row 0 is the organization)."""
    ancestors: dict[int, list[int]] = {0: [0]}
    for scope in scopes[1:]:
        ancestors[scope.row] = [scope.row, *ancestors[scope.parent_row]]
    return ancestors


def _scope_membership(
    organization: Organization, status: PlanStatus, scopes: list[Scope], live: set[int]
) -> _Membership:
    """Which scopes each initiative belongs to: its units' and its participants' (with their
    ancestors); and who works on at least one initiative, per scope."""
    row_of = {s.unit_id: s.row for s in scopes if s.unit_id is not None}
    ancestors = _scope_ancestors(scopes)
    in_scope: dict[int, set[int]] = {i: {0} for i in status.initiatives}
    involved = np.zeros(len(scopes))
    seen_people: set[int] = set()
    for initiative_id, person_id, unit_id in initiative_participants(organization=organization):
        rows = ancestors.get(row_of.get(unit_id, 0), [0])
        if initiative_id in in_scope:
            in_scope[initiative_id].update(rows)
        if initiative_id in live and person_id not in seen_people:
            seen_people.add(person_id)
            for row in rows:
                involved[row] += 1
    for initiative in status.initiatives.values():
        for unit_id in initiative.unit_ids:
            in_scope[initiative.id].update(ancestors.get(row_of.get(unit_id, 0), [0]))
    per_scope: dict[int, list[int]] = {}
    for initiative_id, rows in in_scope.items():
        for row in rows:
            per_scope.setdefault(row, []).append(initiative_id)
    return _Membership(per_scope=per_scope, involved=involved)


def _initiative_facts(
    status: PlanStatus, scopes: list[Scope], live: set[int]
) -> dict[int, InitiativeFacts]:
    path_of_unit = {s.unit_id: s.path for s in scopes if s.unit_id is not None}
    facts: dict[int, InitiativeFacts] = {}
    for initiative in status.initiatives.values():
        if initiative.id not in live:
            continue
        breadth = initiative.breadth
        finance = initiative.finance
        facts[initiative.id] = InitiativeFacts(
            key=initiative.key,
            title=initiative.title,
            participants=breadth.participants if breadth is not None else 0,
            breadth=breadth.breadth if breadth is not None and breadth.participants else None,
            top_share=breadth.top_share if breadth is not None and breadth.participants else None,
            top_unit=(
                path_of_unit.get(breadth.top_unit, "")
                if breadth is not None and breadth.top_unit is not None
                else ""
            ),
            planned_to_date=finance.planned_to_date if finance.planned_cost else None,
            actual_to_date=finance.actual_to_date if finance.planned_cost else None,
        )
    return facts


def _scope_part(
    scope: Scope,
    *,
    ids: list[int],
    status: PlanStatus,
    live: set[int],
    facts: dict[int, InitiativeFacts],
    proof: OnTime | None,
    involved: float,
    as_of: datetime.date,
) -> PlanPart | None:
    """One scope's plan part, or None when the scope has nothing of the plan to show."""
    schedules = [
        min(1.0, max(0.0, status.initiatives[i].schedule or 0.0))
        for i in ids
        if status.initiatives[i].status == InitiativeStatus.ACTIVE
        and i in live
        and status.initiatives[i].schedule is not None
        and math.isfinite(status.initiatives[i].schedule or 0.0)
    ]
    scope_facts = tuple(facts[i] for i in ids if i in facts)
    share = proof.share if proof is not None else None
    if not scope_facts and not schedules and share is None:
        return None
    return PlanPart(
        as_of=f"{as_of:%Y-%m-%d}",
        on_time_share=share,
        on_time_base=proof.base if proof is not None else 0,
        progress_spi=sum(schedules) / len(schedules) if schedules else None,
        initiatives=scope_facts,
        involved_share=(involved / scope.people if scope.people else None),
        people=scope.people,
    )
