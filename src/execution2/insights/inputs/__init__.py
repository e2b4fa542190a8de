"""What the Execution Index of an organization and each of its units rests on, as of a day.

`index_inputs` reads the four capabilities through their own selectors and fills the core's
`IndexInputs` for every scope at once (row 0 the organization, then every unit), plus the
respondent table of the bootstrap and the managers' survey results (for "where to act"):

- survey: the latest assessment cycle closed on or before the day, through `cycle_result`, the
  one anonymity gate: a unit whose group is hidden gets no survey part (its index re-weights
  over the other components and says why);
- network: the latest analysis whose window ends on or before the day (the organization's
  figures and each unit's, the share of a unit's people the executive team reaches from the
  analysis's per-person file);
- plan: `plan_status` as of the day, the delegation evidence (on-time completion) and who
  works on which initiative.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from execution2.analytics.index import IndexInputs, RespondentTable, SurveyPart
from execution2.assessments.models import Cycle
from execution2.insights.inputs.network import (
    network_parts,
    network_parts_of_month,
    snapshot_as_of,
)
from execution2.insights.inputs.plan import plan_parts
from execution2.insights.inputs.scopes import Scope, scopes_of
from execution2.insights.inputs.survey import (
    ManagerScores,
    closed_cycle_as_of,
    closed_cycles_until,
    manager_scores,
    survey_parts,
)
from execution2.network.models import NetworkSnapshot
from execution2.orgs.models import Organization
from execution2.plans.selectors import PlanStatus


@dataclass
class Inputs:
    organization: Organization
    as_of: datetime.date
    scopes: list[Scope]
    inputs: list[IndexInputs]
    respondents: RespondentTable | None
    cycle: Cycle | None
    snapshot: NetworkSnapshot | None
    plan: PlanStatus | None
    managers: list[ManagerScores] = field(default_factory=list)
    survey_notes: dict[int, str] = field(default_factory=dict)
    """Row -> why the scope has no survey part (hidden by the anonymity rules, nobody asked)."""

    def row_of(self, unit_id: int | None) -> int | None:
        for scope in self.scopes:
            if scope.unit_id == unit_id:
                return scope.row
        return None


def index_inputs(
    *,
    organization: Organization,
    as_of: datetime.date,
    cycle: Cycle | bool | None = True,
    with_managers: bool = True,
) -> Inputs:
    """The inputs of every scope as of `as_of`. `cycle=True` picks the latest closed cycle;
    pass a cycle (or None for none) to use another (the trend does)."""
    scopes = scopes_of(organization)
    chosen = closed_cycle_as_of(organization=organization, as_of=as_of) if cycle is True else cycle
    chosen = chosen if isinstance(chosen, Cycle) else None
    survey: list[SurveyPart | None] = [None] * len(scopes)
    table = None
    notes: dict[int, str] = {}
    managers: list[ManagerScores] = []
    if chosen is not None:
        survey, table, notes, result = survey_parts(chosen, scopes)
        if with_managers:
            managers = manager_scores(chosen, result)
    snapshot = snapshot_as_of(organization=organization, as_of=as_of)
    if snapshot is not None:
        network = network_parts(snapshot, scopes)
    else:
        network = network_parts_of_month(organization, as_of, scopes)
    plan, status = plan_parts(organization, as_of, scopes)
    inputs = [
        IndexInputs(survey=s, network=n, plan=p)
        for s, n, p in zip(survey, network, plan, strict=True)
    ]
    return Inputs(
        organization=organization,
        as_of=as_of,
        scopes=scopes,
        inputs=inputs,
        respondents=table,
        cycle=chosen,
        snapshot=snapshot,
        plan=status,
        managers=managers,
        survey_notes=notes,
    )


def jsonable(value: Any) -> Any:
    """Plain JSON data from dataclasses, mappings, tuples and numpy/float values (NaN -> None)."""
    if hasattr(value, "__dataclass_fields__"):
        return {
            name: jsonable(getattr(value, name))
            for name in value.__dataclass_fields__
            # Respondent-level rows feed the bootstrap only: they never leave the computation.
            if not isinstance(getattr(value, name), np.ndarray)
        }
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return round(value, 6) if math.isfinite(value) else None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


__all__ = [
    "Inputs",
    "ManagerScores",
    "Scope",
    "closed_cycle_as_of",
    "closed_cycles_until",
    "index_inputs",
    "jsonable",
    "scopes_of",
    "snapshot_as_of",
]
