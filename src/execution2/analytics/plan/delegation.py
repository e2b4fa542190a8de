"""The behavioural evidence of delegation (design.md 4.1), per manager or per unit.

Rows are assignments, each tagged with the group it counts for (a manager, or a unit — a row may
appear once for each unit above its delegator). Times are in days as floats (any epoch; NaN for
"never"), due dates and completion days as whole day numbers. Figures, per group:

- **instructed share**: assignments that have both instructions and a due date / all;
- **acknowledged share**: assignments acknowledged by their owner / those not dropped;
- **median acknowledgement delay**: days from creation to acknowledgement, over acknowledged;
- **on-time share**: done on or before the due day / (done with a due date + open and overdue);
- **median blocker resolution**: days from raised to resolved, over resolved blockers;
- **recognition per person per month**: recognitions given / team size / months in the window;
- **spread**: normalised entropy of the assignments over the team (K = team size, or the number
  of distinct owners when larger), and the **reach**: share of the team with at least one.

A figure is None where its denominator is zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class DelegationEvidence:
    assignments: int
    instructed_share: float | None
    acknowledged_share: float | None
    median_ack_delay_days: float | None
    on_time_share: float | None
    on_time_base: int
    blockers: int
    blockers_open: int
    median_blocker_resolution_days: float | None
    recognitions: int
    recognition_per_person_month: float | None
    team_size: int
    spread: float | None
    reach: float | None


def _share(numerator: float, denominator: float) -> float | None:
    return float(numerator / denominator) if denominator > 0 else None


def _segments(group: IntArray, n: int) -> tuple[IntArray, IntArray]:
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(n + 1))
    return order, bounds


def _median(values: FloatArray) -> float | None:
    values = values[~np.isnan(values)]
    return float(np.median(values)) if len(values) else None


def delegation_evidence(
    n_groups: int,
    *,
    group: IntArray,
    owner: IntArray,
    has_instructions: BoolArray,
    has_due: BoolArray,
    dropped: BoolArray,
    created: FloatArray,
    acknowledged: FloatArray,
    due_day: FloatArray,
    completed_day: FloatArray,
    as_of_day: float,
    team_size: IntArray,
    blocker_group: IntArray,
    blocker_raised: FloatArray,
    blocker_resolved: FloatArray,
    recognition_group: IntArray,
    months: float,
) -> list[DelegationEvidence]:
    """One DelegationEvidence per group 0..n_groups-1 (see the module docstring)."""
    group = np.asarray(group, dtype=np.int64)
    owner = np.asarray(owner, dtype=np.int64)
    instructed = np.asarray(has_instructions, dtype=bool) & np.asarray(has_due, dtype=bool)
    dropped = np.asarray(dropped, dtype=bool)
    created = np.asarray(created, dtype=np.float64)
    acknowledged = np.asarray(acknowledged, dtype=np.float64)
    due_day = np.asarray(due_day, dtype=np.float64)
    completed_day = np.asarray(completed_day, dtype=np.float64)
    team_size = np.asarray(team_size, dtype=np.int64)
    live = ~dropped
    done = ~np.isnan(completed_day)
    with np.errstate(invalid="ignore"):
        on_time = done & ~np.isnan(due_day) & (completed_day <= due_day)
        overdue = live & ~done & ~np.isnan(due_day) & (due_day < as_of_day)
    on_time_base = (done & ~np.isnan(due_day)) | overdue
    acked = ~np.isnan(acknowledged)

    def count(mask: BoolArray, g: IntArray = group) -> FloatArray:
        return np.bincount(g[mask], minlength=n_groups).astype(np.float64)

    total = count(np.ones(len(group), dtype=bool))
    n_instructed = count(instructed)
    n_live = count(live)
    n_acked = count(acked & live)
    n_on_time = count(on_time)
    n_base = count(on_time_base)
    delay = acknowledged - created
    order, bounds = _segments(group, n_groups)

    blocker_group = np.asarray(blocker_group, dtype=np.int64)
    blocker_raised = np.asarray(blocker_raised, dtype=np.float64)
    blocker_resolved = np.asarray(blocker_resolved, dtype=np.float64)
    b_order, b_bounds = _segments(blocker_group, n_groups)
    b_total = np.bincount(blocker_group, minlength=n_groups)
    b_open = np.bincount(blocker_group[np.isnan(blocker_resolved)], minlength=n_groups)
    resolution = blocker_resolved - blocker_raised
    recognitions = np.bincount(np.asarray(recognition_group, dtype=np.int64), minlength=n_groups)

    results = []
    for g in range(n_groups):
        rows = order[bounds[g] : bounds[g + 1]]
        blockers = b_order[b_bounds[g] : b_bounds[g + 1]]
        team = int(team_size[g])
        spread: float | None = None
        reach: float | None = None
        owners = owner[rows][live[rows]]
        if len(owners):
            _, per_owner = np.unique(owners, return_counts=True)
            k = max(team, len(per_owner))
            shares = per_owner / per_owner.sum()
            spread = float(-(shares * np.log(shares)).sum() / np.log(k)) if k > 1 else 0.0
            reach = min(1.0, len(per_owner) / team) if team > 0 else None
        per_person_month = (
            float(recognitions[g]) / team / months if team > 0 and months > 0 else None
        )
        results.append(
            DelegationEvidence(
                assignments=int(total[g]),
                instructed_share=_share(n_instructed[g], total[g]),
                acknowledged_share=_share(n_acked[g], n_live[g]),
                median_ack_delay_days=_median(delay[rows][acked[rows] & live[rows]]),
                on_time_share=_share(n_on_time[g], n_base[g]),
                on_time_base=int(n_base[g]),
                blockers=int(b_total[g]),
                blockers_open=int(b_open[g]),
                median_blocker_resolution_days=_median(resolution[blockers]),
                recognitions=int(recognitions[g]),
                recognition_per_person_month=per_person_month,
                team_size=team,
                spread=spread,
                reach=reach,
            )
        )
    return results
