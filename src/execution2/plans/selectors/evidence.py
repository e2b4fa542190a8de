"""The delegation evidence of design.md 4.1 per manager and per unit, as plain dataclasses
(`execution2.analytics.plan.DelegationEvidence`), for the pages and the Execution Index."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, DateField, F, Func, Q
from django.utils import timezone

from execution2.analytics.plan import (
    DelegationEvidence,
    delegation_evidence,
)
from execution2.orgs.models import Organization, Person, Unit
from execution2.plans.choices import AssignmentStatus
from execution2.plans.models import (
    Assignment,
    Blocker,
    Recognition,
)

EVIDENCE_WINDOW_DAYS = 90
FEW = 500
DAYS_PER_MONTH = 365.25 / 12


def _days(moment: datetime.datetime | None) -> float:
    return moment.timestamp() / 86400.0 if moment is not None else math.nan


def _evidence(
    organization: Organization,
    *,
    group_of_delegator: dict[int, list[int]],
    group_ids: list[int],
    team_size: dict[int, int],
    group_of_giver: dict[int, list[int]],
    as_of: datetime.date,
    window_days: int,
) -> dict[int, DelegationEvidence]:
    position = {g: n for n, g in enumerate(group_ids)}
    assignments = Assignment.objects.filter(organization=organization, delegator_id__isnull=False)
    blocker_rows = Blocker.objects.filter(
        organization=organization, assignment__delegator_id__isnull=False
    )
    recognitions = Recognition.objects.filter(organization=organization)
    if len(group_of_delegator) <= FEW:
        # A few managers: let the database pick their rows.
        assignments = assignments.filter(delegator_id__in=list(group_of_delegator))
        blocker_rows = blocker_rows.filter(assignment__delegator_id__in=list(group_of_delegator))
    if len(group_of_giver) <= FEW:
        recognitions = recognitions.filter(giver_id__in=list(group_of_giver))
    rows = list(
        assignments.values_list(
            "pk",
            "delegator_id",
            "owner_id",
            "instructions",
            "due",
            "status",
            "created_at",
            "acknowledged_at",
            "completed_at",
        ).order_by()
    )
    expanded: list[tuple[int, int]] = []  # (row index, group position)
    for index, row in enumerate(rows):
        for group in group_of_delegator.get(row[1], ()):
            expanded.append((index, position[group]))
    take = np.array([e[0] for e in expanded], dtype=np.int64)
    group = np.array([e[1] for e in expanded], dtype=np.int64)
    nan = math.nan

    def column(values: list[float]) -> np.ndarray:  # type: ignore[type-arg]
        array = np.array(values, dtype=np.float64)
        return array[take] if len(take) else np.zeros(0)

    owner = np.array([r[2] for r in rows], dtype=np.int64)[take] if rows else np.zeros(0, np.int64)
    has_instructions = np.array([bool(r[3].strip()) for r in rows], dtype=bool)
    has_due = np.array([r[4] is not None for r in rows], dtype=bool)
    dropped = np.array([r[5] == AssignmentStatus.DROPPED for r in rows], dtype=bool)
    blockers = list(
        blocker_rows.values_list("assignment__delegator_id", "raised_at", "resolved_at").order_by()
    )
    b_expanded = [
        (position[g], _days(raised), _days(resolved))
        for delegator, raised, resolved in blockers
        for g in group_of_delegator.get(delegator, ())
    ]
    since = timezone.make_aware(
        datetime.datetime.combine(as_of - datetime.timedelta(days=window_days), datetime.time())
    )
    givers = recognitions.filter(created_at__gte=since).values_list("giver_id", flat=True)
    r_groups = [position[g] for giver in givers for g in group_of_giver.get(giver, ())]
    evidence = delegation_evidence(
        len(group_ids),
        group=group,
        owner=owner,
        has_instructions=has_instructions[take] if len(take) else np.zeros(0, bool),
        has_due=has_due[take] if len(take) else np.zeros(0, bool),
        dropped=dropped[take] if len(take) else np.zeros(0, bool),
        created=column([_days(r[6]) for r in rows]),
        acknowledged=column([_days(r[7]) for r in rows]),
        due_day=column([float(r[4].toordinal()) if r[4] else nan for r in rows]),
        completed_day=column(
            [float(timezone.localdate(r[8]).toordinal()) if r[8] else nan for r in rows]
        ),
        as_of_day=float(as_of.toordinal()),
        team_size=np.array([team_size.get(g, 0) for g in group_ids], dtype=np.int64),
        blocker_group=np.array([b[0] for b in b_expanded], dtype=np.int64),
        blocker_raised=np.array([b[1] for b in b_expanded], dtype=np.float64),
        blocker_resolved=np.array([b[2] for b in b_expanded], dtype=np.float64),
        recognition_group=np.array(r_groups, dtype=np.int64),
        months=window_days / DAYS_PER_MONTH,
    )
    return dict(zip(group_ids, evidence, strict=True))


def delegation_evidence_by_manager(
    *,
    organization: Organization,
    as_of: datetime.date | None = None,
    window_days: int = EVIDENCE_WINDOW_DAYS,
    manager_ids: list[int] | None = None,
) -> dict[int, DelegationEvidence]:
    """Per person who delegated at least one assignment or manages people (or those given).

    Team = the person's active direct reports. Recognition counts what the manager gave in the
    last `window_days` days.
    """
    as_of = as_of or timezone.localdate()
    reports = dict(
        Person.objects.filter(organization=organization, active=True, manager__isnull=False)
        .values("manager_id")
        .annotate(n=Count("pk"))
        .values_list("manager_id", "n")
        .order_by()
    )
    if manager_ids is None:
        delegators = set(
            Assignment.objects.filter(organization=organization, delegator_id__isnull=False)
            .values_list("delegator_id", flat=True)
            .distinct()
            .order_by()
        )
        manager_ids = sorted(delegators | set(reports))
    return _evidence(
        organization,
        group_of_delegator={m: [m] for m in manager_ids},
        group_ids=list(manager_ids),
        team_size=reports,
        group_of_giver={m: [m] for m in manager_ids},
        as_of=as_of,
        window_days=window_days,
    )


def delegation_evidence_by_unit(
    *,
    organization: Organization,
    as_of: datetime.date | None = None,
    window_days: int = EVIDENCE_WINDOW_DAYS,
) -> dict[int, DelegationEvidence]:
    """Per unit, counting the delegators and givers in the unit and every unit below it.

    Team = the unit's active headcount (subtree); recognition per person per month is what the
    unit's people gave over that headcount.
    """
    as_of = as_of or timezone.localdate()
    ancestors = _unit_ancestors(organization)
    people = list(
        Person.objects.filter(organization=organization).values_list("pk", "unit_id", "active")
    )
    headcount: dict[int, int] = {}
    for _pk, unit_id, active in people:
        if active:
            for a in ancestors.get(unit_id, []):
                headcount[a] = headcount.get(a, 0) + 1
    group_of_person = {pk: ancestors.get(unit_id, []) for pk, unit_id, _active in people}
    return _evidence(
        organization,
        group_of_delegator=group_of_person,
        group_ids=list(ancestors),
        team_size=headcount,
        group_of_giver=group_of_person,
        as_of=as_of,
        window_days=window_days,
    )


def _unit_ancestors(organization: Organization) -> dict[int, list[int]]:
    """Each unit's id with its ancestors' (itself included), by path."""
    units = list(Unit.objects.filter(organization=organization).values_list("pk", "path"))
    by_path = {path.casefold(): pk for pk, path in units}
    ancestors: dict[int, list[int]] = {}
    for pk, path in units:
        segments = path.split(" / ")
        ancestors[pk] = [
            by_path[" / ".join(segments[:d]).casefold()]
            for d in range(1, len(segments) + 1)
            if " / ".join(segments[:d]).casefold() in by_path
        ]
    return ancestors


class UTCDate(Func):
    """The UTC calendar day of a timestamp, in the database's own date function (Django's
    `__date` runs a Python function per row on SQLite: seconds on 100,000s of rows). The
    organization's days are UTC days (settings.TIME_ZONE)."""

    output_field = DateField()
    template = "CAST(%(expressions)s AS DATE)"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="date(%(expressions)s)", **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="(%(expressions)s AT TIME ZONE 'UTC')::date", **extra
        )


@dataclass(frozen=True, slots=True)
class OnTime:
    on_time: int
    """Delegated assignments done by their due day."""
    base: int
    """Those done with a due day, plus the live ones overdue."""

    @property
    def share(self) -> float | None:
        return self.on_time / self.base if self.base else None


def on_time_by_unit(
    *, organization: Organization, as_of: datetime.date
) -> tuple[dict[int, OnTime], OnTime]:
    """On-time completion of delegated work as it stood on `as_of` (the definition of
    `analytics.plan.delegation`, counted in SQL): per unit of the delegator (with everything
    below it) and for the whole organization. Only this figure, for the Execution Index, which
    needs it for every unit and at past days; the full evidence reads every assignment."""
    day_after = timezone.make_aware(
        datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time())
    )
    done = Q(completed_at__isnull=False, completed_at__lt=day_after)
    rows = (
        Assignment.objects.filter(
            organization=organization, delegator__isnull=False, created_at__lt=day_after
        )
        .annotate(completed_day=UTCDate("completed_at"))
        .values("delegator__unit_id")
        .annotate(
            on_time=Count("pk", filter=done & Q(due__isnull=False, completed_day__lte=F("due"))),
            base=Count(
                "pk",
                filter=(done & Q(due__isnull=False))
                | (~done & ~Q(status=AssignmentStatus.DROPPED) & Q(due__lt=as_of)),
            ),
        )
        .order_by()
    )
    ancestors = _unit_ancestors(organization)
    totals: dict[int, list[int]] = {}
    everyone = [0, 0]
    for row in rows:
        everyone[0] += row["on_time"]
        everyone[1] += row["base"]
        for unit_id in ancestors.get(row["delegator__unit_id"], []):
            entry = totals.setdefault(unit_id, [0, 0])
            entry[0] += row["on_time"]
            entry[1] += row["base"]
    return (
        {unit_id: OnTime(*counts) for unit_id, counts in totals.items()},
        OnTime(*everyone),
    )
