"""Initiative breadth and the marketing trap (design.md 4.3).

Breadth is the normalised Shannon entropy of the units of the people involved in an initiative:
H = -Σ p_u ln p_u over the share p_u of participants in unit u, divided by ln K, where K is the
number of units that could be involved (`n_categories`; by default the number of distinct units
among the participants). 0 = everyone in one unit, 1 = spread evenly. An initiative falls into
the **marketing trap** (treated as one unit's project rather than an organizational change)
when its breadth is below 0.5 or more than half of its participants sit in one unit.

Callers choose the unit level; the plans app uses each person's top-level unit (the function:
Marketing, Sales, ...), so "Marketing / Brand" and "Marketing / Social Media" are one unit.

    >>> initiative_breadth([3, 3, 3, 3]).marketing_trap
    True
    >>> round(initiative_breadth([1, 2, 3, 4]).breadth, 3)
    1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]

MIN_BREADTH = 0.5
MAX_TOP_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Breadth:
    participants: int
    units: int
    """Distinct units among the participants."""
    breadth: float
    """Normalised entropy in [0, 1]; 0 with fewer than two units."""
    top_unit: int | None
    """The unit with most participants (ties: the smallest id)."""
    top_share: float
    """Share of participants in `top_unit` (0 without participants)."""
    marketing_trap: bool
    """breadth < 0.5 or top_share > 0.5 (never with no participants)."""


def _from_counts(
    units: IntArray, counts: npt.NDArray[np.float64], n_categories: int | None
) -> Breadth:
    total = float(counts.sum())
    if total == 0:
        return Breadth(0, 0, 0.0, None, 0.0, False)
    shares = counts / total
    k = n_categories if n_categories is not None else len(counts)
    entropy = float(-(shares * np.log(shares)).sum())
    breadth = entropy / np.log(k) if k > 1 else 0.0
    breadth = float(min(max(breadth, 0.0), 1.0))
    top = int(np.argmax(counts))
    top_share = float(shares[top])
    return Breadth(
        participants=int(total),
        units=len(counts),
        breadth=breadth,
        top_unit=int(units[top]),
        top_share=top_share,
        marketing_trap=breadth < MIN_BREADTH or top_share > MAX_TOP_SHARE,
    )


def initiative_breadth(
    unit_ids: Sequence[int] | IntArray, *, n_categories: int | None = None
) -> Breadth:
    """Breadth of one initiative from the unit id of each participant (one entry per person)."""
    array = np.asarray(unit_ids, dtype=np.int64)
    if n_categories is not None and n_categories < 1:
        raise ValueError("n_categories must be at least 1")
    units, counts = np.unique(array, return_counts=True)
    return _from_counts(units, counts.astype(np.float64), n_categories)


def breadth_by_group(
    group: IntArray, unit_ids: IntArray, n_groups: int, *, n_categories: int | None = None
) -> list[Breadth]:
    """Breadth of many initiatives at once: participant i is in initiative `group[i]`.

    Give each person once per initiative (deduplicate before calling).
    """
    group = np.asarray(group, dtype=np.int64)
    unit_ids = np.asarray(unit_ids, dtype=np.int64)
    if len(group) != len(unit_ids):
        raise ValueError("group and unit_ids must have the same length")
    if len(group) == 0:
        return [Breadth(0, 0, 0.0, None, 0.0, False) for _ in range(n_groups)]
    pairs, counts = np.unique(np.stack([group, unit_ids]), axis=1, return_counts=True)
    bounds = np.searchsorted(pairs[0], np.arange(n_groups + 1))
    return [
        _from_counts(
            pairs[1, bounds[g] : bounds[g + 1]],
            counts[bounds[g] : bounds[g + 1]].astype(np.float64),
            n_categories,
        )
        for g in range(n_groups)
    ]
