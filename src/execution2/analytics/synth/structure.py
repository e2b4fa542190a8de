"""The shape of the company: functions, units and the reporting tree.

The tree is built top-down from head counts, so the total is exact: every manager is given the
number of people in their subtree and divides it among direct reports, who are either individual
contributors or managers of smaller subtrees. Three rules keep the shape realistic:

- a manager has 3 to 12 direct reports (the only exceptions are functions too small to staff,
  in companies of a few dozen people);
- a subtree never holds more people than the levels left below it can hold with spans of 12,
  which caps the depth at 7 levels up to several hundred thousand people;
- where the levels left are few for the people below, spans widen (the "depth pressure"), so a
  300,000-person company gets wider spans throughout instead of overloaded first-line teams.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from execution2.analytics.synth.catalog import (
    CORE_FUNCTIONS,
    EXECUTIVE_OFFICE,
    OPTIONAL_FUNCTIONS,
    STAFF_ROLES,
    FunctionSpec,
    UnitSpec,
)
from execution2.analytics.synth.random import ScalarDraws, cumulative

MIN_SPAN = 3
MAX_SPAN = 12
SPAN_VALUES = tuple(range(MIN_SPAN, MAX_SPAN + 1))
# Preferred spans before depth pressure: a broad hump around 6-7, as HR benchmarks report.
SPAN_CUMULATIVE = cumulative((3, 7, 11, 14, 15, 13, 11, 9, 7, 6))
# Individual contributors reporting straight to a middle manager (staff, specialists).
STAFF_CUMULATIVE = cumulative((55, 28, 12, 5))
# A team this small always stays one team; a bigger one under 12 sometimes gets sub-teams.
SPLIT_TEAM_FROM = 10
SPLIT_TEAM_PROBABILITY = 0.3
# Manager-led subtrees hold at least MIN_SPAN reports, and preferably about this many people,
# so that first-line teams do not all come out at the minimum.
PREFERRED_SUBTREE = 7
# A team below a sub-unit head becomes a named unit of its own ("Platform / Reliability")
# once it is this large.
SUB_SUB_UNIT_MIN = 25
# The depth budget: as many levels as the largest function needs with spans of this size,
# but no more than MAX_LEVEL unless even spans of MAX_SPAN could not hold it.
COMFORTABLE_SPAN = 9
MAX_LEVEL = 6


@dataclass(frozen=True, slots=True)
class Unit:
    path: str
    name: str
    depth: int
    function: int
    """Index into OrgTree.functions; -1 for the Executive Office."""
    region: str | None
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FunctionPlan:
    spec: FunctionSpec
    headcount: int
    """People in the function, its head included."""
    sub_units: tuple[UnitSpec, ...]
    """In the order they are staffed: the first gets the largest team."""


@dataclass(frozen=True, slots=True)
class OrgTree:
    """One row per person, in level order (the chief executive is row 0)."""

    parent: npt.NDArray[np.int64]
    level: npt.NDArray[np.int64]
    unit: npt.NDArray[np.int64]
    size: npt.NDArray[np.int64]
    """People in the person's subtree, themselves included: 1 for individual contributors."""
    unit_head: npt.NDArray[np.bool_]
    """Whether the person leads their unit (its top manager)."""
    units: tuple[Unit, ...]
    functions: tuple[FunctionPlan, ...]


def capacity(levels_below: int, span: int = MAX_SPAN) -> int:
    """The most people a subtree can hold with spans of at most `span`."""
    return int((span ** (levels_below + 1) - 1) // (span - 1))


def max_level(largest_function: int) -> int:
    """The deepest level (chief executive = 0) the tree may use."""
    below_head = 1
    while capacity(below_head, COMFORTABLE_SPAN) < largest_function:
        below_head += 1
    deepest = min(1 + below_head, MAX_LEVEL)
    while capacity(deepest - 1) < largest_function:
        deepest += 1
    return deepest


def plan_functions(rng: np.random.Generator, people: int) -> tuple[FunctionPlan, ...]:
    """8 to 12 functions (more for bigger companies) and their head counts."""
    extra = math.floor((math.log10(people) - 1.7) * 1.3 + rng.random())
    extra = min(max(extra, 0), len(OPTIONAL_FUNCTIONS))
    optional_weights = np.array([f.weight for f in OPTIONAL_FUNCTIONS])
    picked = rng.choice(
        len(OPTIONAL_FUNCTIONS),
        size=extra,
        replace=False,
        p=optional_weights / optional_weights.sum(),
    )
    specs = [*CORE_FUNCTIONS, *(OPTIONAL_FUNCTIONS[int(i)] for i in sorted(picked))]
    weights = np.array([f.weight for f in specs]) * rng.lognormal(0.0, 0.2, size=len(specs))

    below = people - 1 - len(specs)
    if below < 0:
        raise ValueError(f"{people} people cannot staff {len(specs)} functions")
    floor = min(MIN_SPAN, below // len(specs))
    counts = floor + _largest_remainder(below - floor * len(specs), weights)

    plans = []
    for spec, count in zip(specs, counts.tolist(), strict=True):
        unit_weights = np.array([u.weight for u in spec.units])
        unit_weights = unit_weights * rng.lognormal(0.0, 0.35, size=len(spec.units))
        order = np.argsort(-unit_weights, kind="stable")
        sub_units = tuple(spec.units[int(i)] for i in order)
        plans.append(FunctionPlan(spec=spec, headcount=1 + count, sub_units=sub_units))
    return tuple(plans)


def _largest_remainder(total: int, weights: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    exact: npt.NDArray[np.float64] = total * weights / weights.sum()
    counts = np.floor(exact).astype(np.int64)
    short = total - int(counts.sum())
    counts[np.argsort(-(exact - counts), kind="stable")[:short]] += 1
    return counts


def build_tree(rng: np.random.Generator, functions: tuple[FunctionPlan, ...]) -> OrgTree:
    """The reporting tree and units for the planned functions, breadth-first from the top."""
    draws = ScalarDraws(rng)
    people = 1 + sum(f.headcount for f in functions)
    deepest = max_level(max(f.headcount for f in functions))

    units: list[Unit] = [Unit(EXECUTIVE_OFFICE, EXECUTIVE_OFFICE, 1, -1, None, ())]
    unit_ids: dict[str, int] = {EXECUTIVE_OFFICE: 0}
    sub_unit_spec: dict[int, UnitSpec] = {}

    def child_unit(parent_unit: int, name: str, spec: UnitSpec | None = None) -> int:
        above = units[parent_unit]
        path = f"{above.path} / {name}"
        found = unit_ids.get(path)
        if found is not None:
            return found
        region = spec.region if spec is not None else above.region
        roles = spec.roles if spec is not None else above.roles
        units.append(Unit(path, name, above.depth + 1, above.function, region, roles))
        unit_ids[path] = len(units) - 1
        if spec is not None:
            sub_unit_spec[len(units) - 1] = spec
        return len(units) - 1

    parent = [-1]
    level = [0]
    unit = [0]
    size = [people]
    head = [True]
    for index, plan in enumerate(functions):
        units.append(Unit(plan.spec.name, plan.spec.name, 1, index, None, STAFF_ROLES))
        unit_ids[plan.spec.name] = len(units) - 1
        parent.append(0)
        level.append(1)
        unit.append(len(units) - 1)
        size.append(plan.headcount)
        head.append(True)

    row = 1
    while row < len(size):
        below = size[row] - 1
        if below:
            lv = level[row]
            own = unit[row]
            plan = functions[units[own].function]
            max_managers = len(plan.sub_units) if lv == 1 else MAX_SPAN
            managers, staff = split_reports(below, deepest - lv, draws, max_managers)
            manager_units = [own] * len(managers)
            manager_heads = [False] * len(managers)
            staff_units = [own] * staff
            if lv == 1:
                # Each manager-led team of a function head is a sub-unit, the largest team
                # the largest sub-unit; a head with no managers spreads people over a few.
                for j in range(min(len(managers), len(plan.sub_units))):
                    manager_units[j] = child_unit(own, plan.sub_units[j].name, plan.sub_units[j])
                    manager_heads[j] = True
                if not managers:
                    used = min(len(plan.sub_units), max(1, math.ceil(staff / 3)))
                    staff_units = [
                        child_unit(own, plan.sub_units[j % used].name, plan.sub_units[j % used])
                        for j in range(staff)
                    ]
            elif head[row] and own in sub_unit_spec:
                # Shuffled so that seeds differ in which teams a sub-unit has.
                names = list(sub_unit_spec[own].children)
                _shuffle(names, draws)
                next_name = 0
                for j, team in enumerate(managers):
                    if team >= SUB_SUB_UNIT_MIN and next_name < len(names):
                        manager_units[j] = child_unit(own, names[next_name])
                        manager_heads[j] = True
                        next_name += 1
            for team, team_unit, team_head in zip(
                managers, manager_units, manager_heads, strict=True
            ):
                parent.append(row)
                level.append(lv + 1)
                unit.append(team_unit)
                size.append(team)
                head.append(team_head)
            parent.extend([row] * staff)
            level.extend([lv + 1] * staff)
            unit.extend(staff_units)
            size.extend([1] * staff)
            head.extend([False] * staff)
        row += 1

    return OrgTree(
        parent=np.array(parent, dtype=np.int64),
        level=np.array(level, dtype=np.int64),
        unit=np.array(unit, dtype=np.int64),
        size=np.array(size, dtype=np.int64),
        unit_head=np.array(head, dtype=np.bool_),
        units=tuple(units),
        functions=functions,
    )


def split_reports(
    below: int, levels_below: int, draws: ScalarDraws, max_managers: int = MAX_SPAN
) -> tuple[list[int], int]:
    """Divide the `below` people under a manager into direct reports.

    Returns the sizes of the manager-led subtrees (largest first) and the number of individual
    contributors reporting directly. `levels_below` counts the levels the subtree may still use.
    """
    if below <= 0:
        return [], 0
    if levels_below <= 1:
        return [], below
    if below <= MAX_SPAN and (below < SPLIT_TEAM_FROM or draws.uniform() >= SPLIT_TEAM_PROBABILITY):
        return [], below
    cap = capacity(levels_below - 1)
    pressure = math.ceil(below ** (1.0 / levels_below) - 1e-9)
    preferred = SPAN_VALUES[draws.pick(SPAN_CUMULATIVE)]
    span = max(preferred, pressure)
    staff_target = draws.pick(STAFF_CUMULATIVE)
    shape = _shape(below, span, staff_target, cap, max_managers)
    if shape is None:
        shape = _shape(below, span, staff_target, cap, MAX_SPAN)
    if shape is None:
        return [], below
    managers, staff = shape
    # Under depth pressure, a lopsided split would overload the bigger teams further down.
    skewed = pressure < preferred
    return _divide(below - staff, managers, cap, draws, skewed=skewed), staff


def _shape(
    below: int, span: int, staff_target: int, cap: int, max_managers: int
) -> tuple[int, int] | None:
    """(manager-led teams, direct individual contributors) closest to the wanted span."""
    order = [*range(staff_target, -1, -1), *range(staff_target + 1, MAX_SPAN + 1)]
    for staff in order:
        rest = below - staff
        if rest < 0:
            continue
        if rest == 0:
            if MIN_SPAN <= staff <= MAX_SPAN:
                return 0, staff
            continue
        low = max(-(-rest // cap), MIN_SPAN - staff, 1)
        high = min(MAX_SPAN - staff, rest // (MIN_SPAN + 1), max_managers)
        if low > high:
            continue
        preferred_high = max(low, min(high, rest // PREFERRED_SUBTREE))
        return min(max(span - staff, low), preferred_high), staff
    return None


def _divide(total: int, teams: int, cap: int, draws: ScalarDraws, *, skewed: bool) -> list[int]:
    """Split `total` people into `teams` subtrees of MIN_SPAN + 1 to `cap` people."""
    if teams == 0:
        return []
    spare = total - teams * (MIN_SPAN + 1)
    if skewed:
        weights = [draws.gamma2() for _ in range(teams)]
    else:
        weights = [0.8 + 0.4 * draws.uniform() for _ in range(teams)]
    scale = spare / sum(weights)
    sizes = [MIN_SPAN + 1 + int(w * scale) for w in weights]
    for j in range(total - sum(sizes)):
        sizes[j % teams] += 1
    overflow = sum(max(0, s - cap) for s in sizes)
    if overflow:
        sizes = [min(s, cap) for s in sizes]
        for j in range(teams):
            moved = min(cap - sizes[j], overflow)
            sizes[j] += moved
            overflow -= moved
    sizes.sort(reverse=True)
    return sizes


def _shuffle(items: list[str], draws: ScalarDraws) -> None:
    for i in range(len(items) - 1, 0, -1):
        j = draws.below(i + 1)
        items[i], items[j] = items[j], items[i]
