"""Anonymity of grouped results: which groups may be shown (design.md 4.2), decided here only.

Every output of grouped answers (pages, command line, exports, the API, the PDF) passes its
groups through `disclose` and shows a value only for a key in `Disclosure.shown`.

The input describes the groups and how they add up, nothing about what is shown:

- `Group(key, kind, n)`: any hashable key, a kind that picks the threshold, the number of
  distinct people in the group.
- `Partition(whole, parts)`: the parts are disjoint sub-groups of `whole` (a unit split into its
  sub-units and its own managers; a manager's overall result split into rater groups). The
  parts need not cover the whole: the people left over form an unlisted remainder, which is
  never shown. A group may be the whole of several partitions and a part of several (a unit's
  peer group is part of the unit's overall result and part of its parent unit's peer group).
- `thresholds`: the minimum n per kind. Every kind gets at least `floor` (3), except the kinds
  listed in `identified` (self and manager ratings, shown as such under any n).

The rules, applied until nothing changes:

1. A group with fewer than its threshold is hidden ("too few").
2. Complementary suppression. For a shown whole with shown parts, its hidden pieces (hidden
   parts and the remainder) must be none, or at least two whose people add up to the whole's
   threshold; otherwise one hidden piece could be recovered by subtracting the shown parts from
   the whole, and the smallest shown part is hidden too. A shown whole with no shown part is
   hidden when it is exactly one hidden part.
3. A hidden whole whose parts are all shown (and some not identified) would be their sum: its
   smallest shown part is hidden.
4. Across levels: the people of a shown whole not covered by shown groups found by descending
   through hidden parts (a hidden unit may be mostly covered by its shown sub-units) must be
   none or at least the whole's threshold; otherwise the smallest covering group is hidden.

Because the same groups and partitions give the same result, a filter is just a choice of which
shown groups to print; `filter_allowed` refuses ad-hoc filters (sets of people) that differ by
fewer than k people from a group already shown.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field

FLOOR = 3
TOO_FEW = "too few"
COMPLEMENTARY = "complementary"


@dataclass(frozen=True, slots=True)
class Group:
    key: Hashable
    kind: str
    n: int


@dataclass(frozen=True, slots=True)
class Partition:
    whole: Hashable
    parts: tuple[Hashable, ...]


@dataclass(frozen=True, slots=True)
class Disclosure:
    shown: frozenset[Hashable]
    hidden: Mapping[Hashable, str] = field(default_factory=dict)
    """Key -> why it is hidden: "too few" or "complementary"."""
    thresholds: Mapping[str, int] = field(default_factory=dict)

    def is_shown(self, key: Hashable) -> bool:
        return key in self.shown


def effective_thresholds(
    thresholds: Mapping[str, int], *, identified: Collection[str] = (), floor: int = FLOOR
) -> dict[str, int]:
    out = {kind: max(int(k), floor) for kind, k in thresholds.items()}
    for kind in identified:
        out[kind] = 1
    return out


def disclose(
    groups: Iterable[Group],
    partitions: Iterable[Partition],
    thresholds: Mapping[str, int],
    *,
    identified: Collection[str] = (),
    floor: int = FLOOR,
    default_threshold: int | None = None,
) -> Disclosure:
    """Decide which groups may be shown; see the module docstring for the rules."""
    limits = effective_thresholds(thresholds, identified=identified, floor=floor)
    fallback = max(default_threshold if default_threshold is not None else floor, floor)
    by_key: dict[Hashable, Group] = {}
    for group in groups:
        if group.key in by_key:
            raise ValueError(f"group {group.key!r} is given twice")
        by_key[group.key] = group
    identified_kinds = frozenset(identified)

    def limit(group: Group) -> int:
        return limits.get(group.kind, fallback)

    hidden: dict[Hashable, str] = {}
    for key, group in by_key.items():
        if group.n < limit(group) or group.n <= 0:
            hidden[key] = TOO_FEW
    plist: list[Partition] = []
    touching: dict[Hashable, list[int]] = {}
    for partition in partitions:
        keys = (partition.whole, *partition.parts)
        missing = [k for k in keys if k not in by_key]
        if missing:
            raise ValueError(f"partition of {partition.whole!r} names unknown groups {missing!r}")
        index = len(plist)
        plist.append(partition)
        for key in keys:
            touching.setdefault(key, []).append(index)

    def hide(key: Hashable, queue: list[int]) -> None:
        if key not in hidden:
            hidden[key] = COMPLEMENTARY
            queue.extend(touching.get(key, ()))

    def settle(queue: list[int]) -> None:
        """Rules 2 and 3 over the partitions in `queue`, until nothing changes."""
        while queue:
            index = queue.pop()
            partition = plist[index]
            whole = by_key[partition.whole]
            parts = [by_key[k] for k in partition.parts if by_key[k].n > 0]
            remainder = whole.n - sum(p.n for p in parts)
            hidden_parts = [p for p in parts if p.key in hidden]
            shown_parts = [p for p in parts if p.key not in hidden]
            pieces = len(hidden_parts) + (1 if remainder > 0 else 0)
            mass = sum(p.n for p in hidden_parts) + max(remainder, 0)
            if whole.key not in hidden:
                if pieces == 0:
                    continue
                if not shown_parts:
                    # Nothing to subtract: the whole only gives away a hidden part when it is
                    # exactly that one part.
                    if pieces == 1 and remainder <= 0:
                        hide(whole.key, queue)
                    continue
                if pieces >= 2 and mass >= limit(whole):
                    continue
                smallest = min(shown_parts, key=lambda p: (p.n, str(p.key)))
                hide(smallest.key, queue)
                queue.append(index)  # check this partition again with the part hidden
            elif pieces == 0 and whole.n > 0 and shown_parts:
                if all(p.kind in identified_kinds for p in shown_parts):
                    continue
                smallest = min(shown_parts, key=lambda p: (p.n, str(p.key)))
                hide(smallest.key, queue)

    wholes: dict[Hashable, list[int]] = {}
    for index, partition in enumerate(plist):
        wholes.setdefault(partition.whole, []).append(index)

    def residual(
        key: Hashable, memo: dict[Hashable, tuple[int, Group | None]]
    ) -> tuple[int, Group | None]:
        """People of a hidden group not covered by shown groups below it, at the least; and the
        smallest shown group that covered some of them."""
        if key in memo:
            return memo[key]
        best: tuple[int, Group | None] = (by_key[key].n, None)
        for index in wholes.get(key, ()):
            mass, helper = through(plist[index], memo)
            if mass < best[0]:
                best = (mass, helper)
        memo[key] = best
        return best

    def through(
        partition: Partition, memo: dict[Hashable, tuple[int, Group | None]]
    ) -> tuple[int, Group | None]:
        parts = [by_key[k] for k in partition.parts if by_key[k].n > 0]
        mass = max(by_key[partition.whole].n - sum(p.n for p in parts), 0)
        helper: Group | None = None
        for part in parts:
            if part.key in hidden:
                part_mass, part_helper = residual(part.key, memo)
                mass += part_mass
                candidate = part_helper
            else:
                candidate = part
            if candidate is not None and (helper is None or candidate.n < helper.n):
                helper = candidate
        return mass, helper

    # Rule 2 across levels: subtracting shown groups at any depth below a shown whole must leave
    # nobody or at least k people (a hidden part may itself be mostly covered by shown groups).
    settle(list(range(len(plist))))
    for _ in range(len(by_key) + 1):
        memo: dict[Hashable, tuple[int, Group | None]] = {}
        queue: list[int] = []
        for partition in plist:
            whole = by_key[partition.whole]
            while whole.key not in hidden:
                mass, helper = through(partition, memo)
                if not 0 < mass < limit(whole):
                    break
                hide(helper.key if helper is not None else whole.key, queue)
                memo.clear()  # residuals changed with what was just hidden
        if not queue:
            break
        settle(queue)
    shown = frozenset(k for k in by_key if k not in hidden)
    return Disclosure(shown=shown, hidden=hidden, thresholds=limits)


def filter_allowed(
    members: Collection[Hashable], shown: Iterable[Collection[Hashable]], threshold: int
) -> bool:
    """May a group of these people be shown beside groups already shown?

    Refused when it has fewer than `threshold` people, or differs from a shown group by at least
    one and fewer than `threshold` people (one more filter would isolate them).
    """
    threshold = max(threshold, FLOOR)
    candidate = frozenset(members)
    if len(candidate) < threshold:
        return False
    for other in shown:
        other_set = frozenset(other)
        for difference in (candidate - other_set, other_set - candidate):
            if 0 < len(difference) < threshold:
                return False
    return True
