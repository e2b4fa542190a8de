"""Initiative breadth: how widely the people involved in an initiative are spread over units.

Breadth is the normalised Shannon entropy of the units of the involved people: 0 when all sit
in one unit, 1 when they are spread evenly over every unit considered. The "marketing trap"
(design.md 4.3) is an initiative with breadth below 0.5 or more than half its people in one unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

TRAP_BREADTH = 0.5
TRAP_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Breadth:
    initiative: int
    people: int
    units: int
    breadth: float | None
    """Normalised entropy in [0, 1]; None without people."""
    largest_unit_share: float | None
    marketing_trap: bool


def normalized_entropy(counts: npt.NDArray[np.int64], possible: int | None = None) -> float | None:
    """Shannon entropy of the counts divided by log(k), k = `possible` units or the non-empty ones.

    With a single possible unit there is no spread to measure: 0.
    """
    positive = counts[counts > 0].astype(np.float64)
    if positive.sum() == 0:
        return None
    k = possible if possible is not None else len(positive)
    if k <= 1:
        return 0.0
    p = positive / positive.sum()
    return float(-np.sum(p * np.log(p)) / np.log(k))


def initiative_breadth(
    initiative: npt.NDArray[np.int64],
    unit: npt.NDArray[np.int64],
    *,
    unit_count: int | None = None,
) -> tuple[Breadth, ...]:
    """Breadth per initiative from (initiative, unit) pairs, one pair per involved person.

    `unit_count` is the number of units an initiative could involve (e.g. the top-level units):
    entropy is normalised by its logarithm. Without it, by the number of units involved, so an
    initiative evenly split over two units scores 1.
    """
    if len(initiative) != len(unit):
        raise ValueError("initiative and unit arrays differ in length")
    results = []
    for key in np.unique(initiative):
        units = unit[initiative == key]
        _, counts = np.unique(units, return_counts=True)
        breadth = normalized_entropy(counts.astype(np.int64), unit_count)
        share = float(counts.max() / counts.sum())
        results.append(
            Breadth(
                initiative=int(key),
                people=int(counts.sum()),
                units=len(counts),
                breadth=breadth,
                largest_unit_share=share,
                marketing_trap=(breadth is not None and breadth < TRAP_BREADTH)
                or share > TRAP_SHARE,
            )
        )
    return tuple(results)
