"""The survey part of each scope, read through `cycle_result`, the one anonymity gate."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np

from execution2.analytics.index import (
    SURVEY_COMPONENTS,
    RespondentTable,
    SurveyPart,
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
from execution2.insights.inputs.scopes import Scope
from execution2.orgs.models import Organization

ALL = "all"
# Cronbach's alpha of a small group is too noisy to call a scale unreliable on: a unit's own
# alpha is used from this many respondents on (the organization's always).


MIN_ALPHA_RESPONDENTS = 30
# Initiatives that count toward breadth and schedule: work that is or was under way.


@dataclass(frozen=True, slots=True)
class ManagerScores:
    """A manager's disclosed survey result in the cycle (for recommending where to act)."""

    subject_id: int
    person_id: int
    name: str
    unit_path: str
    n: int
    scores: dict[str, float]


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


def survey_parts(
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


def manager_scores(cycle: Cycle, result: CycleResult) -> list[ManagerScores]:
    shown = result.subject_scores(ALL)
    out = []
    for subject_id, person_id, name, path in Subject.objects.filter(cycle=cycle).values_list(
        "pk", "person_id", "person__name", "unit__path"
    ):
        if subject_id in shown:
            n, scores = shown[subject_id]
            out.append(ManagerScores(subject_id, person_id, name, path, n, scores))
    return out
