"""The index over time: one point per past assessment cycle, with the change between them.

The insights layer computes the index as of each closed cycle (that cycle's survey, the network
window and the plan as of its closing date) and passes the points here; `index_trend` orders
them by date and adds the change from the previous point, overall and per component. A change
is `clear` when the two intervals don't overlap (a conservative reading; without intervals,
None: unknown).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from execution2.analytics.index.compute import ExecutionIndex


@dataclass(frozen=True)
class TrendPoint:
    date: dt.date
    label: str
    index: float | None
    low: float | None = None
    high: float | None = None
    respondents: int = 0
    components: Mapping[str, float | None] = field(default_factory=dict)

    @classmethod
    def of(cls, date: dt.date, label: str, result: ExecutionIndex) -> TrendPoint:
        interval = result.interval
        return cls(
            date=date,
            label=label,
            index=result.index,
            low=interval.low if interval is not None else None,
            high=interval.high if interval is not None else None,
            respondents=result.respondents,
            components={c.key: c.score for c in result.components},
        )


@dataclass(frozen=True)
class TrendStep:
    point: TrendPoint
    change: float | None
    """index - previous index; None for the first point or when either is missing."""
    clear: bool | None
    """The intervals don't overlap (True), overlap (False), or unknown (None)."""
    component_changes: Mapping[str, float | None]


def index_trend(points: Sequence[TrendPoint]) -> tuple[TrendStep, ...]:
    """The points by date (oldest first) with their changes; two points on one date: error."""
    ordered = sorted(points, key=lambda p: p.date)
    dates = [p.date for p in ordered]
    if len(set(dates)) != len(dates):
        raise ValueError("two trend points share a date")
    steps: list[TrendStep] = []
    previous: TrendPoint | None = None
    for point in ordered:
        change = clear = None
        changes: dict[str, float | None] = {}
        if previous is not None:
            if point.index is not None and previous.index is not None:
                change = point.index - previous.index
                low, high = point.low, point.high
                before_low, before_high = previous.low, previous.high
                if (
                    low is not None
                    and high is not None
                    and before_low is not None
                    and before_high is not None
                ):
                    clear = low > before_high or high < before_low
            for key, value in point.components.items():
                before = previous.components.get(key)
                changes[key] = value - before if value is not None and before is not None else None
        steps.append(TrendStep(point, change, clear, changes))
        previous = point
    return tuple(steps)
