"""The rows of the index: the organization (row 0) and every unit, with their people."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from execution2.orgs.models import Organization, Person, Unit


@dataclass(frozen=True, slots=True)
class Scope:
    """One row of the index: the organization (unit_id None) or a unit."""

    row: int
    unit_id: int | None
    label: str
    path: str
    depth: int
    """0 for the organization, 1 for a top-level unit, ..."""
    parent_row: int
    """-1 for the organization."""
    people: int


def scopes_of(organization: Organization) -> list[Scope]:
    units = list(
        Unit.objects.filter(organization=organization)
        .order_by("path")
        .values_list("pk", "parent_id", "path", "name", "depth")
    )
    row_of = {pk: row for row, (pk, *_rest) in enumerate(units, start=1)}
    own: dict[int, int] = {}
    for unit_id in Person.objects.filter(organization=organization, active=True).values_list(
        "unit_id", flat=True
    ):
        own[unit_id] = own.get(unit_id, 0) + 1
    people = subtree_sums(
        [own.get(pk, 0) for pk, *_ in units], [row_of.get(p, 0) - 1 for _, p, *_ in units]
    )
    scopes = [Scope(0, None, organization.name, "", 0, -1, int(sum(own.values())))]
    for row, (pk, parent, path, name, depth) in enumerate(units, start=1):
        scopes.append(
            Scope(row, pk, name, path, depth + 1, row_of.get(parent, 0), int(people[row - 1]))
        )
    return scopes


def subtree_sums(values: list[float], parent: list[int]) -> np.ndarray:
    """Each unit's value plus its descendants'; `parent` is a position or -1."""
    totals = np.asarray(values, dtype=np.float64).copy()
    depth = np.zeros(len(parent), dtype=np.int64)
    for position in range(len(parent)):
        up, steps = parent[position], 0
        while up >= 0 and steps <= len(parent):
            up, steps = parent[up], steps + 1
        depth[position] = steps
    for position in np.argsort(-depth, kind="stable").tolist():
        if parent[position] >= 0:
            totals[parent[position]] += totals[position]
    return totals
