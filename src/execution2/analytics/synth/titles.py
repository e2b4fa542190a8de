"""Job titles from a person's place in the tree: level, unit, team size and tenure."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from execution2.analytics.synth.catalog import CEO_TITLE, FunctionSpec
from execution2.analytics.synth.structure import OrgTree, Unit

# How strongly tenure decides seniority among individual contributors (the rest is chance:
# people are hired senior, or promoted fast).
TENURE_SENIORITY_WEIGHT = 0.6
# Earlier roles in a unit's list are the more common ones: index = floor(count * u ** skew).
ROLE_SKEW = 1.6


def manager_title(function: FunctionSpec, unit: Unit, *, leads_unit: bool, team: int) -> str:
    """A manager's title from the unit they are in and how many people they lead (`team`)."""
    name = unit.name
    if leads_unit and unit.depth == 2:
        if team >= 800:
            return function.vp_title.format(unit=name)
        if team >= 80:
            return f"Director, {name}"
        if team >= 25:
            return f"Head of {name}"
    elif leads_unit and unit.depth >= 3:
        if team >= 300:
            return f"Senior Director, {name}"
        if team >= 60:
            return f"Director, {name}"
        if team >= 20:
            return f"Senior Manager, {name}"
    else:
        if team >= 150:
            return f"Director, {name}"
        if team >= 40:
            return f"Senior Manager, {name}"
        if team >= 14:
            return f"Manager, {name}"
    return function.lead_title.format(unit=name)


def assign_titles(
    rng: np.random.Generator, tree: OrgTree, tenure_days: npt.NDArray[np.int64]
) -> list[str]:
    """A title per person in tree order."""
    n = len(tree.parent)
    titles = np.empty(n, dtype=object)
    titles[0] = CEO_TITLE
    specs = [plan.spec for plan in tree.functions]
    unit_function = np.array([u.function for u in tree.units], dtype=np.int64)

    managers = np.flatnonzero((tree.size > 1) | (tree.level <= 1))
    for row, lv, unit_index, leads, team in zip(
        managers.tolist(),
        tree.level[managers].tolist(),
        tree.unit[managers].tolist(),
        tree.unit_head[managers].tolist(),
        tree.size[managers].tolist(),
        strict=True,
    ):
        if lv == 0:
            continue
        unit = tree.units[unit_index]
        spec = specs[unit.function]
        if lv == 1:
            titles[row] = spec.head_title
        else:
            titles[row] = manager_title(spec, unit, leads_unit=leads, team=team - 1)

    ics = np.flatnonzero((tree.size == 1) & (tree.level >= 2))
    if len(ics):
        titles[ics] = _individual_titles(rng, tree, specs, unit_function, ics, tenure_days[ics])
    return titles.tolist()


def _individual_titles(
    rng: np.random.Generator,
    tree: OrgTree,
    specs: list[FunctionSpec],
    unit_function: npt.NDArray[np.int64],
    rows: npt.NDArray[np.intp],
    tenure_days: npt.NDArray[np.int64],
) -> npt.NDArray[np.object_]:
    # All units' roles in one table, so a role is drawn for everyone in one vectorised step.
    role_table: list[str] = []
    offsets = np.zeros(len(tree.units), dtype=np.int64)
    counts = np.zeros(len(tree.units), dtype=np.int64)
    for index, unit in enumerate(tree.units):
        offsets[index] = len(role_table)
        counts[index] = len(unit.roles)
        role_table.extend(unit.roles)
    fixed = np.array([r.startswith("=") for r in role_table], dtype=np.bool_)
    role_text = np.array([r.lstrip("=") for r in role_table], dtype=object)

    units = tree.unit[rows]
    pick = np.floor(counts[units] * rng.random(len(rows)) ** ROLE_SKEW).astype(np.int64)
    role = offsets[units] + np.minimum(pick, counts[units] - 1)

    # Seniority: mostly by tenure rank, the rest chance, then cut by the function's ladder.
    tenure_rank = _uniform_rank(tenure_days.astype(np.float64))
    mixed = TENURE_SENIORITY_WEIGHT * tenure_rank + (1 - TENURE_SENIORITY_WEIGHT) * rng.random(
        len(rows)
    )
    score = _uniform_rank(mixed)
    prefix = np.empty(len(rows), dtype=object)
    functions = unit_function[units]
    for index, spec in enumerate(specs):
        mask = functions == index
        if not mask.any():
            continue
        names = np.array([p for p, _ in spec.ladder], dtype=object)
        bounds = np.cumsum([w for _, w in spec.ladder])
        step = np.searchsorted(bounds / bounds[-1], score[mask], side="right")
        prefix[mask] = names[np.minimum(step, len(names) - 1)]
    prefix[fixed[role]] = ""
    return prefix + role_text[role]  # type: ignore[no-any-return]


def _uniform_rank(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Ranks scaled into [0, 1), ties broken by position: a uniform score from any values."""
    ranks = np.empty(len(values), dtype=np.float64)
    ranks[np.argsort(values, kind="stable")] = np.arange(len(values))
    return ranks / max(len(values), 1)
