"""The plan as the plan file's data (`plan_document`) and as YAML text (`plan_export`)."""

from __future__ import annotations

import datetime
from typing import Any

import yaml
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from execution2.orgs.models import Organization, Person
from execution2.orgs.services import audit_record
from execution2.plans.models import (
    KPI,
    Assignment,
    Initiative,
    Opportunity,
    ResourceLine,
    Return,
    Tactic,
)
from execution2.plans.plan_file.reader import FORMAT_VERSION


def _month(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _drop_empty(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if v not in (None, "", [], {})}


def plan_document(*, organization: Organization) -> dict[str, Any]:
    """The whole plan as the plan file's data (dates as date objects)."""
    people = dict(Person.objects.filter(organization=organization).values_list("pk", "external_id"))
    opportunities = list(Opportunity.objects.filter(organization=organization))
    initiatives = list(
        Initiative.objects.filter(organization=organization).prefetch_related(
            "units", "opportunities", "parents"
        )
    )
    kpis: dict[int, list[KPI]] = {}
    for kpi in KPI.objects.filter(initiative__organization=organization).prefetch_related("values"):
        kpis.setdefault(kpi.initiative_id, []).append(kpi)
    tactics: dict[int, list[Tactic]] = {}
    for tactic in Tactic.objects.filter(initiative__organization=organization):
        tactics.setdefault(tactic.initiative_id, []).append(tactic)
    by_tactic: dict[tuple[int, int | None], list[dict[str, Any]]] = {}
    for a in Assignment.objects.filter(organization=organization).order_by("pk"):
        by_tactic.setdefault((a.initiative_id, a.tactic_id), []).append(
            _drop_empty(
                {
                    "key": a.key or f"a{a.pk}",
                    "title": a.title,
                    "owner": people.get(a.owner_id),
                    "delegator": people.get(a.delegator_id) if a.delegator_id else None,
                    "due": a.due,
                    "status": a.status,
                    "weight": a.weight if a.weight != 1.0 else None,
                    "instructions": a.instructions,
                    "acceptance_criteria": a.acceptance_criteria,
                }
            )
        )
    resources: dict[int, list[dict[str, Any]]] = {}
    for r in ResourceLine.objects.filter(initiative__organization=organization):
        resources.setdefault(r.initiative_id, []).append(
            _drop_empty(
                {
                    "kind": r.kind,
                    "label": r.label,
                    "period": _month(r.period),
                    "planned": r.planned,
                    "actual": r.actual,
                    "rate": r.cost_rate if r.kind == "human" else None,
                }
            )
        )
    returns: dict[int, list[dict[str, Any]]] = {}
    for ret in Return.objects.filter(initiative__organization=organization):
        returns.setdefault(ret.initiative_id, []).append(
            _drop_empty(
                {
                    "period": _month(ret.period),
                    "amount": ret.amount,
                    "kind": ret.kind,
                    "note": ret.note,
                }
            )
        )
    return {
        "version": FORMAT_VERSION,
        "organization": organization.slug,
        "opportunities": [
            _drop_empty(
                {
                    "key": o.key,
                    "title": o.title,
                    "segment": o.segment,
                    "description": o.description,
                    "size_estimate": o.size_estimate,
                    "evidence": list(o.evidence or []),
                    "archived": o.archived or None,
                }
            )
            for o in opportunities
        ],
        "initiatives": [
            _drop_empty(
                {
                    "key": i.key,
                    "title": i.title,
                    "objective": i.objective,
                    "owner": people.get(i.owner_id) if i.owner_id else None,
                    "sponsor": people.get(i.sponsor_id) if i.sponsor_id else None,
                    "units": sorted(u.path for u in i.units.all()),
                    "start": i.start,
                    "end": i.end,
                    "status": i.status,
                    "weight": i.weight,
                    "opportunities": sorted(o.key for o in i.opportunities.all()),
                    "parents": sorted(p.key for p in i.parents.all()),
                    "kpis": [
                        _drop_empty(
                            {
                                "name": k.name,
                                "unit": k.unit_of_measure,
                                "baseline": k.baseline,
                                "target": k.target,
                                "direction": k.direction,
                                "values": {v.day: v.value for v in k.values.all()},
                                "update_every_days": k.update_every_days,
                                "archived": k.archived or None,
                            }
                        )
                        for k in kpis.get(i.pk, [])
                    ],
                    "tactics": [
                        _drop_empty(
                            {
                                "key": t.key or f"t{t.pk}",
                                "title": t.title,
                                "description": t.description,
                                "weight": t.weight if t.weight != 1.0 else None,
                                "assignments": by_tactic.get((i.pk, t.pk), []),
                                "archived": t.archived or None,
                            }
                        )
                        for t in tactics.get(i.pk, [])
                    ],
                    "assignments": by_tactic.get((i.pk, None), []),
                    "resources": resources.get(i.pk, []),
                    "returns": returns.get(i.pk, []),
                }
            )
            for i in initiatives
        ],
    }


def plan_export(
    *, organization: Organization, actor: AbstractBaseUser | AnonymousUser | None = None
) -> str:
    """The plan file's text; `plan_import` of it into the same people gives the same plan."""
    document = plan_document(organization=organization)
    text = (
        f"# The strategic plan of {organization.name}, exported by Execution 2.0.\n"
        "# People are named by employee id; `execution2 plan import` reads this file back.\n"
        + yaml.dump(
            document,
            Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
            sort_keys=False,
            allow_unicode=True,
            width=100,
        )
    )
    audit_record(
        organization=organization,
        actor=actor,
        action="plan.export",
        detail={
            "opportunities": len(document["opportunities"]),
            "initiatives": len(document["initiatives"]),
        },
    )
    return text
