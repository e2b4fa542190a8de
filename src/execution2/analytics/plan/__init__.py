"""The plan's arithmetic: progress roll-up, schedule, return on resources, breadth, delegation.

Pure functions over numpy arrays and frozen dataclasses; the `plans` app loads the data, calls
these and shows the results. Modules:

- `rollup`: weighted progress from KPIs and assignments up the plan graph (several parents each).
- `schedule`: progress against elapsed time.
- `finance`: ROI, payback period and budget variance per initiative and for the portfolio.
- `breadth`: initiative breadth (normalised entropy of units) and the marketing-trap flag.
- `delegation`: the behavioural evidence of delegation per manager or unit (design.md 4.1).
"""

from execution2.analytics.plan.breadth import Breadth, breadth_by_group, initiative_breadth
from execution2.analytics.plan.delegation import DelegationEvidence, delegation_evidence
from execution2.analytics.plan.finance import Finance, finance_summary, payback_months
from execution2.analytics.plan.rollup import PlanGraph, kpi_progress, rollup
from execution2.analytics.plan.schedule import schedule_performance

__all__ = [
    "Breadth",
    "DelegationEvidence",
    "Finance",
    "PlanGraph",
    "breadth_by_group",
    "delegation_evidence",
    "finance_summary",
    "initiative_breadth",
    "kpi_progress",
    "payback_months",
    "rollup",
    "schedule_performance",
]
