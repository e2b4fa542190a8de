"""The demo organization's plan, generated from the demo's seed (analytics.synth.plan).

Running the demo again replaces the plan: the generated data is the same for the same seed and
day, so nothing is lost that the generator wouldn't make again.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from execution2.analytics.synth import SyntheticOrganization
from execution2.analytics.synth.plan import (
    BLOCKERS,
    KUDOS,
    STATUS_NAMES,
    TASKS,
    SyntheticPlan,
    generate_plan,
)
from execution2.core.bulk import insert_rows
from execution2.orgs.models import Organization, Person, Unit
from execution2.plans.models import (
    KPI,
    Assignment,
    Blocker,
    CheckIn,
    Idea,
    Initiative,
    KPIValue,
    Opportunity,
    PendingNotification,
    PlanVersion,
    Recognition,
    ResourceLine,
    Return,
    Tactic,
)

Progress = Callable[[str, int, int], None]
RESOLUTIONS = ("collaborative", "decided", "withdrawn")
CHECKIN_COMMENTS = (
    "",
    "On track.",
    "Waiting for feedback from the team.",
    "First draft done.",
    "Slower than planned, catching up next week.",
    "Done, ready for review.",
)
INSTRUCTIONS = (
    "Keep it to two pages and share it with the team before the weekly meeting.",
    "Work with the regional leads; use last year's numbers as the baseline.",
    "Ask me if anything is unclear; the customer deadline can't move.",
)
CRITERIA = (
    "Reviewed and approved by the initiative owner.",
    "Five customers interviewed and notes shared.",
    "Published on the intranet.",
)
SNAPSHOT_LIMIT = 20_000


def plan_clear(*, organization: Organization) -> None:
    """Delete the organization's whole plan (the demo replaces it)."""
    Recognition.objects.filter(organization=organization).delete()
    Blocker.objects.filter(organization=organization).delete()
    CheckIn.objects.filter(assignment__organization=organization)._raw_delete(CheckIn.objects.db)
    Assignment.objects.filter(organization=organization)._raw_delete(Assignment.objects.db)
    Idea.objects.filter(organization=organization).delete()
    Initiative.objects.filter(organization=organization).delete()
    Opportunity.objects.filter(organization=organization).delete()
    PlanVersion.objects.filter(organization=organization).delete()
    PendingNotification.objects.filter(organization=organization).delete()


def _aware(seconds: float) -> datetime.datetime | None:
    if math.isnan(seconds):
        return None
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)


@transaction.atomic
def plan_write(
    *,
    organization: Organization,
    company: SyntheticOrganization,
    plan: SyntheticPlan,
    progress: Progress | None = None,
) -> dict[str, int]:
    plan_clear(organization=organization)
    person_of = dict(
        Person.objects.filter(organization=organization).values_list("external_id", "pk")
    )
    people = np.array([person_of[p.external_id] for p in company.people], dtype=np.int64)
    top_unit = {
        path: pk
        for pk, path in Unit.objects.filter(organization=organization, depth=0).values_list(
            "pk", "path"
        )
    }
    opportunities = {}
    for position, o in enumerate(plan.opportunities):
        opportunities[o.key] = Opportunity.objects.create(
            organization=organization,
            key=o.key,
            title=o.title,
            segment=o.segment,
            size_estimate=o.size_estimate,
            position=position,
        )
    initiatives: list[Initiative] = []
    for position, i in enumerate(plan.initiatives):
        initiative = Initiative.objects.create(
            organization=organization,
            key=i.key,
            title=i.title,
            objective=f"{i.title}: move its KPIs to target by {i.end:%B %Y}.",
            owner_id=int(people[i.owner]),
            sponsor_id=int(people[i.sponsor]),
            start=i.start,
            end=i.end,
            status=i.status,
            weight=i.weight,
            position=position,
        )
        initiative.units.set([top_unit[u] for u in i.units if u in top_unit])
        initiative.opportunities.set([opportunities[k] for k in i.opportunities])
        initiatives.append(initiative)
    by_key = {i.key: i for i in initiatives}
    for i, initiative in zip(plan.initiatives, initiatives, strict=True):
        if i.parents:
            initiative.parents.set([by_key[k] for k in i.parents])
    for k in plan.kpis:
        kpi = KPI.objects.create(
            initiative=initiatives[k.initiative],
            name=k.name,
            unit_of_measure=k.unit,
            baseline=k.baseline,
            target=k.target,
            direction=k.direction,
        )
        KPIValue.objects.bulk_create(KPIValue(kpi=kpi, day=d, value=v) for d, v in k.values)
    tactics = Tactic.objects.bulk_create(
        Tactic(initiative=initiatives[t.initiative], title=t.title, weight=t.weight, position=n)
        for n, t in enumerate(plan.tactics)
    )
    tactic_ids = np.array([t.pk for t in tactics] + [0], dtype=np.int64)  # -1 -> the 0 at the end
    initiative_ids = np.array([i.pk for i in initiatives], dtype=np.int64)

    a = plan.assignments
    n = len(a.owner)
    total = n + len(plan.checkins.assignment)
    report = progress or (lambda phase, done, all_: None)
    report("plan", 0, total)
    last_pk = Assignment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    org_id = organization.pk
    a_tactic = tactic_ids[a.tactic]
    rows = (
        (
            org_id,
            int(initiative_ids[a.initiative[r]]),
            int(a_tactic[r]) or None,
            "",
            TASKS[a.title[r]],
            INSTRUCTIONS[r % len(INSTRUCTIONS)] if a.instructed[r] else "",
            CRITERIA[r % len(CRITERIA)] if a.instructed[r] and r % 2 else "",
            None if math.isnan(a.due[r]) else _aware(a.due[r]).date(),  # type: ignore[union-attr]
            int(people[a.delegator[r]]),
            int(people[a.owner[r]]),
            STATUS_NAMES[a.status[r]],
            1.0,
            float(a.progress[r]),
            _aware(a.created[r]),
            _aware(a.acknowledged[r]),
            _aware(a.completed[r]),
            None,
        )
        for r in range(n)
    )
    insert_rows(
        Assignment,
        [
            "organization_id", "initiative_id", "tactic_id", "key", "title", "instructions",
            "acceptance_criteria", "due", "delegator_id", "owner_id", "status", "weight",
            "progress", "created_at", "acknowledged_at", "completed_at", "reminded_at",
        ],
        rows,
    )  # fmt: skip
    report("plan", n, total)
    assignment_ids = np.array(
        Assignment.objects.filter(organization=organization, pk__gt=last_pk)
        .order_by("pk")
        .values_list("pk", flat=True),
        dtype=np.int64,
    )
    c = plan.checkins
    owners = people[a.owner]
    checkin_rows = (
        (
            int(assignment_ids[c.assignment[r]]),
            float(c.progress[r]),
            int(c.confidence[r]),
            CHECKIN_COMMENTS[r % len(CHECKIN_COMMENTS)],
            int(owners[c.assignment[r]]),
            _aware(c.time[r]),
        )
        for r in range(len(c.assignment))
    )
    insert_rows(
        CheckIn,
        ["assignment_id", "progress", "confidence", "comment", "author_id", "created_at"],
        checkin_rows,
    )
    report("plan", total, total)
    b = plan.blockers
    Blocker.objects.bulk_create(
        Blocker(
            organization=organization,
            initiative_id=int(initiative_ids[a.initiative[b.assignment[r]]]),
            assignment_id=int(assignment_ids[b.assignment[r]]),
            description=BLOCKERS[b.text[r]],
            raised_by_id=int(owners[b.assignment[r]]),
            raised_at=_aware(b.raised[r]),
            escalated_to_id=int(people[b.escalated_to[r]]) if b.escalated_to[r] >= 0 else None,
            escalated_at=_aware(b.raised[r] + 3600) if b.escalated_to[r] >= 0 else None,
            resolved_at=_aware(b.resolved[r]),
            resolution=RESOLUTIONS[b.resolution[r]] if b.resolution[r] >= 0 else "",
        )
        for r in range(len(b.assignment))
    )
    g = plan.recognitions
    insert_rows(
        Recognition,
        ["organization_id", "giver_id", "receiver_id", "message", "assignment_id", "created_at"],
        (
            (
                org_id,
                int(people[g.giver[r]]),
                int(people[g.receiver[r]]),
                KUDOS[g.message[r]],
                int(assignment_ids[g.assignment[r]]) if g.assignment[r] >= 0 else None,
                _aware(g.time[r]),
            )
            for r in range(len(g.giver))
        ),
    )
    ResourceLine.objects.bulk_create(
        ResourceLine(
            initiative=initiatives[r.initiative],
            kind=r.kind,
            period=r.period,
            planned=r.planned,
            actual=r.actual,
            cost_rate=r.rate,
        )
        for r in plan.resources
    )
    Return.objects.bulk_create(
        Return(initiative=initiatives[r.initiative], period=r.period, amount=r.amount, kind=r.kind)
        for r in plan.returns
    )
    return {
        "initiatives": len(initiatives),
        "assignments": n,
        "checkins": len(c.assignment),
        "blockers": len(b.assignment),
        "recognitions": len(g.giver),
    }


def demo_extend(
    *,
    organization: Organization,
    company: SyntheticOrganization,
    seed: int,
    progress: Progress | None = None,
    **options: Any,
) -> str:
    from execution2.plans.plan_file import plan_version_create

    plan = generate_plan(company, seed=seed, as_of=timezone.localdate(), **options)
    counts = plan_write(organization=organization, company=company, plan=plan, progress=progress)
    if counts["assignments"] <= SNAPSHOT_LIMIT:
        plan_version_create(organization=organization, actor=None, label="Demo plan")
    return (
        f"Plan: {counts['initiatives']} initiatives, {counts['assignments']:,} assignments, "
        f"{counts['checkins']:,} check-ins, {counts['blockers']:,} blockers, "
        f"{counts['recognitions']:,} recognitions."
    )
