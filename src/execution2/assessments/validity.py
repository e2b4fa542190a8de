"""Instrument quality of a cycle: does it measure six attributes, and which drive execution.

`validity_compute` runs the analysis (`analytics.assessment.validity` and `.drivers`) and keeps
it as a `CycleValidity` row, because a factor analysis is too slow for every page view: it runs
when a cycle closes, and on demand as a job. `validity_get` reads the kept row while it is
current (the cycle has as many responses as when it was computed).

Anonymity: the factor analysis pools the whole cycle (at least `CFA_MIN_N` complete
responses), and drivers are computed only for the organization and for units whose "all"
group `cycle_result` discloses and that have at least `DRIVER_MIN_N` rows: no value of a
group below the threshold comes out. Delivery drivers use managers' scores only where their
own group is disclosed (`CycleResult.subject_scores`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from execution2.analytics.assessment import drivers as drv
from execution2.analytics.assessment import validity as val
from execution2.analytics.assessment.instrument import ATTRIBUTES, BUY_IN
from execution2.analytics.assessment.invariance import invariance
from execution2.assessments.models import Cycle, CycleValidity, Response, Subject
from execution2.assessments.results import CycleResult, cycle_result, respondent_scores
from execution2.orgs.models import Unit
from execution2.orgs.services import audit_record

Progress = Callable[[str, int, int], None]
# Invariance needs a stable CFA in every group compared.
INVARIANCE_MIN_N = val.CFA_MIN_N
# A manager's on-time share needs a few delegated assignments behind it.
DELIVERY_MIN_BASE = 3
# Responses store no language (one instrument text per cycle): say so rather than compare.
NO_LANGUAGES = {"reason": "responses carry no language, so there is nothing to compare"}


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def _answers(result: CycleResult) -> Any:
    if result.data is not None:
        return result.data
    from execution2.assessments.results import _cycle_data

    data, _subjects, _units, _persons = _cycle_data(result.cycle, result.spec)
    return data


def _structure(result: CycleResult) -> dict[str, Any]:
    data = _answers(result)
    spec = result.spec
    columns = dict(spec.scale_columns())
    model = {key: [spec.item_keys[c] for c in columns[key]] for key in ATTRIBUTES if key in columns}
    if len(model) < 2:
        return {"reason": "the instrument has fewer than two attribute scales"}
    items = list(spec.item_keys)
    # Self-ratings are left out, as in every "all" score.
    others = data.rater_group != 0
    used = [c for key in model for c in columns[key]]
    covariance_used, n = val.complete_covariance(data.answers[others], used)
    covariance = np.full((len(items), len(items)), np.nan)
    covariance[np.ix_(used, used)] = covariance_used
    report = val.structure(covariance, n, items, model)
    out = report.as_json()
    out["invariance"] = _invariance(result, data, model, items, used)
    return out


def _invariance(
    result: CycleResult, data: Any, model: dict[str, list[str]], items: list[str], used: list[int]
) -> dict[str, Any]:
    from execution2.analytics.assessment.scoring import GROUP_NAMES

    groups = {}
    for code, name in enumerate(GROUP_NAMES[:-1]):
        if name == "self":
            continue
        rows = data.rater_group == code
        if rows.any():
            block = data.answers[rows][:, used]
            groups[name] = block[(block > 0).all(axis=1)]
    big = {name: block for name, block in groups.items() if len(block) >= INVARIANCE_MIN_N}
    small = sorted(name for name in groups if name not in big)
    note = f"groups need {INVARIANCE_MIN_N} complete responses each" + (
        f"; too few: {', '.join(small)}" if small else ""
    )
    if len(big) < 2:
        return {"rater_groups": None, "reason": note, "languages": NO_LANGUAGES}
    names = [items[c] for c in used]
    steps = invariance(list(big.values()), names, model)
    return {
        "rater_groups": [s.as_json() for s in steps],
        "groups": {name: len(block) for name, block in big.items()},
        "reason": note if small else "",
        "languages": NO_LANGUAGES,
    }


def _unit_groups(result: CycleResult, units: list[Unit]) -> tuple[list[int | None], np.ndarray]:
    """The organization (None) and every unit whose "all" group is disclosed, with the cells
    (units) each pools: the unit and everything below it."""
    position = {u.pk: i for i, u in enumerate(units)}
    parent = {u.pk: u.parent_id for u in units}
    keys: list[int | None] = [None]
    for unit in units:
        group = result.group("unit", unit.pk)
        if group is not None and not group.suppressed:
            keys.append(unit.pk)
    pools = np.zeros((len(keys), len(units)), dtype=bool)
    pools[0, :] = True
    row_of = {key: r for r, key in enumerate(keys) if key is not None}
    for unit in units:
        current: int | None = unit.pk
        while current is not None:
            if current in row_of:
                pools[row_of[current], position[unit.pk]] = True
            current = parent.get(current)
    return keys, pools


def _driver_rows(
    keys: list[int | None], found: list[drv.Driver | None], paths: dict[int, str]
) -> dict[str, Any]:
    out: dict[str, Any] = {"organization": None, "units": []}
    for key, driver in zip(keys, found, strict=True):
        if driver is None:
            continue
        entry = driver.as_json(ATTRIBUTES)
        if key is None:
            out["organization"] = entry
        else:
            out["units"].append({"unit": paths[key], **entry})
    out["units"].sort(key=lambda e: e["unit"])
    return out


def _buy_in_drivers(result: CycleResult, units: list[Unit]) -> dict[str, Any]:
    keys = (*ATTRIBUTES, BUY_IN)
    if BUY_IN not in dict(result.spec.scale_columns()):
        return {"reason": "the instrument has no buy-in block"}
    scores, unit_pks = respondent_scores(result, keys)
    position = {u.pk: i for i, u in enumerate(units)}
    cells = np.array([position.get(int(pk), -1) for pk in unit_pks], dtype=np.int64)
    group_keys, pools = _unit_groups(result, units)
    found = drv.drivers(scores[:, :-1], scores[:, -1], cells, pools)
    out = _driver_rows(group_keys, found, {u.pk: u.path for u in units})
    out["outcome"] = "the respondent's plan buy-in score"
    if out["organization"] is None:
        out["reason"] = f"fewer than {drv.DRIVER_MIN_N} respondents answered every scale"
    return out


def _on_time_by_delegator(cycle: Cycle, as_of: datetime.date) -> dict[int, tuple[int, int]]:
    """Person pk -> (on time, base) of the work they delegated, as `on_time_by_unit` counts it."""
    from execution2.plans.choices import AssignmentStatus
    from execution2.plans.models import Assignment
    from execution2.plans.selectors.evidence import UTCDate

    day_after = timezone.make_aware(
        datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time())
    )
    done = Q(completed_at__isnull=False, completed_at__lt=day_after)
    rows = (
        Assignment.objects.filter(
            organization=cycle.organization, delegator__isnull=False, created_at__lt=day_after
        )
        .annotate(completed_day=UTCDate("completed_at"))
        .values("delegator_id")
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
    return {row["delegator_id"]: (row["on_time"], row["base"]) for row in rows}


def _delivery_drivers(result: CycleResult, units: list[Unit]) -> dict[str, Any]:
    """Managers' attribute scores (as their raters see them) against the on-time completion
    of the work they delegated, as of the cycle's close."""
    shown = result.subject_scores()
    on_time = _on_time_by_delegator(result.cycle, result.cycle.closes_on)
    position = {u.pk: i for i, u in enumerate(units)}
    rows, outcome, cells = [], [], []
    for pk, person, unit_id in Subject.objects.filter(cycle=result.cycle).values_list(
        "pk", "person_id", "unit_id"
    ):
        if pk not in shown or person not in on_time:
            continue
        done, base = on_time[person]
        scores = shown[pk][1]
        if base < DELIVERY_MIN_BASE or any(key not in scores for key in ATTRIBUTES):
            continue
        rows.append([scores[key] for key in ATTRIBUTES])
        outcome.append(done / base * 100)
        cells.append(position.get(unit_id, -1))
    note = (
        f"managers need a disclosed score and {DELIVERY_MIN_BASE} delegated assignments due; "
        f"drivers need {drv.DRIVER_MIN_N} such managers"
    )
    if len(rows) < drv.DRIVER_MIN_N:
        return {"organization": None, "units": [], "managers": len(rows), "reason": note}
    group_keys, pools = _unit_groups(result, units)
    found = drv.drivers(
        np.array(rows, dtype=np.float64),
        np.array(outcome, dtype=np.float64),
        np.array(cells, dtype=np.int64),
        pools,
    )
    out = _driver_rows(group_keys, found, {u.pk: u.path for u in units})
    out["outcome"] = "on-time completion of the work a manager delegated"
    out["managers"] = len(rows)
    return out


def validity_analysis(*, cycle: Cycle, progress: Progress = _quiet) -> dict[str, Any]:
    result = cycle_result(cycle, with_previous=False)
    units = list(Unit.objects.filter(organization=cycle.organization).order_by("pk"))
    progress("factor structure", 0, 3)
    structure = _structure(result)
    progress("drivers of buy-in", 1, 3)
    buy_in = _buy_in_drivers(result, units)
    progress("drivers of delivery", 2, 3)
    delivery = _delivery_drivers(result, units)
    progress("done", 3, 3)
    return {
        "structure": structure,
        "drivers": {"buy_in": buy_in, "delivery": delivery},
        "cut_points": {
            "cfi_min": val.CFI_MIN,
            "tli_min": val.TLI_MIN,
            "rmsea_max": val.RMSEA_MAX,
            "srmr_max": val.SRMR_MAX,
            "loading_min": val.LOADING_MIN,
            "htmt_max": val.HTMT_MAX,
            "cfa_min_n": val.CFA_MIN_N,
            "driver_min_n": drv.DRIVER_MIN_N,
            "invariance_min_n": INVARIANCE_MIN_N,
        },
    }


def validity_compute(
    *, cycle: Cycle, actor: Any = None, progress: Progress = _quiet
) -> CycleValidity:
    responses = Response.objects.filter(cycle=cycle).count()
    data = validity_analysis(cycle=cycle, progress=progress)
    with transaction.atomic():
        row, _created = CycleValidity.objects.update_or_create(
            cycle=cycle,
            defaults={"responses": responses, "computed_at": timezone.now(), "data": data},
        )
        audit_record(
            organization=cycle.organization,
            actor=actor,
            action="assessment.validity_compute",
            detail={"cycle": cycle.pk, "responses": responses},
        )
    return row


def validity_get(*, cycle: Cycle) -> CycleValidity | None:
    """The kept analysis while the cycle's responses are those it was computed on."""
    row = CycleValidity.objects.filter(cycle=cycle).first()
    if row is None or row.responses != Response.objects.filter(cycle=cycle).count():
        return None
    return row


def validity_summary(data: dict[str, Any]) -> dict[str, Any]:
    """The top-level `validity` of `assess report --json`."""
    structure = data.get("structure", {})
    return {
        "n": structure.get("n"),
        "estimator": structure.get("estimator"),
        "cfi": structure.get("cfi"),
        "tli": structure.get("tli"),
        "rmsea": structure.get("rmsea"),
        "rmsea_ci90": structure.get("rmsea_ci90"),
        "srmr": structure.get("srmr"),
        "htmt": structure.get("htmt", {}),
        "flags": structure.get("flags", []),
        "reason": structure.get("reason", ""),
        "drivers": data.get("drivers", {}),
    }


def gap_importance(
    *, cycle: Cycle | None, unit_path: str | None, components: list[dict[str, Any]]
) -> dict[str, Any]:
    """The attribute gaps of an index scope weighed by their importance for buy-in (their
    relative weight from the kept analysis of `cycle`), where the data supports it.

    Reads only the kept analysis (a page never runs a factor analysis); the index's own
    priorities (weight x gap) are left as they are. Returns {"rows": [...], "basis": ...} or
    {"rows": [], "reason": ...}.
    """
    kept = validity_get(cycle=cycle) if cycle is not None else None
    if kept is None:
        return {"rows": [], "reason": "no instrument-quality analysis is kept for the cycle"}
    found = kept.data.get("drivers", {}).get("buy_in", {})
    entry = found.get("organization")
    basis = "the organization"
    if unit_path is not None:
        entry = next((u for u in found.get("units", []) if u["unit"] == unit_path), None)
        basis = unit_path
        if entry is None:
            return {
                "rows": [],
                "reason": f"too few respondents in {unit_path} for drivers "
                f"(they need {drv.DRIVER_MIN_N}, in a group large enough to show)",
            }
    if entry is None:
        return {"rows": [], "reason": found.get("reason", "no drivers of buy-in")}
    rows = []
    for component in components:
        weight = entry["weights"].get(component.get("key"))
        gap = component.get("gap")
        if weight is None or gap is None or component.get("missing"):
            continue
        importance = weight["share"] / 100
        rows.append(
            {
                "key": component["key"],
                "title": component.get("title", component["key"]),
                "gap": gap,
                "importance": importance,
                "ci90": weight["ci90"],
                "weighted": max(gap, 0.0) * importance,
            }
        )
    rows.sort(key=lambda r: -r["weighted"])
    return {
        "rows": rows,
        "basis": f"relative weights of the attributes for plan buy-in in {basis} "
        f"(n {entry['n']}, R² {entry['r2']}, {kept.cycle.name})",
    }
