"""What the Execution Index of an organization and each of its units rests on, as of a day.

`index_inputs` reads the four capabilities through their own selectors and fills the core's
`IndexInputs` for every scope at once (row 0 the organization, then every unit), plus the
respondent table of the bootstrap and the managers' survey results (for "where to act"):

- survey: the latest assessment cycle closed on or before the day, through `cycle_result`, the
  one anonymity gate: a unit whose group is hidden gets no survey part (its index re-weights
  over the other components and says why);
- network: the latest analysis whose window ends on or before the day (the organization's
  figures and each unit's, the share of a unit's people the executive team reaches from the
  analysis's per-person file);
- plan: `plan_status` as of the day, the delegation evidence (on-time completion) and who
  works on which initiative.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from execution2.analytics.index import (
    SURVEY_COMPONENTS,
    IndexInputs,
    InitiativeFacts,
    NetworkPart,
    PlanPart,
    RespondentTable,
    SurveyPart,
    UnitEI,
)
from execution2.assessments.choices import CycleStatus
from execution2.assessments.models import Cycle, Subject
from execution2.assessments.results import (
    CycleResult,
    cycle_result,
    overall_rate,
    respondent_scores,
    response_rates,
)
from execution2.network.models import NetworkSnapshot
from execution2.network.selectors import snapshot_people
from execution2.orgs.models import Organization, Person, Unit
from execution2.plans.choices import InitiativeStatus
from execution2.plans.selectors import (
    PlanStatus,
    initiative_participants,
    on_time_by_unit,
    plan_status,
)

ALL = "all"
# Cronbach's alpha of a small group is too noisy to call a scale unreliable on: a unit's own
# alpha is used from this many respondents on (the organization's always).
MIN_ALPHA_RESPONDENTS = 30
# Initiatives that count toward breadth and schedule: work that is or was under way.
LIVE_STATUSES = (InitiativeStatus.ACTIVE, InitiativeStatus.ON_HOLD, InitiativeStatus.DONE)


@dataclass(frozen=True, slots=True)
class Scope:
    """One row of the index: the organization (unit_id None) or a unit."""

    row: int
    unit_id: int | None
    label: str
    path: str
    depth: int
    """0 for the organization, 1 for a top-level unit, ..."""
    parent_row: int
    """-1 for the organization."""
    people: int


@dataclass(frozen=True, slots=True)
class ManagerScores:
    """A manager's disclosed survey result in the cycle (for recommending where to act)."""

    subject_id: int
    person_id: int
    name: str
    unit_path: str
    n: int
    scores: dict[str, float]


@dataclass
class Inputs:
    organization: Organization
    as_of: datetime.date
    scopes: list[Scope]
    inputs: list[IndexInputs]
    respondents: RespondentTable | None
    cycle: Cycle | None
    snapshot: NetworkSnapshot | None
    plan: PlanStatus | None
    managers: list[ManagerScores] = field(default_factory=list)
    survey_notes: dict[int, str] = field(default_factory=dict)
    """Row -> why the scope has no survey part (hidden by the anonymity rules, nobody asked)."""

    def row_of(self, unit_id: int | None) -> int | None:
        for scope in self.scopes:
            if scope.unit_id == unit_id:
                return scope.row
        return None


def closed_cycle_as_of(*, organization: Organization, as_of: datetime.date) -> Cycle | None:
    return (
        Cycle.objects.filter(
            organization=organization, status=CycleStatus.CLOSED, closes_on__lte=as_of
        )
        .select_related("instrument", "organization")
        .order_by("-closes_on", "-pk")
        .first()
    )


def closed_cycles_until(*, organization: Organization, as_of: datetime.date) -> list[Cycle]:
    return list(
        Cycle.objects.filter(
            organization=organization, status=CycleStatus.CLOSED, closes_on__lte=as_of
        )
        .select_related("instrument", "organization")
        .order_by("closes_on", "pk")
    )


def snapshot_as_of(*, organization: Organization, as_of: datetime.date) -> NetworkSnapshot | None:
    return (
        NetworkSnapshot.objects.filter(organization=organization, as_of__lte=as_of)
        .order_by("-as_of", "-created_at", "-pk")
        .first()
    )


def scopes_of(organization: Organization) -> list[Scope]:
    units = list(
        Unit.objects.filter(organization=organization)
        .order_by("path")
        .values_list("pk", "parent_id", "path", "name", "depth")
    )
    row_of = {pk: row for row, (pk, *_rest) in enumerate(units, start=1)}
    own: dict[int, int] = {}
    for unit_id in Person.objects.filter(organization=organization, active=True).values_list(
        "unit_id", flat=True
    ):
        own[unit_id] = own.get(unit_id, 0) + 1
    people = _subtree_sums(
        [own.get(pk, 0) for pk, *_ in units], [row_of.get(p, 0) - 1 for _, p, *_ in units]
    )
    scopes = [Scope(0, None, organization.name, "", 0, -1, int(sum(own.values())))]
    for row, (pk, parent, path, name, depth) in enumerate(units, start=1):
        scopes.append(
            Scope(row, pk, name, path, depth + 1, row_of.get(parent, 0), int(people[row - 1]))
        )
    return scopes


def _subtree_sums(values: list[float], parent: list[int]) -> np.ndarray:
    """Each unit's value plus its descendants'; `parent` is a position or -1."""
    totals = np.asarray(values, dtype=np.float64).copy()
    depth = np.zeros(len(parent), dtype=np.int64)
    for position in range(len(parent)):
        up, steps = parent[position], 0
        while up >= 0 and steps <= len(parent):
            up, steps = parent[up], steps + 1
        depth[position] = steps
    for position in np.argsort(-depth, kind="stable").tolist():
        if parent[position] >= 0:
            totals[parent[position]] += totals[position]
    return totals


def _survey(
    cycle: Cycle, scopes: list[Scope]
) -> tuple[list[SurveyPart | None], RespondentTable, dict[int, str], CycleResult]:
    # The index needs no change against the previous cycle: don't score that one too.
    result = cycle_result(cycle, with_previous=False)
    rates = {rate.unit.pk: rate for rate in response_rates(cycle)}
    invited_all, answered_all = overall_rate(cycle)
    label = f"{cycle.name} (closed {cycle.closes_on:%Y-%m-%d})"
    parts: list[SurveyPart | None] = []
    notes: dict[int, str] = {}
    for scope in scopes:
        if scope.unit_id is None:
            group = result.group("organization", None, ALL)
            invited, responded = invited_all, answered_all
        else:
            group = result.group("unit", scope.unit_id, ALL)
            rate = rates.get(scope.unit_id)
            invited = rate.invited if rate is not None else None
            responded = rate.answered if rate is not None else None
        if group is None:
            parts.append(None)
            notes[scope.row] = f"Nobody in {scope.label} was rated or answered in {cycle.name}."
            continue
        if group.suppressed:
            parts.append(None)
            notes[scope.row] = (
                f"The survey results of {scope.label} are hidden: too few people answered "
                "to show them without revealing who said what."
            )
            continue
        scales = [s for s in group.scales if s.score is not None]
        use_alpha = scope.unit_id is None or (group.n or 0) >= MIN_ALPHA_RESPONDENTS
        parts.append(
            SurveyPart(
                scores={s.key: s.score for s in scales if s.score is not None},
                n={s.key: s.n for s in scales},
                cycle=label,
                invited=invited,
                responded=responded,
                alpha=(
                    {s.key: s.alpha for s in scales if s.alpha is not None} if use_alpha else {}
                ),
            )
        )
    scores, unit_pks = respondent_scores(result, SURVEY_COMPONENTS)
    row_of = {scope.unit_id: scope.row for scope in scopes if scope.unit_id is not None}
    scope_rows = np.array([row_of.get(int(pk), 0) for pk in unit_pks.tolist()], dtype=np.int64)
    table = RespondentTable(
        scores, scope_rows, np.array([s.parent_row for s in scopes], dtype=np.int64)
    )
    return parts, table, notes, result


def _managers(cycle: Cycle, result: CycleResult) -> list[ManagerScores]:
    shown = result.subject_scores(ALL)
    out = []
    for subject_id, person_id, name, path in Subject.objects.filter(cycle=cycle).values_list(
        "pk", "person_id", "person__name", "unit__path"
    ):
        if subject_id in shown:
            n, scores = shown[subject_id]
            out.append(ManagerScores(subject_id, person_id, name, path, n, scores))
    return out


def _window(snapshot: NetworkSnapshot) -> str:
    start = snapshot.as_of - datetime.timedelta(days=snapshot.window_days - 1)
    return f"{start:%Y-%m-%d} to {snapshot.as_of:%Y-%m-%d}"


def _unit_reach_share(snapshot: NetworkSnapshot, scopes: list[Scope]) -> dict[int, float]:
    """Per unit (subtree): the share of its people outside the executive team that the team
    reaches at all; from the analysis's per-person file (only this aggregate leaves it)."""
    people = snapshot_people(snapshot=snapshot)
    if people is None or "reach" not in people or "unit_ids" not in people:
        return {}
    row_of = {s.unit_id: s.row for s in scopes if s.unit_id is not None}
    rows = np.array([row_of.get(int(u), 0) for u in people["unit_ids"].tolist()], dtype=np.int64)
    reach = people["reach"]
    outside = reach != 0
    reached = reach > 0
    count = len(scopes)
    parent = [s.parent_row - 1 if s.parent_row > 0 else -1 for s in scopes[1:]]
    own_outside = np.bincount(rows, weights=outside, minlength=count)[1:]
    own_reached = np.bincount(rows, weights=reached, minlength=count)[1:]
    outside_total = _subtree_sums(own_outside.tolist(), parent)
    reached_total = _subtree_sums(own_reached.tolist(), parent)
    return {
        scopes[position + 1].unit_id or 0: float(reached_total[position] / outside_total[position])
        for position in range(len(parent))
        if outside_total[position] > 0
    }


def _network(snapshot: NetworkSnapshot, scopes: list[Scope]) -> list[NetworkPart | None]:
    results = snapshot.results or {}
    window = _window(snapshot)
    summary = results.get("summary") or {}
    units = {u["unit_id"]: u for u in results.get("units", []) if "unit_id" in u}
    children: dict[int, list[Scope]] = {}
    for scope in scopes[1:]:
        children.setdefault(scope.parent_row, []).append(scope)

    def unit_ei(row: int) -> tuple[UnitEI, ...]:
        out = []
        for child in children.get(row, []):
            figures = units.get(child.unit_id)
            if figures and figures.get("ei_index") is not None:
                out.append(UnitEI(child.path, figures["ei_index"], int(figures.get("people") or 0)))
        return tuple(out)

    reach_share = _unit_reach_share(snapshot, scopes)
    parts: list[NetworkPart | None] = []
    for scope in scopes:
        figures = summary if scope.unit_id is None else units.get(scope.unit_id)
        if not figures or not figures.get("people"):
            parts.append(None)
            continue
        parts.append(
            NetworkPart(
                window=window,
                people=int(figures["people"]),
                cross_unit_share=figures.get("cross_unit_share"),
                isolate_share=figures.get("isolate_share"),
                reach_mean=figures.get("reach_mean"),
                reach_p90=figures.get("reach_p90"),
                reach_share=(
                    figures.get("reach_share")
                    if scope.unit_id is None
                    else reach_share.get(scope.unit_id)
                ),
                unit_modularity=summary.get("unit_modularity") if scope.unit_id is None else None,
                unit_ei=unit_ei(scope.row),
            )
        )
    return parts


def _network_of_month(
    organization: Organization, as_of: datetime.date, scopes: list[Scope]
) -> list[NetworkPart | None]:
    """For a day before every analysis's window (a past cycle in the trend): the month-by-month
    figures a later analysis keeps, for the month of that day. The organization gets all of
    them but leadership reach's share; units the cross-unit and isolate shares kept for the top
    two levels."""
    month = f"{as_of:%Y-%m}"
    for snapshot in NetworkSnapshot.objects.filter(organization=organization).order_by(
        "-as_of", "-created_at"
    )[:3]:
        results = snapshot.results or {}
        row = next((r for r in results.get("trends") or [] if r.get("month") == month), None)
        if row is None or not row.get("people"):
            continue
        window = f"the month {month}"
        unit_trends = (results.get("unit_trends") or {}).get("units") or {}
        parts: list[NetworkPart | None] = []
        for scope in scopes:
            if scope.unit_id is None:
                parts.append(
                    NetworkPart(
                        window=window,
                        people=int(row["people"]),
                        cross_unit_share=row.get("cross_unit_share"),
                        isolate_share=row.get("isolate_share"),
                        reach_mean=row.get("reach_mean"),
                        reach_p90=row.get("reach_p90"),
                        reach_share=row.get("reach_share"),
                        unit_modularity=row.get("unit_modularity"),
                    )
                )
                continue
            entry = unit_trends.get(str(scope.unit_id)) or {}
            cross = (entry.get("cross_unit_share") or {}).get(month)
            isolates = (entry.get("isolate_share") or {}).get(month)
            if cross is None and isolates is None:
                parts.append(None)
                continue
            parts.append(
                NetworkPart(
                    window=window,
                    people=scope.people,
                    cross_unit_share=cross,
                    isolate_share=isolates,
                )
            )
        return parts
    return [None] * len(scopes)


def _plan(
    organization: Organization, as_of: datetime.date, scopes: list[Scope]
) -> tuple[list[PlanPart | None], PlanStatus | None]:
    status = plan_status(organization=organization, as_of=as_of)
    if not status.initiatives:
        return [None] * len(scopes), None
    row_of = {s.unit_id: s.row for s in scopes if s.unit_id is not None}
    ancestors: dict[int, list[int]] = {0: [0]}
    for scope in scopes[1:]:
        ancestors[scope.row] = [scope.row, *ancestors[scope.parent_row]]
    path_of_unit = {s.unit_id: s.path for s in scopes if s.unit_id is not None}

    # Which scopes each initiative belongs to: its units' and its participants' (with their
    # ancestors); and who works on at least one initiative, per scope.
    in_scope: dict[int, set[int]] = {i: {0} for i in status.initiatives}
    involved = np.zeros(len(scopes))
    seen_people: set[int] = set()
    # Work under way by the day: a live status, and started by then (a plan read as of a past
    # day still lists the initiatives that came later).
    live = {
        i
        for i, row in status.initiatives.items()
        if row.status in LIVE_STATUSES and (row.start is None or row.start <= as_of)
    }
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

    on_time, overall = on_time_by_unit(organization=organization, as_of=as_of)

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
    per_scope: dict[int, list[int]] = {}
    for initiative_id, rows in in_scope.items():
        for row in rows:
            per_scope.setdefault(row, []).append(initiative_id)

    parts: list[PlanPart | None] = []
    for scope in scopes:
        ids = sorted(per_scope.get(scope.row, []))
        proof = overall if scope.unit_id is None else on_time.get(scope.unit_id)
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
            parts.append(None)
            continue
        parts.append(
            PlanPart(
                as_of=f"{as_of:%Y-%m-%d}",
                on_time_share=share,
                on_time_base=proof.base if proof is not None else 0,
                progress_spi=sum(schedules) / len(schedules) if schedules else None,
                initiatives=scope_facts,
                involved_share=(involved[scope.row] / scope.people if scope.people else None),
                people=scope.people,
            )
        )
    return parts, status


def index_inputs(
    *,
    organization: Organization,
    as_of: datetime.date,
    cycle: Cycle | bool | None = True,
    with_managers: bool = True,
) -> Inputs:
    """The inputs of every scope as of `as_of`. `cycle=True` picks the latest closed cycle;
    pass a cycle (or None for none) to use another (the trend does)."""
    scopes = scopes_of(organization)
    chosen = closed_cycle_as_of(organization=organization, as_of=as_of) if cycle is True else cycle
    chosen = chosen if isinstance(chosen, Cycle) else None
    survey: list[SurveyPart | None] = [None] * len(scopes)
    table = None
    notes: dict[int, str] = {}
    managers: list[ManagerScores] = []
    if chosen is not None:
        survey, table, notes, result = _survey(chosen, scopes)
        if with_managers:
            managers = _managers(chosen, result)
    snapshot = snapshot_as_of(organization=organization, as_of=as_of)
    if snapshot is not None:
        network = _network(snapshot, scopes)
    else:
        network = _network_of_month(organization, as_of, scopes)
    plan, status = _plan(organization, as_of, scopes)
    inputs = [
        IndexInputs(survey=s, network=n, plan=p)
        for s, n, p in zip(survey, network, plan, strict=True)
    ]
    return Inputs(
        organization=organization,
        as_of=as_of,
        scopes=scopes,
        inputs=inputs,
        respondents=table,
        cycle=chosen,
        snapshot=snapshot,
        plan=status,
        managers=managers,
        survey_notes=notes,
    )


def jsonable(value: Any) -> Any:
    """Plain JSON data from dataclasses, mappings, tuples and numpy/float values (NaN -> None)."""
    if hasattr(value, "__dataclass_fields__"):
        return {
            name: jsonable(getattr(value, name))
            for name in value.__dataclass_fields__
            # Respondent-level rows feed the bootstrap only: they never leave the computation.
            if not isinstance(getattr(value, name), np.ndarray)
        }
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return round(value, 6) if math.isfinite(value) else None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
