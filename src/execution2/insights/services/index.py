"""Computing the Execution Index of an organization and every unit, and storing it."""

from __future__ import annotations

import datetime
import time
import zlib
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from execution2.analytics.anonymity import FLOOR
from execution2.analytics.index import (
    SURVEY_COMPONENTS,
    Catalogue,
    ExecutionIndex,
    Place,
    TrendPoint,
    assess_risks,
    execution_indexes,
    gap_places,
    index_trend,
    load_catalogue,
    recommend,
    validate_target,
    validate_weights,
)
from execution2.insights.inputs import (
    Inputs,
    closed_cycles_until,
    index_inputs,
    jsonable,
)
from execution2.insights.models import IndexRun, RunStatus, ScopeIndex
from execution2.orgs.models import Organization

Progress = Callable[[str, int, int], None]
Actor = AbstractBaseUser | AnonymousUser | None
DEFAULT_REPLICATES = 1000
TREND_REPLICATES = 400
# Where to act: this many units and managers per recommendation.
PLACES = 3


def index_settings(organization: Organization) -> tuple[dict[str, float], float]:
    """The organization's weights (normalised) and target; the defaults where unset."""
    configured = organization.effective_settings["index"]
    return validate_weights(configured["weights"]), validate_target(configured["target"])


def _seed(organization: Organization, as_of: datetime.date) -> int:
    # The same organization and day give the same interval, run after run.
    return zlib.crc32(f"{organization.pk}:{as_of.isoformat()}".encode())


def _results(
    inputs: Inputs, weights: Mapping[str, float], target: float, replicates: int, seed: int
) -> tuple[ExecutionIndex, ...]:
    return execution_indexes(
        inputs.inputs,
        weights=weights,
        target=target,
        respondents=inputs.respondents,
        replicates=replicates,
        seed=seed,
    )


def _places(
    inputs: Inputs, results: tuple[ExecutionIndex, ...], target: float
) -> list[dict[str, list[Place]]]:
    """Per scope, per component: the units below it and the managers in it below target."""
    scopes = inputs.scopes
    below: dict[int, list[int]] = {s.row: [] for s in scopes}
    for scope in scopes[1:]:
        up = scope.parent_row
        while up >= 0:
            below[up].append(scope.row)
            up = scopes[up].parent_row
    manager_rows: dict[int, list[int]] = {s.row: [] for s in scopes}
    row_of_path = {s.path.casefold(): s.row for s in scopes[1:]}
    for position, manager in enumerate(inputs.managers):
        row = row_of_path.get(manager.unit_path.casefold(), 0)
        while row >= 0:
            manager_rows[row].append(position)
            row = scopes[row].parent_row
    out = []
    for scope in scopes:
        rows = below[scope.row]
        found = gap_places(
            [results[r] for r in rows],
            [scopes[r].path for r in rows],
            kind="unit",
            keys=[str(scopes[r].unit_id) for r in rows],
        )
        for position in manager_rows[scope.row]:
            manager = inputs.managers[position]
            for key in SURVEY_COMPONENTS:
                score = manager.scores.get(key)
                if score is not None and target - score > 0:
                    found[key].append(
                        Place(
                            "manager",
                            f"{manager.name} ({manager.unit_path})",
                            target - score,
                            manager.n,
                            str(manager.subject_id),
                        )
                    )
        out.append(found)
    return out


def _scope_key(unit_id: int | None) -> str:
    return "organization" if unit_id is None else str(unit_id)


def _point(stored: dict[str, Any]) -> TrendPoint:
    return TrendPoint(
        date=datetime.date.fromisoformat(stored["date"]),
        label=stored["label"],
        index=stored["index"],
        low=stored["low"],
        high=stored["high"],
        respondents=stored["respondents"],
        components=stored["components"],
    )


def _trend(
    organization: Organization,
    as_of: datetime.date,
    current: Inputs,
    current_results: tuple[ExecutionIndex, ...],
    weights: Mapping[str, float],
    target: float,
    progress: Progress,
    kept: dict[str, Any],
) -> tuple[list[list[dict[str, Any]]], dict[str, Any]]:
    """Per scope, the index at each closed cycle up to `as_of` (the current one last), and the
    past cycles' points to keep for the next run.

    A past cycle's point is the index as of the day it closed: it is computed once and `kept`
    (from the previous run) while the weights and target stay the same. Recomputing them would
    read the whole plan and survey again per cycle for the same answer.
    """
    cycles = list(closed_cycles_until(organization=organization, as_of=as_of))
    settings_key = {"weights": {k: round(v, 6) for k, v in weights.items()}, "target": target}
    points: list[list[TrendPoint]] = [[] for _ in current.scopes]
    keep: dict[str, Any] = {}
    for step, cycle in enumerate(cycles):
        progress("trend", step, len(cycles))
        if current.cycle is not None and cycle.pk == current.cycle.pk:
            for scope in current.scopes:
                result = current_results[scope.row]
                if result.index is not None:
                    points[scope.row].append(TrendPoint.of(cycle.closes_on, cycle.name, result))
            continue
        stored = kept.get(str(cycle.pk))
        if (
            stored is None
            or stored.get("settings") != settings_key
            or stored.get("closes_on") != cycle.closes_on.isoformat()
        ):
            inputs = index_inputs(
                organization=organization, as_of=cycle.closes_on, cycle=cycle, with_managers=False
            )
            results = _results(
                inputs, weights, target, TREND_REPLICATES, _seed(organization, cycle.closes_on)
            )
            stored = {
                "settings": settings_key,
                "closes_on": cycle.closes_on.isoformat(),
                "points": {
                    _scope_key(s.unit_id): jsonable(
                        TrendPoint.of(cycle.closes_on, cycle.name, results[s.row])
                    )
                    for s in inputs.scopes
                    if results[s.row].index is not None
                },
            }
        keep[str(cycle.pk)] = stored
        for scope in current.scopes:
            found = stored["points"].get(_scope_key(scope.unit_id))
            if found is not None:
                points[scope.row].append(_point(found))
    progress("trend", len(cycles), len(cycles))
    return [jsonable(index_trend(row)) for row in points], keep


def _scope_payload(
    inputs: Inputs,
    row: int,
    result: ExecutionIndex,
    places: dict[str, list[Place]],
    trend: list[dict[str, Any]],
    min_group: int,
    catalogue: Catalogue,
) -> dict[str, Any]:
    scope = inputs.scopes[row]
    scope_inputs = inputs.inputs[row]
    risks = assess_risks(scope_inputs)
    recommendations = recommend(
        result.priorities,
        risks,
        catalogue,
        where=places,
        min_group=min_group,
        places=PLACES,
    )
    survey = scope_inputs.survey
    return {
        "scope": {
            "unit_id": scope.unit_id,
            "label": scope.label,
            "path": scope.path,
            "depth": scope.depth,
            "people": scope.people,
        },
        **jsonable(result),
        "survey_note": inputs.survey_notes.get(row, ""),
        "risks": jsonable(risks),
        "recommendations": jsonable(recommendations),
        "inputs": {
            "survey": (
                {
                    "cycle": survey.cycle,
                    "invited": survey.invited,
                    "responded": survey.responded,
                    "response_rate": (
                        survey.responded / survey.invited
                        if survey.invited and survey.responded is not None
                        else None
                    ),
                    "alpha": jsonable(survey.alpha),
                }
                if survey is not None
                else None
            ),
            "network": jsonable(scope_inputs.network),
            "plan": jsonable(scope_inputs.plan),
        },
        "trend": trend,
    }


def index_compute(
    *,
    organization: Organization,
    as_of: datetime.date | None = None,
    actor: Actor = None,
    progress: Progress | None = None,
    replicates: int = DEFAULT_REPLICATES,
    with_trend: bool = True,
    reuse_trend: bool = True,
) -> IndexRun:
    """Compute the index of the organization and every unit as of a day, and store it.

    The run becomes the current one only when every scope is stored (one transaction): a
    failure leaves the previous run in place. Past cycles' trend points are kept from the
    previous run unless `reuse_trend` is False (see `_trend`).
    """
    report = progress or (lambda phase, done, total: None)
    started = time.perf_counter()
    today = timezone.localdate()
    if as_of is not None and as_of > today:
        raise ValidationError(f"The index can't be computed as of a future day ({as_of}).")
    as_of = as_of or today
    weights, target = index_settings(organization)
    report("inputs", 0, 1)
    inputs = index_inputs(organization=organization, as_of=as_of)
    report("inputs", 1, 1)
    report("index", 0, 1)
    results = _results(inputs, weights, target, replicates, _seed(organization, as_of))
    report("index", 1, 1)
    previous = (
        IndexRun.objects.filter(organization=organization, status=RunStatus.DONE)
        .order_by("-created_at", "-pk")
        .only("trend_points")
        .first()
    )
    kept = previous.trend_points if previous is not None and reuse_trend else {}
    trends, trend_points = (
        _trend(organization, as_of, inputs, results, weights, target, report, kept)
        if with_trend
        else ([[] for _ in inputs.scopes], {})
    )
    anonymity = organization.effective_settings["anonymity"]
    min_group = max(int(anonymity.get("min_group", 5)), FLOOR)
    places = _places(inputs, results, target)
    catalogue = load_catalogue()
    rows = []
    total = len(inputs.scopes)
    for scope in inputs.scopes:
        if scope.row % 200 == 0:
            report("recommendations", scope.row, total)
        result = results[scope.row]
        payload = _scope_payload(
            inputs, scope.row, result, places[scope.row], trends[scope.row], min_group, catalogue
        )
        interval = result.interval
        parent = inputs.scopes[scope.parent_row] if scope.parent_row >= 0 else None
        rows.append(
            ScopeIndex(
                unit_id=scope.unit_id,
                parent_unit_id=parent.unit_id if parent is not None else None,
                depth=scope.depth,
                index=result.index,
                low=interval.low if interval is not None else None,
                high=interval.high if interval is not None else None,
                payload=payload,
            )
        )
    report("recommendations", total, total)
    summary = {
        "weights": weights,
        "target": target,
        "replicates": replicates,
        "cycle": (
            {
                "id": inputs.cycle.pk,
                "name": inputs.cycle.name,
                "closes_on": inputs.cycle.closes_on.isoformat(),
            }
            if inputs.cycle is not None
            else None
        ),
        "network": (
            {
                "as_of": inputs.snapshot.as_of.isoformat(),
                "window_days": inputs.snapshot.window_days,
            }
            if inputs.snapshot is not None
            else None
        ),
        "plan_as_of": as_of.isoformat() if inputs.plan is not None else None,
        "units": total - 1,
    }
    with transaction.atomic():
        run = IndexRun.objects.create(
            organization=organization,
            as_of=as_of,
            status=RunStatus.RUNNING,
            summary=summary,
            trend_points=trend_points,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        for row in rows:
            row.run = run
        ScopeIndex.objects.bulk_create(rows, batch_size=500)
        run.status = RunStatus.DONE
        run.seconds = time.perf_counter() - started
        run.summary["seconds"] = round(run.seconds, 3)
        run.save(update_fields=["status", "seconds", "summary"])
        # Older runs of the same day are superseded; keep the history of other days.
        IndexRun.objects.filter(organization=organization, as_of=as_of).exclude(pk=run.pk).delete()
    return run
