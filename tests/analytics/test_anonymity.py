"""Anonymity (design.md 4.2): no group under its threshold, nothing recoverable by subtraction."""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from execution2.analytics.anonymity import (
    COMPLEMENTARY,
    TOO_FEW,
    Group,
    Partition,
    disclose,
    filter_allowed,
)
from execution2.analytics.assessment.scoring import (
    ALL_INDEX,
    GROUP_NAMES,
    ORGANIZATION,
    SUBJECT,
    UNIT,
    CycleData,
    ScaleSpec,
    cycle_disclosure,
    score_cycle,
)

IDENTIFIED = {"self", "manager"}


def test_a_group_under_the_threshold_is_hidden_and_says_why() -> None:
    result = disclose([Group("a", "peer", 4), Group("b", "peer", 5)], [], {"peer": 5})
    assert result.shown == {"b"}
    assert result.hidden == {"a": TOO_FEW}


def test_no_threshold_goes_below_three() -> None:
    result = disclose([Group("a", "direct", 2), Group("b", "direct", 3)], [], {"direct": 1})
    assert result.shown == {"b"}


def test_hiding_one_part_hides_the_next_smallest_sibling() -> None:
    groups = [
        Group("unit", "all", 20),
        Group("small", "all", 2),
        Group("mid", "all", 6),
        Group("big", "all", 12),
    ]
    result = disclose(groups, [Partition("unit", ("small", "mid", "big"))], {"all": 5})
    assert result.hidden == {"small": TOO_FEW, "mid": COMPLEMENTARY}
    assert result.shown == {"unit", "big"}


def test_a_remainder_under_the_threshold_counts_as_a_hidden_piece() -> None:
    # 3 people sit directly in the unit: showing the one sub-unit would reveal them.
    groups = [Group("unit", "all", 10), Group("sub", "all", 7)]
    result = disclose(groups, [Partition("unit", ("sub",))], {"all": 5})
    assert result.shown == {"unit"}


def test_a_hidden_group_covered_by_shown_groups_below_it_is_protected_too() -> None:
    # U = A (2 people) + B (12 = B1 6 + B2 6). Hiding A hides B, but B1 + B2 would still give B
    # and so A = U - B1 - B2: one of B's parts must go as well.
    groups = [
        Group("U", "all", 14),
        Group("A", "all", 2),
        Group("B", "all", 12),
        Group("B1", "all", 6),
        Group("B2", "all", 6),
    ]
    partitions = [Partition("U", ("A", "B")), Partition("B", ("B1", "B2"))]
    result = disclose(groups, partitions, {"all": 5})
    assert "A" not in result.shown
    assert "B" not in result.shown
    assert not {"B1", "B2"} <= result.shown


def test_one_small_remainder_costs_only_the_smallest_sibling() -> None:
    # A unit of 99: its head alone (the remainder) and five teams with nothing below them.
    teams = dict(zip("abcde", [18, 18, 17, 23, 22], strict=True))
    groups = [Group("U", "all", 99), *(Group(k, "all", n) for k, n in teams.items())]
    partitions = [Partition("U", tuple(teams)), *(Partition(k, ()) for k in teams)]
    result = disclose(groups, partitions, {"all": 5})
    assert result.hidden == {"c": COMPLEMENTARY}


def test_a_whole_that_is_exactly_one_hidden_part_is_hidden_too() -> None:
    groups = [Group("unit", "all", 6), Group("manager", "all", 6), Group("other", "all", 2)]
    partitions = [Partition("unit", ("manager",)), Partition("x", ("manager", "other"))]
    groups.append(Group("x", "all", 8))
    result = disclose(groups, partitions, {"all": 5})
    assert "manager" not in result.shown
    assert "unit" not in result.shown


def test_identified_ratings_show_under_any_n() -> None:
    result = disclose([Group("m", "manager", 1)], [], {"manager": 5}, identified={"manager"})
    assert result.shown == {"m"}


def test_filters_close_to_a_shown_group_are_refused() -> None:
    shown = [set(range(10))]
    assert filter_allowed(set(range(20)), shown, 5)
    assert not filter_allowed(set(range(12)), shown, 5)  # differs by 2 people
    assert not filter_allowed(set(range(3)), [], 5)  # too small in itself
    assert filter_allowed(set(range(10)), shown, 5)  # the same group again


# --- property tests over random org charts and answers --------------------------------------


@st.composite
def cycles(draw: st.DrawFn) -> tuple[CycleData, int, int]:
    units = draw(st.integers(1, 7))
    parent = [-1] + [draw(st.integers(-1, u - 1)) for u in range(1, units)]
    subjects = draw(st.integers(0, 8))
    subject_unit = [draw(st.integers(0, units - 1)) for _ in range(subjects)]
    rows = draw(st.integers(0, 90))
    pulse = subjects == 0
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if pulse:
        subject = np.full(rows, -1)
        unit = rng.integers(0, units, rows)
        group = np.full(rows, 4)
    else:
        subject = rng.integers(0, subjects, rows)
        unit = np.array(subject_unit, dtype=np.int64)[subject] if rows else np.zeros(0)
        # Skewed towards direct reports, with a few self, manager and peer ratings.
        group = rng.choice(4, rows, p=[0.1, 0.1, 0.25, 0.55])
    answers = rng.integers(0, 6, (rows, 4)).astype(np.int8)
    data = CycleData(
        answers=answers,
        subject=subject.astype(np.int64),
        rater_group=group.astype(np.int8),
        unit=np.asarray(unit, dtype=np.int64),
        unit_parent=np.array(parent, dtype=np.int64),
        subject_unit=np.array(subject_unit, dtype=np.int64),
        scales=(ScaleSpec("a", (0, 1)), ScaleSpec("b", (2, 3))),
    )
    min_group = draw(st.integers(5, 8))
    min_direct = draw(st.integers(3, min_group))
    return data, min_group, min_direct


def _people(data: CycleData) -> dict[tuple[int, int, int], frozenset[int]]:
    """Each group's respondents, straight from the rows."""
    parent = data.unit_parent.tolist()

    def ancestors(unit: int) -> list[int]:
        chain = []
        while unit >= 0:
            chain.append(unit)
            unit = parent[unit]
        return chain

    sets: dict[tuple[int, int, int], set[int]] = {}
    for row in range(len(data.subject)):
        rg = int(data.rater_group[row])
        groups = [rg] if rg == 0 else [rg, ALL_INDEX]
        for g in groups:
            if data.subject[row] >= 0:
                sets.setdefault((SUBJECT, int(data.subject[row]), g), set()).add(row)
            for u in ancestors(int(data.unit[row])):
                sets.setdefault((UNIT, u, g), set()).add(row)
            sets.setdefault((ORGANIZATION, 0, g), set()).add(row)
    return {k: frozenset(v) for k, v in sets.items()}


def _natural_partitions(
    data: CycleData, keys: set[tuple[int, int, int]]
) -> list[tuple[tuple[int, int, int], list[tuple[int, int, int]]]]:
    """How the groups add up, written from the definitions (not from the code under test)."""
    out = []
    units = len(data.unit_parent)
    for key in keys:
        level, entity, g = key
        if g == ALL_INDEX:
            out.append(
                (key, [(level, entity, r) for r in range(1, 5) if (level, entity, r) in keys])
            )
        if level == UNIT:
            parts = [
                (SUBJECT, s, g) for s, u in enumerate(data.subject_unit.tolist()) if u == entity
            ]
            parts += [(UNIT, c, g) for c in range(units) if data.unit_parent[c] == entity]
            out.append((key, [p for p in parts if p in keys]))
        if level == ORGANIZATION:
            tops = [(UNIT, c, g) for c in range(units) if data.unit_parent[c] < 0]
            out.append((key, [p for p in tops if p in keys]))
    return out


@settings(max_examples=150, deadline=None)
@given(cycles())
def test_no_output_shows_a_small_group_or_a_value_recoverable_by_subtraction(
    case: tuple[CycleData, int, int],
) -> None:
    data, min_group, min_direct = case
    scores = score_cycle(data)
    disclosure = cycle_disclosure(scores, min_group=min_group, min_direct_reports=min_direct)
    people = _people(data)
    keys = set(scores.keys())
    assert keys == set(people)
    threshold = {"peer": min_group, "direct": min_direct, "member": min_group, "all": min_group}

    def k(key: tuple[int, int, int]) -> int:
        return threshold.get(GROUP_NAMES[key[2]], 1)

    shown = {key for key in keys if disclosure.is_shown(key)}
    for key in shown:
        assert len(people[key]) >= k(key), f"{key} shows {len(people[key])} people"
    partitions = _natural_partitions(data, keys)
    by_whole: dict[Hashable, list[list[tuple[int, int, int]]]] = {}
    for whole, parts in partitions:
        by_whole.setdefault(whole, []).append(parts)

    def uncovered(key: tuple[int, int, int]) -> frozenset[int]:
        """The fewest people of a hidden group an attacker can't subtract away."""
        best = people[key]
        for parts in by_whole.get(key, []):
            left = set(people[key])
            for part in parts:
                left -= people[part]
            rest = set(left)
            for part in parts:
                if part not in shown:
                    rest |= uncovered(part)
            if len(rest) < len(best):
                best = frozenset(rest)
        return best

    for whole, parts in partitions:
        if whole not in shown:
            continue
        left = set(people[whole])
        for part in parts:
            if part in shown:
                left -= people[part]
            else:
                left -= people[part] - uncovered(part)
        assert not left or len(left) >= k(whole), (
            f"{whole} minus shown groups leaves {len(left)} people"
        )
        hidden_parts = [p for p in parts if p not in shown]
        remainder = people[whole] - frozenset().union(*(people[p] for p in parts))
        pieces = len(hidden_parts) + (1 if remainder else 0)
        shown_parts = [p for p in parts if p in shown]
        if shown_parts:
            assert pieces != 1, f"{whole}: one hidden piece could be recovered exactly"
        else:
            assert not (len(hidden_parts) == 1 and not remainder), f"{whole} equals a hidden part"


@settings(max_examples=60, deadline=None)
@given(cycles(), st.data())
def test_filtering_the_shown_groups_never_reveals_a_hidden_one(
    case: tuple[CycleData, int, int], data: st.DataObject
) -> None:
    cycle, min_group, min_direct = case
    scores = score_cycle(cycle)
    disclosure = cycle_disclosure(scores, min_group=min_group, min_direct_reports=min_direct)
    people = _people(cycle)
    shown_sets = [people[key] for key in people if disclosure.is_shown(key)]
    rows = len(cycle.subject)
    members = data.draw(st.sets(st.integers(0, max(rows - 1, 0)), max_size=rows))
    if filter_allowed(members, shown_sets, min_group):
        assert len(members) >= min_group
        for other in shown_sets:
            assert len(members - other) in {0} or len(members - other) >= min_group
            assert len(other - members) in {0} or len(other - members) >= min_group
