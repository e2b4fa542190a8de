"""The plan: opportunities -> initiatives -> tactics -> assignments, and what happens to them.

Every row belongs to one organization (directly, or through its initiative). Check-ins are
append-only: they are never updated or deleted, so the history of an assignment is its record.
Assignments keep the latest check-in's progress (`progress`), written by the same service that
appends the check-in, so the roll-up reads one row per assignment, never the check-in history.
"""

from execution2.plans.models.execution import Assignment, Blocker, CheckIn, Recognition
from execution2.plans.models.ideas import (
    Idea,
    IdeaComment,
    IdeaVote,
    NotificationPreference,
    PendingNotification,
)
from execution2.plans.models.plan import KPI, Initiative, KPIValue, Opportunity, Tactic
from execution2.plans.models.resources import PlanVersion, ResourceLine, Return

__all__ = [
    "KPI",
    "Assignment",
    "Blocker",
    "CheckIn",
    "Idea",
    "IdeaComment",
    "IdeaVote",
    "Initiative",
    "KPIValue",
    "NotificationPreference",
    "Opportunity",
    "PendingNotification",
    "PlanVersion",
    "Recognition",
    "ResourceLine",
    "Return",
    "Tactic",
]
