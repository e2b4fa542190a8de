"""The plan tree as the plan page shows it: opportunities, their initiatives nested under their
parents, filtered to one unit's or one owner's initiatives (kept with their ancestors)."""

from __future__ import annotations

from dataclasses import dataclass, field

from execution2.analytics.units import path_within
from execution2.orgs.models import Organization
from execution2.plans.selectors.status import InitiativeRow, OpportunityRow, PlanStatus, plan_status


@dataclass
class Node:
    row: InitiativeRow
    children: list[Node] = field(default_factory=list)


@dataclass
class OpportunityGroup:
    opportunity: OpportunityRow
    nodes: list[Node]


@dataclass
class PlanTree:
    status: PlanStatus
    groups: list[OpportunityGroup]
    loose: list[Node]
    unit_options: list[tuple[int, str]]
    owner_options: list[tuple[int, str]]
    unit_id: int | None
    owner_id: int | None
    shown: int

    @property
    def filtered(self) -> bool:
        return self.unit_id is not None or self.owner_id is not None


def _nodes(
    status: PlanStatus, ids: list[int], visible: set[int], seen: frozenset[int]
) -> list[Node]:
    nodes = []
    for initiative_id in ids:
        row = status.initiatives[initiative_id]
        if initiative_id in seen:
            continue
        children = _nodes(status, row.child_ids, visible, seen | {initiative_id})
        if initiative_id in visible or children:
            nodes.append(Node(row, children))
    return nodes


def _filter_options(status: PlanStatus) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    unit_options = sorted(
        {
            (uid, path)
            for row in status.initiatives.values()
            for uid, path in zip(row.unit_ids, row.unit_paths, strict=True)
        },
        key=lambda item: item[1].casefold(),
    )
    owner_options = sorted(
        {(row.owner_id, row.owner_name) for row in status.initiatives.values() if row.owner_id},
        key=lambda item: item[1].casefold(),
    )
    return unit_options, owner_options


def _visible(status: PlanStatus, unit_path: str | None, owner_id: int | None) -> set[int]:
    visible = set()
    for row in status.initiatives.values():
        if unit_path is not None and not any(path_within(p, unit_path) for p in row.unit_paths):
            continue
        if owner_id is not None and row.owner_id != owner_id:
            continue
        visible.add(row.id)
    return visible


def plan_tree(
    *, organization: Organization, unit_id: int | None = None, owner_id: int | None = None
) -> PlanTree:
    """Filters that name no unit or owner of the plan fall back to the whole plan."""
    status = plan_status(organization=organization)
    unit_options, owner_options = _filter_options(status)
    unit_path = dict(unit_options).get(unit_id) if unit_id else None
    if unit_path is None:
        unit_id = None
    if owner_id not in dict(owner_options):
        owner_id = None
    visible = _visible(status, unit_path, owner_id)
    groups = []
    for opportunity in status.opportunities:
        tops = [i for i in opportunity.initiative_ids if not status.initiatives[i].parent_ids]
        nodes = _nodes(status, tops, visible, frozenset())
        if nodes or (unit_id is None and owner_id is None):
            groups.append(OpportunityGroup(opportunity, nodes))
    loose = _nodes(status, [r.id for r in status.roots()], visible, frozenset())
    return PlanTree(
        status=status,
        groups=groups,
        loose=loose,
        unit_options=unit_options,
        owner_options=owner_options,
        unit_id=unit_id,
        owner_id=owner_id,
        shown=len(visible),
    )
