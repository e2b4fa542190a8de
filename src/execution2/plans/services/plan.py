"""Editing the plan itself: opportunities, initiatives and their parts (KPIs, tactics, resources
by month, returns by month). The pages call these, as the API will.

Every edit is keyword-only and atomic, validated by `full_clean` and the database's constraints,
checked against the version the editor opened (`opened_version`; the second of two concurrent
saves is refused with who changed what since), written to the audit log and saved as a plan
version, so the versions page shows web edits like imports. An initiative's parts raise the
initiative's version: they are edited as one thing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from execution2.orgs.models import Membership, Person, Unit
from execution2.orgs.services import audit_record
from execution2.plans.choices import Direction, InitiativeStatus, ResourceKind, ReturnKind
from execution2.plans.models import (
    KPI,
    Assignment,
    Blocker,
    Idea,
    Initiative,
    KPIValue,
    Opportunity,
    ResourceLine,
    Return,
    Tactic,
)
from execution2.plans.plan_file.snapshot import plan_version_create
from execution2.plans.services.rules import (
    EDIT_ACTION,
    claim_version,
    refuse_parent_cycle,
    require_parts_editor,
    require_plan_editor,
    same_organization,
)

INITIATIVE_FIELDS = (
    "title", "objective", "owner", "sponsor", "start", "end", "status", "weight",
)  # fmt: skip
INITIATIVE_LINKS = ("units", "opportunities", "parents")
OPPORTUNITY_FIELDS = ("title", "segment", "description", "size_estimate", "evidence")


def _record(
    *,
    editor: Membership,
    change: str,
    fields: Iterable[str] = (),
    version: int,
    initiative: Initiative | None = None,
    opportunity: Opportunity | None = None,
) -> None:
    detail: dict[str, Any] = {"change": change, "fields": sorted(fields), "version": version}
    if initiative is not None:
        detail |= {"initiative_id": initiative.pk, "initiative": initiative.key}
    if opportunity is not None:
        detail |= {"opportunity_id": opportunity.pk, "opportunity": opportunity.key}
    organization = editor.organization
    audit_record(organization=organization, actor=editor.user, action=EDIT_ACTION, detail=detail)
    plan_version_create(organization=organization, actor=editor.user, label=f"Web edit: {change}")


def _save(obj: Any) -> None:
    """full_clean, then save; a constraint the database still refuses becomes a form error."""
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:
        raise ValidationError(f"The database refused this change: {error}") from None


def _unique_key(model: type[Initiative] | type[Opportunity], organization: Any, text: str) -> str:
    base = slugify(text)[:56] or model.__name__.lower()
    taken = set(
        model.objects.filter(organization=organization, key__startswith=base).values_list(
            "key", flat=True
        )
    )
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


# --- opportunities --------------------------------------------------------------------------


@transaction.atomic
def opportunity_create(
    *,
    editor: Membership,
    title: str,
    key: str = "",
    segment: str = "",
    description: str = "",
    size_estimate: float | None = None,
    evidence: list[str] | None = None,
) -> Opportunity:
    require_plan_editor(editor)
    organization = editor.organization
    key = key.strip() or _unique_key(Opportunity, organization, title)
    if Opportunity.objects.filter(organization=organization, key=key).exists():
        raise ValidationError({"key": f"An opportunity with the key {key!r} exists already."})
    opportunity = Opportunity(
        organization=organization,
        key=key,
        title=title.strip(),
        segment=segment.strip(),
        description=description.strip(),
        size_estimate=size_estimate,
        evidence=list(evidence or []),
        position=Opportunity.objects.filter(organization=organization).count(),
    )
    _save(opportunity)
    _record(
        editor=editor,
        change=f"opportunity {opportunity.key!r} created",
        version=1,
        opportunity=opportunity,
    )
    return opportunity


@transaction.atomic
def opportunity_update(
    *, editor: Membership, opportunity: Opportunity, opened_version: int, **changes: Any
) -> Opportunity:
    require_plan_editor(editor)
    same_organization(editor.organization, opportunity)
    unknown = set(changes) - set(OPPORTUNITY_FIELDS) - {"archived"}
    if unknown:
        raise TypeError(f"opportunity_update() can't change {sorted(unknown)}")
    version = claim_version(opportunity, opened_version, f"The opportunity {opportunity.title!r}")
    changed = [name for name, value in changes.items() if getattr(opportunity, name) != value]
    for name, value in changes.items():
        setattr(opportunity, name, value.strip() if isinstance(value, str) else value)
    _save(opportunity)
    _record(
        editor=editor,
        change=f"opportunity {opportunity.key!r} edited",
        fields=changed,
        version=version,
        opportunity=opportunity,
    )
    return opportunity


def opportunity_archive(
    *, editor: Membership, opportunity: Opportunity, opened_version: int
) -> Opportunity:
    return opportunity_update(
        editor=editor, opportunity=opportunity, opened_version=opened_version, archived=True
    )


@transaction.atomic
def opportunity_delete(*, editor: Membership, opportunity: Opportunity) -> None:
    """Only an opportunity no initiative serves; archive the others."""
    require_plan_editor(editor)
    same_organization(editor.organization, opportunity)
    serving = list(opportunity.initiatives.values_list("title", flat=True)[:3])
    if serving:
        raise ValidationError(
            f"Initiatives serve this opportunity ({', '.join(serving)}): archive it instead, "
            "or take it off those initiatives first."
        )
    key = opportunity.key
    opportunity.delete()
    _record(editor=editor, change=f"opportunity {key!r} deleted", version=0)


# --- initiatives ----------------------------------------------------------------------------


def _check_links(
    editor: Membership,
    *,
    owner: Person | None = None,
    sponsor: Person | None = None,
    units: Iterable[Unit] = (),
    opportunities: Iterable[Opportunity] = (),
    parents: Iterable[Initiative] = (),
) -> None:
    same_organization(editor.organization, owner, sponsor, *units, *opportunities, *parents)
    for role, person in (("owner", owner), ("sponsor", sponsor)):
        if person is not None and not person.active:
            raise ValidationError({role: f"{person.name} has left the organization."})


@transaction.atomic
def initiative_create(
    *,
    editor: Membership,
    title: str,
    key: str = "",
    objective: str = "",
    owner: Person | None = None,
    sponsor: Person | None = None,
    units: Iterable[Unit] = (),
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    status: str = InitiativeStatus.ACTIVE,
    weight: float = 1.0,
    opportunities: Iterable[Opportunity] = (),
    parents: Iterable[Initiative] = (),
) -> Initiative:
    require_plan_editor(editor)
    units, opportunities, parents = list(units), list(opportunities), list(parents)
    _check_links(
        editor,
        owner=owner,
        sponsor=sponsor,
        units=units,
        opportunities=opportunities,
        parents=parents,
    )
    organization = editor.organization
    key = key.strip() or _unique_key(Initiative, organization, title)
    if Initiative.objects.filter(organization=organization, key=key).exists():
        raise ValidationError({"key": f"An initiative with the key {key!r} exists already."})
    initiative = Initiative(
        organization=organization,
        key=key,
        title=title.strip(),
        objective=objective.strip(),
        owner=owner,
        sponsor=sponsor,
        start=start,
        end=end,
        status=status,
        weight=weight,
        position=Initiative.objects.filter(organization=organization).count(),
    )
    _save(initiative)
    initiative.units.set(units)
    initiative.opportunities.set(opportunities)
    initiative.parents.set(parents)
    _record(
        editor=editor,
        change=f"initiative {initiative.key!r} created",
        version=1,
        initiative=initiative,
    )
    return initiative


def _differs(initiative: Initiative, name: str, value: Any) -> bool:
    if name in INITIATIVE_LINKS:
        before = set(getattr(initiative, name).values_list("pk", flat=True))
        return before != {v.pk for v in value}
    return bool(getattr(initiative, name) != value)


@transaction.atomic
def initiative_update(
    *, editor: Membership, initiative: Initiative, opened_version: int, **changes: Any
) -> Initiative:
    """Change any of INITIATIVE_FIELDS and INITIATIVE_LINKS (units, opportunities, parents)."""
    require_plan_editor(editor)
    same_organization(editor.organization, initiative)
    unknown = set(changes) - set(INITIATIVE_FIELDS) - set(INITIATIVE_LINKS)
    if unknown:
        raise TypeError(f"initiative_update() can't change {sorted(unknown)}")
    links = {name: list(changes.pop(name)) for name in INITIATIVE_LINKS if name in changes}
    _check_links(
        editor,
        owner=changes.get("owner"),
        sponsor=changes.get("sponsor"),
        **links,
    )
    if "parents" in links:
        refuse_parent_cycle(initiative, links["parents"])
    changed = [n for n, v in {**changes, **links}.items() if _differs(initiative, n, v)]
    version = claim_version(initiative, opened_version, f"The initiative {initiative.title!r}")
    for name, value in changes.items():
        setattr(initiative, name, value.strip() if isinstance(value, str) else value)
    _save(initiative)
    for name, values in links.items():
        getattr(initiative, name).set(values)
    _record(
        editor=editor,
        change=f"initiative {initiative.key!r} edited",
        fields=changed,
        version=version,
        initiative=initiative,
    )
    return initiative


def initiative_archive(
    *, editor: Membership, initiative: Initiative, opened_version: int
) -> Initiative:
    """Out of the live plan, with its history kept: what becomes of one with check-ins."""
    return initiative_update(
        editor=editor,
        initiative=initiative,
        opened_version=opened_version,
        status=InitiativeStatus.ARCHIVED,
    )


def _initiative_references(initiative: Initiative) -> list[str]:
    found = []
    if Assignment.objects.filter(initiative=initiative).exists():
        found.append("assignments (and their check-ins)")
    if Blocker.objects.filter(initiative=initiative).exists():
        found.append("blockers")
    if KPIValue.objects.filter(kpi__initiative=initiative).exists():
        found.append("recorded KPI values")
    if initiative.children.exists():  # type: ignore[attr-defined]
        found.append("sub-initiatives")
    if Idea.objects.filter(initiative=initiative).exists():
        found.append("the idea it was promoted from")
    return found


@transaction.atomic
def initiative_delete(*, editor: Membership, initiative: Initiative) -> None:
    """Only an initiative nothing refers to; one with history is archived instead."""
    require_plan_editor(editor)
    same_organization(editor.organization, initiative)
    references = _initiative_references(initiative)
    if references:
        raise ValidationError(
            f"{initiative.title!r} has {', '.join(references)}: archive it instead, so its "
            "history stays."
        )
    key = initiative.key
    initiative.delete()
    _record(editor=editor, change=f"initiative {key!r} deleted", version=0)


# --- an initiative's parts ------------------------------------------------------------------


def _part_edit(
    editor: Membership, initiative: Initiative, opened_version: int, part: Any, change: str
) -> None:
    """Validate and save one part, raising the initiative's version, and record it."""
    require_parts_editor(editor, initiative)
    same_organization(editor.organization, initiative)
    version = claim_version(initiative, opened_version, f"The initiative {initiative.title!r}")
    _save(part)
    _record(
        editor=editor,
        change=f"initiative {initiative.key!r}: {change}",
        version=version,
        initiative=initiative,
    )


def _part_delete(
    editor: Membership, initiative: Initiative, opened_version: int, part: Any, change: str
) -> None:
    require_parts_editor(editor, initiative)
    same_organization(editor.organization, initiative)
    version = claim_version(initiative, opened_version, f"The initiative {initiative.title!r}")
    part.delete()
    _record(
        editor=editor,
        change=f"initiative {initiative.key!r}: {change}",
        version=version,
        initiative=initiative,
    )


def _own_part(initiative: Initiative, part: Any) -> None:
    if part.initiative_id != initiative.pk:
        raise ValidationError("That is part of another initiative.")


@transaction.atomic
def kpi_save(
    *,
    editor: Membership,
    initiative: Initiative,
    opened_version: int,
    kpi: KPI | None = None,
    name: str,
    baseline: float,
    target: float,
    unit_of_measure: str = "",
    direction: str = Direction.UP,
    update_every_days: int | None = None,
    archived: bool = False,
) -> KPI:
    """Create a KPI (kpi=None) or change one of the initiative's."""
    if kpi is None:
        kpi = KPI(initiative=initiative)
    _own_part(initiative, kpi)
    created = kpi.pk is None
    kpi.name, kpi.unit_of_measure = name.strip(), unit_of_measure.strip()
    kpi.baseline, kpi.target, kpi.direction = baseline, target, direction
    kpi.update_every_days, kpi.archived = update_every_days, archived
    verb = "added" if created else ("archived" if archived else "edited")
    _part_edit(editor, initiative, opened_version, kpi, f"KPI {kpi.name!r} {verb}")
    return kpi


@transaction.atomic
def kpi_delete(
    *, editor: Membership, initiative: Initiative, opened_version: int, kpi: KPI
) -> None:
    _own_part(initiative, kpi)
    if KPIValue.objects.filter(kpi=kpi).exists():
        raise ValidationError(f"{kpi.name!r} has recorded values: archive it instead.")
    _part_delete(editor, initiative, opened_version, kpi, f"KPI {kpi.name!r} deleted")


@transaction.atomic
def tactic_save(
    *,
    editor: Membership,
    initiative: Initiative,
    opened_version: int,
    tactic: Tactic | None = None,
    title: str,
    description: str = "",
    weight: float = 1.0,
    archived: bool = False,
) -> Tactic:
    if tactic is None:
        tactic = Tactic(
            initiative=initiative, position=Tactic.objects.filter(initiative=initiative).count()
        )
    _own_part(initiative, tactic)
    created = tactic.pk is None
    tactic.title, tactic.description = title.strip(), description.strip()
    tactic.weight, tactic.archived = weight, archived
    verb = "added" if created else ("archived" if archived else "edited")
    _part_edit(editor, initiative, opened_version, tactic, f"tactic {tactic.title!r} {verb}")
    return tactic


@transaction.atomic
def tactic_delete(
    *, editor: Membership, initiative: Initiative, opened_version: int, tactic: Tactic
) -> None:
    _own_part(initiative, tactic)
    if Assignment.objects.filter(tactic=tactic).exists():
        raise ValidationError(f"{tactic.title!r} has assignments: archive it instead.")
    _part_delete(editor, initiative, opened_version, tactic, f"tactic {tactic.title!r} deleted")


@transaction.atomic
def resource_save(
    *,
    editor: Membership,
    initiative: Initiative,
    opened_version: int,
    line: ResourceLine | None = None,
    kind: str,
    period: datetime.date,
    planned: float = 0.0,
    actual: float = 0.0,
    cost_rate: float = 1.0,
    label: str = "",
) -> ResourceLine:
    """One month of money, physical assets or people's hours (at a rate per hour)."""
    if kind != ResourceKind.HUMAN and cost_rate != 1.0:
        raise ValidationError({"cost_rate": "A rate applies to people's hours only."})
    if line is None:
        line = ResourceLine(initiative=initiative)
    _own_part(initiative, line)
    created = line.pk is None
    line.kind, line.period, line.label = kind, period.replace(day=1), label.strip()
    line.planned, line.actual, line.cost_rate = planned, actual, cost_rate
    what = f"{kind} resources for {line.period:%Y-%m} {'added' if created else 'edited'}"
    _part_edit(editor, initiative, opened_version, line, what)
    return line


@transaction.atomic
def resource_delete(
    *, editor: Membership, initiative: Initiative, opened_version: int, line: ResourceLine
) -> None:
    _own_part(initiative, line)
    what = f"{line.kind} resources for {line.period:%Y-%m} deleted"
    _part_delete(editor, initiative, opened_version, line, what)


@transaction.atomic
def return_save(
    *,
    editor: Membership,
    initiative: Initiative,
    opened_version: int,
    entry: Return | None = None,
    period: datetime.date,
    amount: float,
    kind: str = ReturnKind.REVENUE,
    note: str = "",
) -> Return:
    if entry is None:
        entry = Return(initiative=initiative)
    _own_part(initiative, entry)
    created = entry.pk is None
    entry.period, entry.amount, entry.kind = period.replace(day=1), amount, kind
    entry.note = note.strip()
    what = f"return for {entry.period:%Y-%m} {'added' if created else 'edited'}"
    _part_edit(editor, initiative, opened_version, entry, what)
    return entry


@transaction.atomic
def return_delete(
    *, editor: Membership, initiative: Initiative, opened_version: int, entry: Return
) -> None:
    _own_part(initiative, entry)
    what = f"return for {entry.period:%Y-%m} deleted"
    _part_delete(editor, initiative, opened_version, entry, what)
