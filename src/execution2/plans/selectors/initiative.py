"""What an initiative's pages read: its KPIs with their values, recent check-ins and blockers,
money by kind and month, its assignments filtered, and whom one may delegate to."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from execution2.orgs.models import Organization, Person, Unit
from execution2.orgs.selectors import unit_subtree_filter
from execution2.plans.choices import AssignmentStatus
from execution2.plans.models import (
    KPI,
    Assignment,
    Blocker,
    CheckIn,
    Initiative,
    KPIValue,
    ResourceLine,
    Return,
    Tactic,
)
from execution2.plans.selectors.status import InitiativeRow, top_units

RECENT = 20
DELEGATION_CHOICES = 400


@dataclass
class KindTotals:
    label: str
    planned: float = 0.0
    actual: float = 0.0
    cost_planned: float = 0.0
    cost_actual: float = 0.0


@dataclass
class MonthTotals:
    planned: float = 0.0
    actual: float = 0.0
    returns: float = 0.0


@dataclass
class InitiativeMoney:
    by_kind: list[KindTotals]
    returns: list[Return]
    # (month "YYYY-MM", series label, amount) for the spend chart.
    chart_rows: list[dict[str, object]] = field(default_factory=list)


@dataclass
class InitiativePage:
    kpis: list[KPI]
    kpi_values: dict[int, list[tuple[datetime.date, float]]]
    checkins: list[CheckIn]
    blockers: list[Blocker]
    money: InitiativeMoney
    breadth_unit: str


def initiative_kpis(*, initiative: Initiative) -> QuerySet[KPI]:
    return KPI.objects.filter(initiative=initiative)


def initiative_tactics(*, initiative: Initiative) -> QuerySet[Tactic]:
    return Tactic.objects.filter(initiative=initiative)


def _kpi_values(initiative: Initiative) -> dict[int, list[tuple[datetime.date, float]]]:
    values: dict[int, list[tuple[datetime.date, float]]] = {}
    for kpi_id, day, value in (
        KPIValue.objects.filter(kpi__initiative=initiative)
        .order_by("day")
        .values_list("kpi_id", "day", "value")
    ):
        values.setdefault(kpi_id, []).append((day, value))
    return values


def _money(initiative: Initiative, today: datetime.date) -> InitiativeMoney:
    resources = list(ResourceLine.objects.filter(initiative=initiative))
    returns = list(Return.objects.filter(initiative=initiative))
    by_kind: dict[str, KindTotals] = {}
    months: dict[str, MonthTotals] = {}
    for line in resources:
        kind = by_kind.setdefault(line.kind, KindTotals(label=line.get_kind_display()))
        kind.planned += line.planned
        kind.actual += line.actual
        kind.cost_planned += line.planned * line.cost_rate
        kind.cost_actual += line.actual * line.cost_rate
        month = months.setdefault(f"{line.period:%Y-%m}", MonthTotals())
        month.planned += line.planned * line.cost_rate
        month.actual += line.actual * line.cost_rate
    for ret in returns:
        months.setdefault(f"{ret.period:%Y-%m}", MonthTotals()).returns += ret.amount
    this_month = f"{today:%Y-%m}"
    chart_rows: list[dict[str, object]] = [
        {"month": month, "series": series, "amount": round(getattr(amounts, key), 2)}
        for month, amounts in sorted(months.items())
        for key, series in (
            ("planned", "Planned cost"),
            ("actual", "Actual cost"),
            ("returns", "Returns"),
        )
        # Actual cost and returns exist only up to now; the plan runs on.
        if key == "planned" or month <= this_month
    ]
    return InitiativeMoney(by_kind=list(by_kind.values()), returns=returns, chart_rows=chart_rows)


def _breadth_unit(organization: Organization, row: InitiativeRow) -> str:
    if not (row.breadth and row.breadth.top_unit):
        return ""
    top = top_units(organization=organization)
    unit_names = dict(
        Unit.objects.filter(organization=organization, depth=0).values_list("pk", "path")
    )
    return unit_names.get(top.get(row.breadth.top_unit, -1), "")


def initiative_page(
    *, organization: Organization, initiative: Initiative, row: InitiativeRow
) -> InitiativePage:
    return InitiativePage(
        kpis=list(initiative_kpis(initiative=initiative)),
        kpi_values=_kpi_values(initiative),
        checkins=list(
            CheckIn.objects.filter(assignment__initiative=initiative)
            .select_related("assignment", "author")
            .order_by("-created_at", "-pk")[:RECENT]
        ),
        blockers=list(
            Blocker.objects.filter(initiative=initiative)
            .select_related("assignment", "raised_by", "escalated_to")
            .order_by("resolved_at", "-raised_at")[:RECENT]
        ),
        money=_money(initiative, timezone.localdate()),
        breadth_unit=_breadth_unit(organization, row),
    )


def initiative_assignment_list(
    *, initiative: Initiative, tactic: Tactic | None, tactic_param: str | None, state: str
) -> tuple[QuerySet[Assignment], str]:
    """The initiative's assignments of one tactic (or of none) in one state, and the state kept
    (an unknown state shows them all)."""
    assignments = Assignment.objects.filter(initiative=initiative).select_related(
        "owner", "delegator", "tactic"
    )
    if tactic is not None:
        assignments = assignments.filter(tactic=tactic)
    elif tactic_param == "none":
        assignments = assignments.filter(tactic__isnull=True)
    if state == "late":
        assignments = assignments.filter(
            status__in=[
                AssignmentStatus.PROPOSED,
                AssignmentStatus.ACKNOWLEDGED,
                AssignmentStatus.IN_PROGRESS,
            ],
            due__lt=timezone.localdate(),
        )
    elif state in AssignmentStatus.values:
        assignments = assignments.filter(status=state)
    else:
        state = ""
    return assignments.order_by("due", "pk"), state


def delegation_candidate_ids(
    *, initiative: Initiative, person: Person | None, whole_units: bool
) -> list[int]:
    """Whom someone may delegate to: two levels of their reports; with `whole_units` (executives),
    or when they have no reports, the people of the initiative's units too."""
    ids: set[int] = set()
    if person is not None:
        first = list(
            Person.objects.filter(manager=person, active=True).values_list("pk", flat=True)
        )
        second = Person.objects.filter(manager_id__in=first, active=True).values_list(
            "pk", flat=True
        )
        ids.update(first)
        ids.update(second[:DELEGATION_CHOICES])
    if whole_units or not ids:
        unit_ids = list(initiative.units.values_list("pk", flat=True))
        if unit_ids:
            condition = Q(unit_id__in=unit_ids)
            for unit in Unit.objects.filter(pk__in=unit_ids).only("pk", "path"):
                condition |= unit_subtree_filter(unit)
            ids.update(
                Person.objects.filter(organization=initiative.organization, active=True)
                .filter(condition)
                .values_list("pk", flat=True)[:DELEGATION_CHOICES]
            )
    return sorted(ids)
