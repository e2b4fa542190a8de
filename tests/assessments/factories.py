"""Assessment objects of an organization for tests elsewhere (the tenancy walker)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AssessmentObjects:
    cycle: Any
    subject: Any


def assessment_objects(organization: Any) -> AssessmentObjects:
    """A cycle with one rated manager; the same objects on every call for one organization."""
    from execution2.assessments.models import Cycle, Subject
    from execution2.assessments.services import cycle_create
    from execution2.orgs.models import Person

    cycle = Cycle.objects.filter(organization=organization, name="Walker cycle").first()
    if cycle is None:
        cycle = cycle_create(
            organization=organization,
            name="Walker cycle",
            kind="upward",
            opens_on=datetime.date(2026, 1, 5),
            closes_on=datetime.date(2026, 1, 23),
        )
    manager = Person.objects.filter(organization=organization, direct_reports__isnull=False).first()
    assert manager is not None
    subject, _ = Subject.objects.get_or_create(
        cycle=cycle, person=manager, defaults={"unit": manager.unit}
    )
    return AssessmentObjects(cycle, subject)
