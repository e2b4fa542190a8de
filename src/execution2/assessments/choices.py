from django.db import models


class CycleKind(models.TextChoices):
    UPWARD = "upward", "Upward feedback"
    FULL = "360", "360° feedback"
    PULSE = "pulse", "Pulse"


class CycleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class RaterGroup(models.TextChoices):
    """Who answers about whom; the order is the analytics core's RATER_GROUPS."""

    SELF = "self", "Self"
    MANAGER = "manager", "Their manager"
    PEER = "peer", "Peers"
    DIRECT = "direct", "Direct reports"
    MEMBER = "member", "Everyone"


RATER_GROUPS_BY_KIND = {
    CycleKind.UPWARD: (RaterGroup.DIRECT,),
    CycleKind.FULL: (RaterGroup.SELF, RaterGroup.MANAGER, RaterGroup.PEER, RaterGroup.DIRECT),
    CycleKind.PULSE: (RaterGroup.MEMBER,),
}


class ResponseSource(models.TextChoices):
    SURVEY = "survey", "Survey"
    IMPORT = "import", "Imported"
