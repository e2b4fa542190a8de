"""The whole plan with progress, schedule, ROI and flags (`plan_status`), in a fixed number of
queries: assignments are aggregated in SQL, never loaded row by row."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, F, FloatField, Q, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from execution2.analytics.plan import (
    Breadth,
    Finance,
    PlanGraph,
    breadth_by_group,
    finance_summary,
    kpi_progress,
    rollup,
    schedule_performance,
)
from execution2.analytics.plan.finance import month_number
from execution2.analytics.plan.schedule import BEHIND_BELOW
from execution2.orgs.models import Organization, Person, Unit
from execution2.plans.choices import OPEN_ASSIGNMENT_STATUSES, AssignmentStatus, Direction
from execution2.plans.models import (
    KPI,
    Assignment,
    Blocker,
    Initiative,
    KPIValue,
    Opportunity,
    ResourceLine,
    Return,
    Tactic,
)


@dataclass
class Counts:
    total: int = 0
    done: int = 0
    dropped: int = 0
    late: int = 0
    unacknowledged: int = 0


@dataclass
class TacticRow:
    id: int
    title: str
    weight: float
    progress: float | None
    counts: Counts


@dataclass
class InitiativeRow:
    id: int
    key: str
    title: str
    status: str
    status_label: str
    weight: float
    owner_id: int | None
    owner_name: str
    start: datetime.date | None
    end: datetime.date | None
    progress: float | None
    kpi_progress: float | None
    schedule: float | None
    finance: Finance
    counts: Counts
    open_blockers: int = 0
    breadth: Breadth | None = None
    unit_ids: list[int] = field(default_factory=list)
    unit_paths: list[str] = field(default_factory=list)
    opportunity_ids: list[int] = field(default_factory=list)
    parent_ids: list[int] = field(default_factory=list)
    child_ids: list[int] = field(default_factory=list)
    tactics: list[TacticRow] = field(default_factory=list)

    @property
    def flags(self) -> list[str]:
        flags = []
        if self.schedule is not None and self.schedule < BEHIND_BELOW:
            flags.append("behind schedule")
        if self.finance.overspent:
            flags.append("over budget")
        if self.breadth is not None and self.breadth.marketing_trap:
            flags.append("marketing trap")
        if self.open_blockers:
            flags.append("blocked")
        return flags


@dataclass
class OpportunityRow:
    id: int
    key: str
    title: str
    segment: str
    size_estimate: float | None
    progress: float | None
    initiative_ids: list[int]


@dataclass
class PlanStatus:
    as_of: datetime.date
    opportunities: list[OpportunityRow]
    initiatives: dict[int, InitiativeRow]
    portfolio: Finance
    progress: float | None

    def roots(self) -> list[InitiativeRow]:
        """Initiatives under no opportunity and no parent initiative."""
        return [i for i in self.initiatives.values() if not i.opportunity_ids and not i.parent_ids]

    def ordered(self) -> list[InitiativeRow]:
        return list(self.initiatives.values())


def _nan_to_none(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def top_units(*, organization: Organization) -> dict[int, int]:
    """Each unit's top-level unit (its function), by id."""
    units = list(Unit.objects.filter(organization=organization).values_list("pk", "path"))
    top_by_path = {path.casefold(): pk for pk, path in units if " / " not in path}
    return {pk: top_by_path.get(path.split(" / ")[0].casefold(), pk) for pk, path in units}


@dataclass
class _Nodes:
    """The plan's rows and their node numbers in the roll-up graph: opportunities first, then
    initiatives, then tactics."""

    opportunities: list[Opportunity]
    initiatives: list[Initiative]
    tactics: list[Tactic]
    links: list[tuple[int, int]]  # (initiative, opportunity)
    parent_links: list[tuple[int, int]]  # (child, parent)
    unit_links: list[tuple[int, int, str]]  # (initiative, unit, unit path)
    o_index: dict[int, int] = field(default_factory=dict)
    i_index: dict[int, int] = field(default_factory=dict)
    t_index: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n_o, n_i = len(self.opportunities), len(self.initiatives)
        self.o_index = {o.pk: n for n, o in enumerate(self.opportunities)}
        self.i_index = {i.pk: n_o + n for n, i in enumerate(self.initiatives)}
        self.t_index = {t.pk: n_o + n_i + n for n, t in enumerate(self.tactics)}

    @property
    def n(self) -> int:
        return len(self.opportunities) + len(self.initiatives) + len(self.tactics)

    def edges(self) -> list[tuple[int, int, float]]:
        """(child node, parent node, child's weight) of every link in the plan."""
        i_weight = {i.pk: i.weight for i in self.initiatives}
        edges = [(self.i_index[i], self.o_index[o], i_weight[i]) for i, o in self.links]
        edges += [(self.i_index[c], self.i_index[p], i_weight[c]) for c, p in self.parent_links]
        edges += [
            (self.t_index[t.pk], self.i_index[t.initiative_id], t.weight) for t in self.tactics
        ]
        return edges


def _plan_nodes(organization: Organization) -> _Nodes:
    return _Nodes(
        opportunities=list(Opportunity.objects.filter(organization=organization)),
        initiatives=list(
            Initiative.objects.filter(organization=organization).select_related("owner")
        ),
        tactics=list(Tactic.objects.filter(initiative__organization=organization)),
        links=list(
            Initiative.opportunities.through.objects.filter(
                initiative__organization=organization
            ).values_list("initiative_id", "opportunity_id")
        ),
        parent_links=list(
            Initiative.parents.through.objects.filter(
                from_initiative__organization=organization
            ).values_list("from_initiative_id", "to_initiative_id")
        ),
        unit_links=list(
            Initiative.units.through.objects.filter(initiative__organization=organization)
            .values_list("initiative_id", "unit_id", "unit__path")
            .order_by("unit__path")
        ),
    )


@dataclass
class _Work:
    work_sum: np.ndarray
    work_weight: np.ndarray
    counts: dict[int, Counts]  # by node: tactics, and initiatives with all their assignments


def _assignment_work(organization: Organization, nodes: _Nodes, as_of: datetime.date) -> _Work:
    """Assignments, aggregated per (initiative, tactic) in SQL."""
    live = ~Q(status=AssignmentStatus.DROPPED)
    rows = (
        Assignment.objects.filter(organization=organization)
        .values("initiative_id", "tactic_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=AssignmentStatus.DONE)),
            dropped=Count("pk", filter=Q(status=AssignmentStatus.DROPPED)),
            late=Count("pk", filter=Q(status__in=OPEN_ASSIGNMENT_STATUSES, due__lt=as_of)),
            unacknowledged=Count("pk", filter=Q(status=AssignmentStatus.PROPOSED)),
            work_sum=Sum(
                F("weight") * F("progress") / 100.0, filter=live, output_field=FloatField()
            ),
            work_weight=Sum(Cast("weight", FloatField()), filter=live),
        )
        .order_by()
    )
    work = _Work(np.zeros(nodes.n), np.zeros(nodes.n), {})
    for row in rows:
        initiative_node = nodes.i_index[row["initiative_id"]]
        node = nodes.t_index[row["tactic_id"]] if row["tactic_id"] else initiative_node
        work.work_sum[node] += row["work_sum"] or 0.0
        work.work_weight[node] += row["work_weight"] or 0.0
        for target in {node, initiative_node}:
            c = work.counts.setdefault(target, Counts())
            c.total += row["total"]
            c.done += row["done"]
            c.dropped += row["dropped"]
            c.late += row["late"]
            c.unacknowledged += row["unacknowledged"]
    return work


@dataclass
class _KpiProgress:
    kpi_sum: np.ndarray
    kpi_count: np.ndarray
    by_initiative: dict[int, list[float]]


def _kpi_progress(organization: Organization, nodes: _Nodes) -> _KpiProgress:
    """KPIs: progress from the latest value of each."""
    # Archived KPIs are kept with their values but no longer measure the initiative.
    kpis = list(KPI.objects.filter(initiative__organization=organization, archived=False))
    latest: dict[int, float] = {}
    for kpi_id, value in (
        KPIValue.objects.filter(kpi__initiative__organization=organization)
        .order_by("kpi_id", "day")
        .values_list("kpi_id", "value")
    ):
        latest[kpi_id] = value
    result = _KpiProgress(np.zeros(nodes.n), np.zeros(nodes.n), {})
    if not kpis:
        return result
    values = kpi_progress(
        np.array([k.baseline for k in kpis]),
        np.array([k.target for k in kpis]),
        np.array([latest.get(k.pk, math.nan) for k in kpis]),
        np.array([k.direction == Direction.UP for k in kpis]),
    )
    for kpi, value in zip(kpis, values, strict=True):
        node = nodes.i_index[kpi.initiative_id]
        result.kpi_count[node] += 1
        # A KPI without any value yet counts as no movement from its baseline.
        progress_value = 0.0 if math.isnan(value) else float(value)
        result.kpi_sum[node] += progress_value
        result.by_initiative.setdefault(kpi.initiative_id, []).append(progress_value)
    return result


def _schedules(nodes: _Nodes, progress: np.ndarray, as_of: datetime.date) -> np.ndarray:
    initiatives = nodes.initiatives
    i_nodes = np.array([nodes.i_index[i.pk] for i in initiatives], dtype=np.int64)
    return schedule_performance(
        progress[i_nodes] if len(i_nodes) else np.zeros(0),
        np.array([i.start.toordinal() if i.start else math.nan for i in initiatives]),
        np.array([i.end.toordinal() if i.end else math.nan for i in initiatives]),
        float(as_of.toordinal()),
    )


def _money(
    organization: Organization, nodes: _Nodes, as_of: datetime.date
) -> tuple[list[Finance], Finance]:
    pos = {i.pk: n for n, i in enumerate(nodes.initiatives)}
    lines = list(
        ResourceLine.objects.filter(initiative__organization=organization).values_list(
            "initiative_id", "period", "planned", "actual", "cost_rate"
        )
    )
    rets = list(
        Return.objects.filter(initiative__organization=organization).values_list(
            "initiative_id", "period", "amount"
        )
    )
    return finance_summary(
        len(nodes.initiatives),
        line_group=np.array([pos[r[0]] for r in lines], dtype=np.int64),
        line_month=np.array([month_number(r[1].year, r[1].month) for r in lines], dtype=np.int64),
        planned=np.array([r[2] for r in lines], dtype=np.float64),
        actual=np.array([r[3] for r in lines], dtype=np.float64),
        rate=np.array([r[4] for r in lines], dtype=np.float64),
        return_group=np.array([pos[r[0]] for r in rets], dtype=np.int64),
        return_month=np.array([month_number(r[1].year, r[1].month) for r in rets], dtype=np.int64),
        return_amount=np.array([r[2] for r in rets], dtype=np.float64),
        as_of_month=month_number(as_of.year, as_of.month),
    )


def _open_blockers(organization: Organization) -> dict[int, int]:
    return dict(
        Blocker.objects.filter(organization=organization, resolved_at__isnull=True)
        .values("initiative_id")
        .annotate(n=Count("pk"))
        .values_list("initiative_id", "n")
        .order_by()
    )


def _initiative_rows(
    nodes: _Nodes,
    *,
    progress: np.ndarray,
    spi: np.ndarray,
    finances: list[Finance],
    work: _Work,
    kpis: _KpiProgress,
    blockers: dict[int, int],
    breadths: list[Breadth | None],
) -> dict[int, InitiativeRow]:
    result: dict[int, InitiativeRow] = {}
    for n_i, initiative in enumerate(nodes.initiatives):
        node = nodes.i_index[initiative.pk]
        kpi_values = kpis.by_initiative.get(initiative.pk)
        result[initiative.pk] = InitiativeRow(
            id=initiative.pk,
            key=initiative.key,
            title=initiative.title,
            status=initiative.status,
            status_label=initiative.get_status_display(),
            weight=initiative.weight,
            owner_id=initiative.owner_id,
            owner_name=initiative.owner.name if initiative.owner else "",
            start=initiative.start,
            end=initiative.end,
            progress=_nan_to_none(progress[node]),
            kpi_progress=sum(kpi_values) / len(kpi_values) if kpi_values else None,
            schedule=_nan_to_none(spi[n_i]),
            finance=finances[n_i],
            counts=work.counts.get(node, Counts()),
            open_blockers=blockers.get(initiative.pk, 0),
            breadth=breadths[n_i],
        )
    for initiative_id, unit_id, path in nodes.unit_links:
        result[initiative_id].unit_ids.append(unit_id)
        result[initiative_id].unit_paths.append(path)
    for initiative_id, opportunity_id in nodes.links:
        result[initiative_id].opportunity_ids.append(opportunity_id)
    for child, parent in nodes.parent_links:
        result[child].parent_ids.append(parent)
        result[parent].child_ids.append(child)
    for tactic in nodes.tactics:
        node = nodes.t_index[tactic.pk]
        result[tactic.initiative_id].tactics.append(
            TacticRow(
                tactic.pk,
                tactic.title,
                tactic.weight,
                _nan_to_none(progress[node]),
                work.counts.get(node, Counts()),
            )
        )
    return result


def _opportunity_rows(nodes: _Nodes, progress: np.ndarray) -> list[OpportunityRow]:
    return [
        OpportunityRow(
            id=o.pk,
            key=o.key,
            title=o.title,
            segment=o.segment,
            size_estimate=o.size_estimate,
            progress=_nan_to_none(progress[nodes.o_index[o.pk]]),
            initiative_ids=[i for i, opp in nodes.links if opp == o.pk],
        )
        for o in nodes.opportunities
    ]


def _overall(
    opportunities: list[OpportunityRow], initiatives: dict[int, InitiativeRow]
) -> float | None:
    """The whole plan: opportunities count equally; initiatives under none count too."""
    tops = [o.progress for o in opportunities if o.progress is not None]
    tops += [
        r.progress
        for r in initiatives.values()
        if not r.opportunity_ids and not r.parent_ids and r.progress is not None
    ]
    return sum(tops) / len(tops) if tops else None


def plan_status(
    *,
    organization: Organization,
    as_of: datetime.date | None = None,
    with_breadth: bool = True,
) -> PlanStatus:
    as_of = as_of or timezone.localdate()
    nodes = _plan_nodes(organization)
    edges = nodes.edges()
    work = _assignment_work(organization, nodes, as_of)
    kpis = _kpi_progress(organization, nodes)
    graph = PlanGraph(
        n=nodes.n,
        child=np.array([e[0] for e in edges], dtype=np.int64),
        parent=np.array([e[1] for e in edges], dtype=np.int64),
        weight=np.array([e[2] for e in edges], dtype=np.float64),
        work_sum=work.work_sum,
        work_weight=work.work_weight,
        kpi_sum=kpis.kpi_sum,
        kpi_count=kpis.kpi_count,
    )
    progress = rollup(graph)
    spi = _schedules(nodes, progress, as_of)
    finances, portfolio = _money(organization, nodes, as_of)
    breadths: list[Breadth | None] = [None] * len(nodes.initiatives)
    if with_breadth and nodes.initiatives:
        breadths = list(
            initiative_breadths(organization=organization, initiatives=nodes.initiatives)
        )
    rows = _initiative_rows(
        nodes,
        progress=progress,
        spi=spi,
        finances=finances,
        work=work,
        kpis=kpis,
        blockers=_open_blockers(organization),
        breadths=breadths,
    )
    opportunity_rows = _opportunity_rows(nodes, progress)
    return PlanStatus(as_of, opportunity_rows, rows, portfolio, _overall(opportunity_rows, rows))


def initiative_participants(
    *, organization: Organization, initiative_ids: list[int] | None = None
) -> list[tuple[int, int, int]]:
    """Distinct (initiative, person, unit): owner, sponsor, assignment owners and delegators."""
    assignments = Assignment.objects.filter(organization=organization)
    initiatives = Initiative.objects.filter(organization=organization)
    if initiative_ids is not None:
        assignments = assignments.filter(initiative_id__in=initiative_ids)
        initiatives = initiatives.filter(pk__in=initiative_ids)
    pairs: set[tuple[int, int]] = set()
    # Distinct pairs first (answered from the covering indexes), units looked up after.
    pairs.update(assignments.values_list("initiative_id", "owner_id").distinct().order_by())
    pairs.update(
        assignments.exclude(delegator_id=None)
        .values_list("initiative_id", "delegator_id")
        .distinct()
        .order_by()
    )
    for initiative_id, owner_id, sponsor_id in initiatives.values_list(
        "pk", "owner_id", "sponsor_id"
    ):
        pairs.update((initiative_id, p) for p in (owner_id, sponsor_id) if p is not None)
    unit_of = dict(
        Person.objects.filter(organization=organization).values_list("pk", "unit_id").order_by()
    )
    return sorted((i, p, unit_of[p]) for i, p in pairs if p in unit_of)


def initiative_breadths(
    *, organization: Organization, initiatives: list[Initiative]
) -> list[Breadth]:
    """Breadth over the participants' top-level units (see analytics.plan.breadth)."""
    ids = [i.pk for i in initiatives]
    found = initiative_participants(
        organization=organization, initiative_ids=ids if len(ids) < 500 else None
    )
    top = top_units(organization=organization)
    position = {pk: n for n, pk in enumerate(ids)}
    kept = [(position[i], top[unit]) for i, _person, unit in found if i in position]
    return breadth_by_group(
        np.array([k[0] for k in kept], dtype=np.int64),
        np.array([k[1] for k in kept], dtype=np.int64),
        len(ids),
    )
