"""Plan versions: snapshots of the whole plan (the plan file's data) and the diff between two."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any


def jsonable(value: Any) -> Any:
    """Dates to ISO text, mapping keys to text: what a JSONField can hold."""
    if isinstance(value, dict):
        return {str(jsonable(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class Change:
    kind: str  # "added", "removed" or "changed"
    what: str  # "opportunity", "initiative", "KPI", "tactic", "assignment"
    label: str
    where: str = ""
    fields: tuple[FieldChange, ...] = field(default_factory=tuple)


def _fields(before: dict[str, Any], after: dict[str, Any], skip: set[str]) -> list[FieldChange]:
    names = [k for k in dict.fromkeys([*before, *after]) if k not in skip]
    return [
        FieldChange(name, before.get(name), after.get(name))
        for name in names
        if before.get(name) != after.get(name)
    ]


def _compare(
    what: str,
    before: dict[str, dict[str, Any]],
    after: dict[str, dict[str, Any]],
    label: str,
    where: str,
    skip: set[str],
) -> list[Change]:
    changes = []
    for key, item in after.items():
        if key not in before:
            changes.append(Change("added", what, str(item.get(label, key)), where))
        else:
            diff = _fields(before[key], item, skip)
            if diff:
                changes.append(
                    Change("changed", what, str(item.get(label, key)), where, tuple(diff))
                )
    for key, item in before.items():
        if key not in after:
            changes.append(Change("removed", what, str(item.get(label, key)), where))
    return changes


def _assignments(initiative: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = {}
    for tactic in initiative.get("tactics", []):
        for a in tactic.get("assignments", []):
            found[a.get("key") or a.get("title")] = {**a, "tactic": tactic.get("title")}
    for a in initiative.get("assignments", []):
        found[a.get("key") or a.get("title")] = a
    return found


def plan_diff(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """What changed from `before` to `after` (two snapshots), item by item and field by field."""
    changes = _compare(
        "opportunity",
        {o["key"]: o for o in before.get("opportunities", [])},
        {o["key"]: o for o in after.get("opportunities", [])},
        "title",
        "",
        set(),
    )
    old = {i["key"]: i for i in before.get("initiatives", [])}
    new = {i["key"]: i for i in after.get("initiatives", [])}
    nested = {"kpis", "tactics", "assignments", "resources", "returns"}
    changes += _compare("initiative", old, new, "title", "", nested)
    for key, initiative in new.items():
        previous = old.get(key)
        if previous is None:
            continue
        where = initiative.get("title", key)
        changes += _compare(
            "KPI",
            {k["name"]: k for k in previous.get("kpis", [])},
            {k["name"]: k for k in initiative.get("kpis", [])},
            "name",
            where,
            set(),
        )
        changes += _compare(
            "tactic",
            {t.get("key") or t["title"]: t for t in previous.get("tactics", [])},
            {t.get("key") or t["title"]: t for t in initiative.get("tactics", [])},
            "title",
            where,
            {"assignments"},
        )
        changes += _compare(
            "assignment", _assignments(previous), _assignments(initiative), "title", where, set()
        )
        for name in ("resources", "returns"):
            if previous.get(name, []) != initiative.get(name, []):
                changes.append(
                    Change(
                        "changed",
                        "initiative",
                        initiative.get("title", key),
                        where,
                        (
                            FieldChange(
                                name, len(previous.get(name, [])), len(initiative.get(name, []))
                            ),
                        ),
                    )
                )
    return changes
