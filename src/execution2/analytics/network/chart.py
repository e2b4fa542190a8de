"""The organization chart and the tie list as the network analysis sees them: numpy arrays.

People are nodes `0..n-1`, in ascending order of their database id; units are indices into
the chart's unit arrays. Ties come from directed interaction counts between database ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

DEFAULT_MIN_INTERACTIONS = 2


@dataclass(frozen=True)
class OrgChart:
    """Who sat in which unit under whom on one day."""

    person_ids: IntArray
    """Database ids of the people in the chart, ascending."""
    unit: IntArray
    """Unit index of each person."""
    manager: IntArray
    """Person index of each person's manager; -1 for the top or a manager outside the chart."""
    unit_ids: IntArray
    unit_parent: IntArray
    """Unit index of each unit's parent; -1 at the top level."""
    unit_paths: tuple[str, ...]

    def __post_init__(self) -> None:
        n, k = len(self.person_ids), len(self.unit_ids)
        if not (len(self.unit) == len(self.manager) == n):
            raise ValueError("person arrays differ in length")
        if len(self.unit_parent) != k or len(self.unit_paths) != k:
            raise ValueError("unit arrays differ in length")
        if n > 1 and np.any(np.diff(self.person_ids) <= 0):
            raise ValueError("person_ids must be strictly ascending")

    @property
    def n(self) -> int:
        return len(self.person_ids)

    @property
    def unit_count(self) -> int:
        return len(self.unit_ids)

    @cached_property
    def unit_depth(self) -> IntArray:
        depth = np.zeros(self.unit_count, dtype=np.int64)
        parent = self.unit_parent.copy()
        while np.any(parent >= 0):
            has = parent >= 0
            depth[has] += 1
            parent[has] = self.unit_parent[parent[has]]
        return depth

    @cached_property
    def unit_ancestors(self) -> IntArray:
        """`[d, u]`: the ancestor at depth d of unit u (itself at its own depth), or -1."""
        depth = self.unit_depth
        levels = int(depth.max()) + 1 if self.unit_count else 0
        table = np.full((levels, self.unit_count), -1, dtype=np.int64)
        current = np.arange(self.unit_count, dtype=np.int64)
        current_depth = depth.copy()
        while True:
            valid = current >= 0
            if not np.any(valid):
                break
            table[current_depth[valid], np.nonzero(valid)[0]] = current[valid]
            nxt = np.where(valid, self.unit_parent[np.maximum(current, 0)], -1)
            current = np.where(valid, nxt, -1)
            current_depth = current_depth - 1
        return table

    def people_ancestors(self) -> IntArray:
        """`[d, i]`: the unit at depth d that person i sits in or under, or -1."""
        return self.unit_ancestors[:, self.unit]

    def unit_index(self, unit_id: int) -> int | None:
        found = np.nonzero(self.unit_ids == unit_id)[0]
        return int(found[0]) if len(found) else None

    def subtree_people(self, unit_index: int) -> BoolArray:
        """People in the unit or any unit below it."""
        depth = int(self.unit_depth[unit_index])
        return np.asarray(self.people_ancestors()[depth] == unit_index)

    def executive_team(self) -> IntArray:
        """The people at the top (no manager) and their direct reports."""
        top = np.nonzero(self.manager < 0)[0]
        reports = np.nonzero(np.isin(self.manager, top))[0]
        return np.unique(np.concatenate([top, reports])).astype(np.int64)

    def partition(self, level: int | None = None) -> IntArray:
        """A group label per person: their own unit, or their unit's ancestor at `level`."""
        if level is None:
            return self.unit.copy()
        ancestors = self.unit_ancestors
        level = min(level, len(ancestors) - 1)
        rolled = ancestors[level][self.unit]
        return np.where(rolled >= 0, rolled, self.unit)


@dataclass(frozen=True)
class Ties:
    """Undirected ties between chart people (`u < v`), with their interaction counts."""

    n: int
    u: IntArray
    v: IntArray
    interactions: IntArray
    """Interactions in both directions together."""
    arcs: IntArray
    """How many directions were used: 1 (one-way) or 2 (both ways)."""

    @property
    def count(self) -> int:
        return len(self.u)

    def restrict(self, keep: BoolArray) -> tuple[Ties, IntArray]:
        """The ties among the kept nodes, renumbered; also the old index of each new node."""
        old = np.nonzero(keep)[0].astype(np.int64)
        new_of = np.full(self.n, -1, dtype=np.int64)
        new_of[old] = np.arange(len(old))
        inside = keep[self.u] & keep[self.v]
        return (
            Ties(
                n=len(old),
                u=new_of[self.u[inside]],
                v=new_of[self.v[inside]],
                interactions=self.interactions[inside],
                arcs=self.arcs[inside],
            ),
            old,
        )


def ties_from_pairs(
    person_ids: IntArray,
    senders: IntArray,
    recipients: IntArray,
    counts: IntArray,
    min_interactions: int = DEFAULT_MIN_INTERACTIONS,
) -> Ties:
    """Ties from directed interaction counts between database ids.

    Pairs with someone outside `person_ids`, and self-addressed ones, are left out. A pair is
    a tie when its interactions in both directions add up to at least `min_interactions`.
    """
    n = len(person_ids)
    empty = np.zeros(0, dtype=np.int64)
    if n == 0 or len(senders) == 0:
        return Ties(n, empty, empty, empty, empty)
    s, r = index_of(person_ids, senders), index_of(person_ids, recipients)
    known = (s >= 0) & (r >= 0) & (s != r)
    s, r, c = s[known], r[known], counts[known].astype(np.int64)
    if len(s) == 0:
        return Ties(n, empty, empty, empty, empty)
    low, high = np.minimum(s, r), np.maximum(s, r)
    key = low * n + high
    # Directed pairs may repeat (e.g. counts per channel): sum them per direction first.
    # (Sorting and reduceat: numpy's hash-based unique is far slower on millions of keys.)
    directed_key = key * 2 + (s > r)
    order = np.argsort(directed_key, kind="stable")
    directed_key, c = directed_key[order], c[order]
    firsts = np.flatnonzero(np.r_[True, directed_key[1:] != directed_key[:-1]])
    directed_counts = np.add.reduceat(c, firsts)
    pair_key = directed_key[firsts] // 2
    pair_firsts = np.flatnonzero(np.r_[True, pair_key[1:] != pair_key[:-1]])
    interactions = np.add.reduceat(directed_counts, pair_firsts)
    arcs = np.diff(np.r_[pair_firsts, len(pair_key)]).astype(np.int64)
    pairs = pair_key[pair_firsts]
    keep = interactions >= min_interactions
    pairs = pairs[keep]
    return Ties(
        n=n,
        u=(pairs // n).astype(np.int64),
        v=(pairs % n).astype(np.int64),
        interactions=interactions[keep],
        arcs=arcs[keep],
    )


LOOKUP_TABLE_LIMIT = 1 << 26


def index_of(person_ids: IntArray, ids: IntArray) -> IntArray:
    """The node index of each database id (-1 for ids outside the chart).

    A direct lookup table when ids are small enough (far faster than a binary search over
    millions of ids), a binary search otherwise.
    """
    ids = np.asarray(ids, dtype=np.int64)
    if len(person_ids) == 0:
        return np.full(len(ids), -1, dtype=np.int64)
    top = int(person_ids[-1])
    if int(person_ids[0]) >= 0 and top < LOOKUP_TABLE_LIMIT:
        table = np.full(top + 1, -1, dtype=np.int64)
        table[person_ids] = np.arange(len(person_ids), dtype=np.int64)
        inside = (ids >= 0) & (ids <= top)
        return np.where(inside, table[np.where(inside, ids, 0)], -1)
    position = np.minimum(np.searchsorted(person_ids, ids), len(person_ids) - 1)
    return np.where(person_ids[position] == ids, position, -1).astype(np.int64)


def ties_from_undirected(
    person_ids: IntArray,
    low: IntArray,
    high: IntArray,
    interactions: IntArray,
    arcs: IntArray,
    min_interactions: int = DEFAULT_MIN_INTERACTIONS,
) -> Ties:
    """Ties from pairs already summed per unordered pair (`low` < `high`, database ids).

    `arcs` is how many directions the pair used (1 or 2). Pairs with someone outside the
    chart, or below `min_interactions`, are left out.
    """
    n = len(person_ids)
    u, v = index_of(person_ids, low), index_of(person_ids, high)
    keep = (u >= 0) & (v >= 0) & (u != v) & (np.asarray(interactions) >= min_interactions)
    u, v = u[keep], v[keep]
    swap = u > v
    return Ties(
        n=n,
        u=np.where(swap, v, u).astype(np.int64),
        v=np.where(swap, u, v).astype(np.int64),
        interactions=np.asarray(interactions, dtype=np.int64)[keep],
        arcs=np.asarray(arcs, dtype=np.int64)[keep],
    )
