"""Plan files: `plan_import` (checked whole, then written in one transaction) and `plan_export`.

People are named by their employee id (external id), units by their path, opportunities and
initiatives by their key. Import matches what exists: opportunities and initiatives by key,
KPIs by name, tactics by key (else title), assignments by key (else title and owner) within
their initiative; it updates those, creates the rest and keeps what the file doesn't mention.
Resources and returns of each initiative in the file are replaced by the file's. Check-ins,
blockers and recognition are execution history: they live in the application, not the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from execution2.core.tabular import ImportRefused, Problem
from execution2.orgs.models import Organization, Person, Unit
from execution2.orgs.services import audit_record
from execution2.plans.choices import AssignmentStatus
from execution2.plans.models import (
    KPI,
    Assignment,
    Initiative,
    KPIValue,
    Opportunity,
    ResourceLine,
    Return,
    Tactic,
)
from execution2.plans.plan_file.reader import (
    AssignmentSpec,
    PlanReader,
    PlanSpec,
)
from execution2.plans.plan_file.snapshot import plan_version_create
from execution2.plans.plan_file.xlsx import cell_problems, xlsx_document

MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class PlanImportResult:
    opportunities: int
    initiatives: int
    tactics: int
    assignments_created: int
    assignments_updated: int
    version: int

    def summary(self) -> str:
        return (
            f"Plan imported: {self.opportunities} opportunities, {self.initiatives} initiatives, "
            f"{self.tactics} tactics, {self.assignments_created} assignments created and "
            f"{self.assignments_updated} updated; saved as plan version {self.version}."
        )


def _read_text(source: Path | IO[bytes] | bytes, file_name: str) -> str:
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, Path):
        data = source.read_bytes()
    else:
        data = source.read()
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused(
            [Problem(file_name, 1, "-", f"the file is larger than {MAX_FILE_BYTES // 2**20} MB")]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRefused([Problem(file_name, line, "-", "the file is not UTF-8 text")]) from None


def _reader(organization: Organization, file_name: str) -> PlanReader:
    people = dict(
        Person.objects.filter(organization=organization, active=True).values_list(
            "external_id", "pk"
        )
    )
    units = {
        path.casefold(): pk
        for path, pk in Unit.objects.filter(organization=organization).values_list("path", "pk")
    }
    return PlanReader(
        file_name,
        people=people,
        units=units,
        known_opportunities=set(
            Opportunity.objects.filter(organization=organization).values_list("key", flat=True)
        ),
        known_initiatives=set(
            Initiative.objects.filter(organization=organization).values_list("key", flat=True)
        ),
    )


def plan_check(*, organization: Organization, text: str, file_name: str) -> PlanSpec:
    """The file as a PlanSpec, or ImportRefused listing every problem with line and field."""
    reader = _reader(organization, file_name)
    spec = reader.read_text(text)
    if reader.problems or spec is None:
        raise ImportRefused(reader.problems)
    return spec


def plan_check_xlsx(
    *, organization: Organization, source: Path | IO[bytes] | bytes, file_name: str
) -> PlanSpec:
    """A workbook as a PlanSpec: the YAML checks, problems as FILE:SHEET:ROW:COLUMN."""
    data = source.read_bytes() if isinstance(source, Path) else source
    if not isinstance(data, bytes):
        data = data.read()
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused(
            [Problem(file_name, 1, "-", f"the file is larger than {MAX_FILE_BYTES // 2**20} MB")]
        )
    document, cells = xlsx_document(data, file_name)
    reader = _reader(organization, file_name)
    spec = reader.read(document)
    if reader.problems:
        raise ImportRefused(cell_problems(cells, reader.problems))
    return spec


def is_xlsx(file_name: str) -> bool:
    return file_name.lower().endswith((".xlsx", ".xlsm"))


def plan_import(
    *,
    organization: Organization,
    source: Path | IO[bytes] | bytes,
    file_name: str,
    actor: AbstractBaseUser | AnonymousUser | None = None,
) -> PlanImportResult:
    if is_xlsx(file_name):
        spec = plan_check_xlsx(organization=organization, source=source, file_name=file_name)
    else:
        text = _read_text(source, file_name)
        spec = plan_check(organization=organization, text=text, file_name=file_name)
    return _write(organization=organization, spec=spec, file_name=file_name, actor=actor)


@transaction.atomic
def _write(
    *,
    organization: Organization,
    spec: PlanSpec,
    file_name: str,
    actor: AbstractBaseUser | AnonymousUser | None,
) -> PlanImportResult:
    now = timezone.now()
    opportunities = {o.key: o for o in Opportunity.objects.filter(organization=organization)}
    for position, o_spec in enumerate(spec.opportunities):
        opportunity = opportunities.get(o_spec.key) or Opportunity(
            organization=organization, key=o_spec.key
        )
        opportunity.title = o_spec.title
        opportunity.segment = o_spec.segment
        opportunity.description = o_spec.description
        opportunity.size_estimate = o_spec.size_estimate
        opportunity.evidence = o_spec.evidence
        opportunity.archived = o_spec.archived
        opportunity.position = position
        opportunity.save()
        opportunities[o_spec.key] = opportunity

    initiatives = {i.key: i for i in Initiative.objects.filter(organization=organization)}
    for position, i_spec in enumerate(spec.initiatives):
        initiative = initiatives.get(i_spec.key) or Initiative(
            organization=organization, key=i_spec.key
        )
        for name in ("title", "objective", "start", "end", "status", "weight"):
            setattr(initiative, name, getattr(i_spec, name))
        initiative.owner_id = i_spec.owner_id
        initiative.sponsor_id = i_spec.sponsor_id
        initiative.position = position
        initiative.save()
        initiatives[i_spec.key] = initiative

    tactic_count = 0
    created = updated = 0
    for i_spec in spec.initiatives:
        initiative = initiatives[i_spec.key]
        initiative.units.set(i_spec.unit_ids)
        initiative.opportunities.set([opportunities[k] for k in i_spec.opportunities])
        initiative.parents.set([initiatives[k] for k in i_spec.parents])
        _write_kpis(initiative, i_spec.kpis)
        existing_tactics = list(Tactic.objects.filter(initiative=initiative))
        by_key = {t.key: t for t in existing_tactics if t.key}
        by_title = {t.title: t for t in existing_tactics}

        placer = _Placer(organization, initiative, now)
        for position, t_spec in enumerate(i_spec.tactics):
            tactic = (t_spec.key and by_key.get(t_spec.key)) or by_title.get(t_spec.title)
            if tactic is None:
                tactic = Tactic(initiative=initiative)
            tactic.key = t_spec.key or tactic.key
            tactic.title = t_spec.title
            tactic.description = t_spec.description
            tactic.weight = t_spec.weight
            tactic.archived = t_spec.archived
            tactic.position = position
            tactic.save()
            tactic_count += 1
            for a_spec in t_spec.assignments:
                placer.place(a_spec, tactic)
        for a_spec in i_spec.assignments:
            placer.place(a_spec, None)
        new, changed = placer.new, placer.changed
        Assignment.objects.bulk_create(new, batch_size=2000)
        Assignment.objects.bulk_update(
            changed,
            [
                "tactic", "key", "title", "instructions", "acceptance_criteria", "due", "weight",
                "owner", "delegator", "status", "acknowledged_at", "completed_at", "progress",
            ],
            batch_size=2000,
        )  # fmt: skip
        created += len(new)
        updated += len(changed)

        ResourceLine.objects.filter(initiative=initiative).delete()
        ResourceLine.objects.bulk_create(
            ResourceLine(
                initiative=initiative,
                kind=r.kind,
                label=r.label,
                period=r.period,
                planned=r.planned,
                actual=r.actual,
                cost_rate=r.rate,
            )
            for r in i_spec.resources
        )
        Return.objects.filter(initiative=initiative).delete()
        Return.objects.bulk_create(
            Return(
                initiative=initiative, period=r.period, amount=r.amount, kind=r.kind, note=r.note
            )
            for r in i_spec.returns
        )

    _refuse_cycles(organization, spec, file_name)
    version = plan_version_create(
        organization=organization, actor=actor, label=f"Imported from {Path(file_name).name}"
    )
    result = PlanImportResult(
        opportunities=len(spec.opportunities),
        initiatives=len(spec.initiatives),
        tactics=tactic_count,
        assignments_created=created,
        assignments_updated=updated,
        version=version.number,
    )
    audit_record(
        organization=organization,
        actor=actor,
        action="plan.import",
        detail={
            "file": Path(file_name).name,
            "opportunities": result.opportunities,
            "initiatives": result.initiatives,
            "assignments_created": created,
            "assignments_updated": updated,
            "version": version.number,
        },
    )
    return result


def _refuse_cycles(organization: Organization, spec: PlanSpec, file_name: str) -> None:
    """Parents given in the file may close a loop with parents already in the plan."""
    edges: dict[int, list[int]] = {}
    for child, parent in Initiative.parents.through.objects.filter(
        from_initiative__organization=organization
    ).values_list("from_initiative_id", "to_initiative_id"):
        edges.setdefault(child, []).append(parent)
    keys = dict(Initiative.objects.filter(organization=organization).values_list("pk", "key"))
    state: dict[int, int] = {}

    def visit(node: int) -> int | None:
        state[node] = 1
        for parent in edges.get(node, []):
            if state.get(parent) == 1:
                return node
            if state.get(parent) is None and (found := visit(parent)) is not None:
                return found
        state[node] = 2
        return None

    for node in list(edges):
        if state.get(node) is None and (found := visit(node)) is not None:
            key = keys.get(found, "?")
            raise ImportRefused(
                [
                    Problem(
                        file_name,
                        1,
                        f"initiatives[{key}].parents",
                        f"with the plan's existing parents, {key!r} would be its own ancestor",
                    )
                ]
            )


class _Placer:
    """Matches the file's assignments of one initiative to existing ones, or makes new ones."""

    def __init__(self, organization: Organization, initiative: Initiative, now: Any):
        self.organization = organization
        self.initiative = initiative
        self.now = now
        existing = list(Assignment.objects.filter(initiative=initiative))
        self.by_key = {a.key: a for a in existing if a.key}
        self.by_title = {(a.title, a.owner_id): a for a in existing}
        self.new: list[Assignment] = []
        self.changed: list[Assignment] = []

    def place(self, a_spec: AssignmentSpec, tactic: Tactic | None) -> None:
        assignment = (a_spec.key and self.by_key.get(a_spec.key)) or self.by_title.get(
            (a_spec.title, a_spec.owner_id)
        )
        is_new = assignment is None
        if assignment is None:
            assignment = Assignment(
                organization=self.organization, initiative=self.initiative, created_at=self.now
            )
        assignment.tactic = tactic
        assignment.key = a_spec.key or assignment.key
        for name in ("title", "instructions", "acceptance_criteria", "due", "weight"):
            setattr(assignment, name, getattr(a_spec, name))
        assignment.owner_id = a_spec.owner_id
        assignment.delegator_id = a_spec.delegator_id
        if assignment.status != a_spec.status or is_new:
            assignment.status = a_spec.status
            if a_spec.status != AssignmentStatus.PROPOSED and not assignment.acknowledged_at:
                assignment.acknowledged_at = self.now
            if a_spec.status == AssignmentStatus.DONE:
                assignment.completed_at = assignment.completed_at or self.now
                assignment.progress = 100.0
            else:
                assignment.completed_at = None
        (self.new if is_new else self.changed).append(assignment)


def _write_kpis(initiative: Initiative, specs: list[Any]) -> None:
    existing = {k.name: k for k in KPI.objects.filter(initiative=initiative)}
    for k_spec in specs:
        kpi = existing.get(k_spec.name) or KPI(initiative=initiative, name=k_spec.name)
        kpi.unit_of_measure = k_spec.unit
        kpi.baseline = k_spec.baseline
        kpi.target = k_spec.target
        kpi.direction = k_spec.direction
        kpi.update_every_days = k_spec.update_every_days
        kpi.archived = k_spec.archived
        kpi.save()
        if k_spec.values:
            stored = {v.day: v for v in KPIValue.objects.filter(kpi=kpi)}
            fresh = []
            for day, value in k_spec.values:
                row = stored.get(day)
                if row is None:
                    fresh.append(KPIValue(kpi=kpi, day=day, value=value))
                elif row.value != value:
                    row.value = value
                    row.save(update_fields=["value"])
            KPIValue.objects.bulk_create(fresh)
