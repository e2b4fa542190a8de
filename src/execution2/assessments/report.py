"""The cycle report as plain data (the command line's --json, and later exports and the API).

Everything comes from `results.cycle_result`, so a suppressed group appears as
`{"suppressed": true}` with its name and no values, here as on every page.
"""

from __future__ import annotations

from typing import Any

from execution2.analytics.units import path_within
from execution2.assessments.models import Cycle, Subject
from execution2.assessments.results import cycle_result, overall_rate, response_rates
from execution2.orgs.models import Unit


def _in_subtree(path: str, root: Unit | None) -> bool:
    return root is None or path_within(path, root.path)


def report_data(*, cycle: Cycle, unit: Unit | None = None) -> dict[str, Any]:
    result = cycle_result(cycle)
    units = {u.pk: u for u in Unit.objects.filter(organization=cycle.organization)}
    subjects = {
        s.pk: s for s in Subject.objects.filter(cycle=cycle).select_related("person", "unit")
    }
    groups = []
    for level, entity_id, rater_group in result.groups():
        entry: dict[str, Any] = {"level": level, "rater_group": rater_group}
        if level == "unit":
            path = units[entity_id or 0].path
            if not _in_subtree(path, unit):
                continue
            entry["unit"] = path
        elif level == "subject":
            subject = subjects[entity_id or 0]
            if not _in_subtree(subject.unit.path, unit):
                continue
            entry["subject"] = {
                "id": subject.person.external_id,
                "name": subject.person.name,
                "unit": subject.unit.path,
            }
        group = result.group(level, entity_id, rater_group)
        if group is None:
            continue
        if group.suppressed:
            entry["suppressed"] = True
        else:
            entry["suppressed"] = False
            entry["n"] = group.n
            entry["scales"] = {s.key: s.as_json() for s in group.scales}
        groups.append(entry)
    order = {"organization": 0, "unit": 1, "subject": 2}
    groups.sort(
        key=lambda g: (
            order[g["level"]],
            g.get("unit", ""),
            g.get("subject", {}).get("name", ""),
            g["rater_group"],
        )
    )
    invited, answered = overall_rate(cycle)
    return {
        "cycle": {
            "id": cycle.pk,
            "name": cycle.name,
            "kind": cycle.kind,
            "status": cycle.status,
            "opens_on": cycle.opens_on.isoformat(),
            "closes_on": cycle.closes_on.isoformat(),
            "instrument": {"key": cycle.instrument.key, "version": cycle.instrument.version},
            "previous_cycle": result.previous.cycle.pk if result.previous else None,
        },
        "unit": unit.path if unit else None,
        "thresholds": result.thresholds,
        "response_rate": {
            "invited": invited,
            "answered": answered,
            "units": [
                {
                    "unit": r.unit.path,
                    **(
                        {"suppressed": True}
                        if r.rate is None
                        else {
                            "invited": r.invited,
                            "answered": r.answered,
                            "rate": round(r.rate, 1),
                        }
                    ),
                }
                for r in response_rates(cycle)
                if _in_subtree(r.unit.path, unit)
            ],
        },
        "groups": groups,
    }
