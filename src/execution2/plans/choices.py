from django.db import models


class InitiativeStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    ON_HOLD = "on_hold", "On hold"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"
    # Kept with its history (check-ins, blockers) but out of the live plan: what an initiative
    # that something refers to becomes instead of being deleted.
    ARCHIVED = "archived", "Archived"


class Direction(models.TextChoices):
    UP = "up", "Higher is better"
    DOWN = "down", "Lower is better"


class AssignmentStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


OPEN_ASSIGNMENT_STATUSES = (
    AssignmentStatus.PROPOSED,
    AssignmentStatus.ACKNOWLEDGED,
    AssignmentStatus.IN_PROGRESS,
)


class Resolution(models.TextChoices):
    COLLABORATIVE = "collaborative", "Resolved together"
    DECIDED = "decided", "Decided by the escalation"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ResourceKind(models.TextChoices):
    FINANCIAL = "financial", "Financial"
    PHYSICAL = "physical", "Physical assets"
    HUMAN = "human", "People's hours"


class ReturnKind(models.TextChoices):
    REVENUE = "revenue", "Revenue"
    SAVING = "saving", "Cost saving"
    OTHER = "other", "Other"


class IdeaStatus(models.TextChoices):
    OPEN = "open", "Open"
    PROMOTED = "promoted", "Promoted to an initiative"
    CLOSED = "closed", "Closed"


class NotificationKind(models.TextChoices):
    ASSIGNMENT_NEW = "assignment_new", "New assignment"
    DUE_SOON = "due_soon", "Assignment due soon"
    BLOCKER_ESCALATED = "blocker_escalated", "Blocker escalated to you"
    RECOGNITION = "recognition", "Recognition received"
