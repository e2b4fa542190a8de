"""Hand-made index runs and outcomes for the outcomes, weights and consultant-view tests: the
stored rows the pages read, without computing anything (`index_compute` is used end to end in
a few tests on purpose)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from execution2.analytics.index import COMPONENTS, DEFAULT_WEIGHTS, TITLES

DAY = datetime.date(2026, 3, 31)


def payload(
    index: float | None,
    components: Mapping[str, float | None],
    *,
    label: str = "Org",
    low: float | None = None,
    high: float | None = None,
    trend: Sequence[tuple[str, str, float]] = (),
    fired: Sequence[str] = (),
) -> dict[str, Any]:
    """A ScopeIndex payload of the organization, in the stored format (brief: common.md)."""
    steps = []
    previous = None
    for date, cycle, value in trend:
        steps.append(
            {
                "point": {
                    "date": date,
                    "label": cycle,
                    "index": value,
                    "low": value - 3,
                    "high": value + 3,
                    "components": {},
                },
                "change": round(value - previous, 6) if previous is not None else None,
                "clear": (abs(value - previous) > 6) if previous is not None else None,
                "component_changes": {},
            }
        )
        previous = value
    return {
        "scope": {"unit_id": None, "label": label, "path": "", "depth": 0, "people": 40},
        "index": index,
        "target": 75.0,
        "gap": 75.0 - index if index is not None else None,
        "interval": (
            {"low": low, "high": high, "confidence": 0.9, "replicates": 200, "respondents": 30}
            if low is not None and high is not None
            else None
        ),
        "interval_note": "",
        "reweighted": False,
        "missing": [k for k in COMPONENTS if components.get(k) is None],
        "note": "",
        "survey_note": "",
        "components": [
            {
                "key": key,
                "title": TITLES[key],
                "score": components.get(key),
                "weight": DEFAULT_WEIGHTS[key],
                "effective_weight": DEFAULT_WEIGHTS[key],
                "missing": components.get(key) is None,
                "n": 30,
                "sources": [],
                "parts": {},
                "gap": None,
            }
            for key in COMPONENTS
        ],
        "priorities": [],
        "risks": [
            {
                "key": key,
                "title": key.replace("_", " ").capitalize(),
                "severity": "high",
                "fired": True,
                "assessed": True,
                "summary": "",
                "evidence": {},
                "subjects": [],
            }
            for key in fired
        ],
        "recommendations": [],
        "inputs": {"survey": None, "network": None, "plan": None},
        "trend": steps,
    }


def index_run(
    organization: Any,
    index: float | None,
    components: Mapping[str, float | None] | None = None,
    *,
    as_of: datetime.date = DAY,
    status: str = "done",
    **options: Any,
) -> Any:
    """A finished run of `organization` with only its organization row."""
    from execution2.insights.models import IndexRun, ScopeIndex

    scores = dict(components) if components is not None else dict.fromkeys(COMPONENTS, index)
    run = IndexRun.objects.create(
        organization=organization,
        as_of=as_of,
        status=status,
        summary={"weights": dict(DEFAULT_WEIGHTS), "target": 75.0},
    )
    stored = payload(index, scores, label=organization.name, **options)
    ScopeIndex.objects.create(
        run=run,
        unit=None,
        depth=0,
        index=index,
        low=stored["interval"]["low"] if stored["interval"] else None,
        high=stored["interval"]["high"] if stored["interval"] else None,
        payload=stored,
    )
    return run


def outcome(
    organization: Any,
    label: str,
    result: str,
    index: float | None,
    components: Mapping[str, float | None] | None = None,
    *,
    closed_on: datetime.date = DAY,
) -> Any:
    from execution2.insights.models import Outcome

    return Outcome.objects.create(
        organization=organization,
        label=label,
        result=result,
        closed_on=closed_on,
        index=index,
        components=dict(components) if components is not None else {},
    )


def delegated_launch(organization: Any) -> None:
    """A live initiative with four delegated assignments done, some on time: enough plan data
    for `index_compute` to give a delivery component. People must be imported first."""
    from django.utils import timezone

    from execution2.orgs.models import Person
    from execution2.plans.models import Assignment, Initiative

    people = list(Person.objects.filter(organization=organization).order_by("pk"))
    today = timezone.localdate()
    initiative = Initiative.objects.create(
        organization=organization,
        key="launch",
        title="Launch",
        start=today - datetime.timedelta(days=60),
        end=today + datetime.timedelta(days=60),
    )
    for n, person in enumerate(people[1:5]):
        Assignment.objects.create(
            organization=organization,
            initiative=initiative,
            title=f"Step {n}",
            owner=person,
            delegator=people[0],
            instructions="Do it",
            due=today - datetime.timedelta(days=10),
            status="done",
            created_at=timezone.now() - datetime.timedelta(days=30),
            completed_at=timezone.now() - datetime.timedelta(days=12 + 3 * n),
        )
