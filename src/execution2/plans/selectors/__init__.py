"""Reads of the plan, always scoped by organization, with the roll-ups computed by the core.

`plan_status` is the whole plan with progress, schedule, ROI and flags; it runs a fixed number
of queries whatever the plan's size. `delegation_evidence_by_manager` / `_by_unit` are the
delegation figures of design.md 4.1 as plain dataclasses
(`execution2.analytics.plan.DelegationEvidence`), for the Execution Index.
"""

from execution2.plans.selectors.evidence import (
    EVIDENCE_WINDOW_DAYS,
    OnTime,
    delegation_evidence_by_manager,
    delegation_evidence_by_unit,
    on_time_by_unit,
)
from execution2.plans.selectors.status import (
    Counts,
    InitiativeRow,
    OpportunityRow,
    PlanStatus,
    TacticRow,
    initiative_breadths,
    initiative_participants,
    plan_status,
    top_units,
)
from execution2.plans.selectors.work import (
    assignments_for,
    blockers_escalated_to,
    my_assignments,
)

__all__ = [
    "EVIDENCE_WINDOW_DAYS",
    "Counts",
    "InitiativeRow",
    "OnTime",
    "OpportunityRow",
    "PlanStatus",
    "TacticRow",
    "assignments_for",
    "blockers_escalated_to",
    "delegation_evidence_by_manager",
    "delegation_evidence_by_unit",
    "initiative_breadths",
    "initiative_participants",
    "my_assignments",
    "on_time_by_unit",
    "plan_status",
    "top_units",
]
