"""What a checked plan file holds: plain dataclasses, people and units as database ids."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from execution2.plans.choices import AssignmentStatus, InitiativeStatus, ReturnKind


@dataclass
class OpportunitySpec:
    key: str
    title: str
    segment: str = ""
    description: str = ""
    size_estimate: float | None = None
    evidence: list[str] = field(default_factory=list)
    archived: bool = False


@dataclass
class KPISpec:
    name: str
    unit: str
    baseline: float
    target: float
    direction: str
    values: list[tuple[datetime.date, float]] = field(default_factory=list)
    update_every_days: int | None = None
    archived: bool = False


@dataclass
class AssignmentSpec:
    key: str
    title: str
    owner_id: int
    delegator_id: int | None = None
    instructions: str = ""
    acceptance_criteria: str = ""
    due: datetime.date | None = None
    status: str = AssignmentStatus.PROPOSED
    weight: float = 1.0


@dataclass
class TacticSpec:
    key: str
    title: str
    description: str = ""
    weight: float = 1.0
    assignments: list[AssignmentSpec] = field(default_factory=list)
    archived: bool = False


@dataclass
class ResourceSpec:
    kind: str
    period: datetime.date
    planned: float
    actual: float
    rate: float = 1.0
    label: str = ""


@dataclass
class ReturnSpec:
    period: datetime.date
    amount: float
    kind: str = ReturnKind.REVENUE
    note: str = ""


@dataclass
class InitiativeSpec:
    key: str
    title: str
    objective: str = ""
    owner_id: int | None = None
    sponsor_id: int | None = None
    unit_ids: list[int] = field(default_factory=list)
    start: datetime.date | None = None
    end: datetime.date | None = None
    status: str = InitiativeStatus.ACTIVE
    weight: float = 1.0
    opportunities: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    kpis: list[KPISpec] = field(default_factory=list)
    tactics: list[TacticSpec] = field(default_factory=list)
    assignments: list[AssignmentSpec] = field(default_factory=list)
    resources: list[ResourceSpec] = field(default_factory=list)
    returns: list[ReturnSpec] = field(default_factory=list)


@dataclass
class PlanSpec:
    opportunities: list[OpportunitySpec]
    initiatives: list[InitiativeSpec]

    @property
    def assignment_count(self) -> int:
        return sum(
            len(i.assignments) + sum(len(t.assignments) for t in i.tactics)
            for i in self.initiatives
        )
