"""Reading and checking a plan file: every problem with its line and field, nothing written.

The format is documented in README.md ("Plan files") and by `execution2 plan export`.
"""

from __future__ import annotations

import datetime

from execution2.plans.choices import (
    AssignmentStatus,
    Direction,
    InitiativeStatus,
    ResourceKind,
    ReturnKind,
)
from execution2.plans.plan_file.fields import FieldReader
from execution2.plans.plan_file.specs import (
    AssignmentSpec,
    InitiativeSpec,
    KPISpec,
    OpportunitySpec,
    PlanSpec,
    ResourceSpec,
    ReturnSpec,
    TacticSpec,
)
from execution2.plans.plan_file.yaml_lines import LineDict, YamlSyntaxError, load

FORMAT_VERSION = 1
MAX_TEXT = 20_000


class PlanReader(FieldReader):
    """Turns a parsed plan file into a PlanSpec, collecting every problem on the way.

    `units` maps unit paths, casefolded, to unit ids.
    """

    def __init__(
        self,
        file_name: str,
        *,
        people: dict[str, int],
        units: dict[str, int],
        known_opportunities: set[str] | None = None,
        known_initiatives: set[str] | None = None,
    ):
        super().__init__(file_name, people=people)
        self.units = units
        # Keys already in the database may be referred to without being in the file.
        self.known_opportunities = known_opportunities or set()
        self.known_initiatives = known_initiatives or set()
        self._reference_lines: dict[str, tuple[int, int]] = {}

    # --- the document --------------------------------------------------------------------

    def read_text(self, text: str) -> PlanSpec | None:
        try:
            data = load(text)
        except YamlSyntaxError as error:
            self.problem(error.line, "-", error.message)
            return None
        if data is None:
            self.problem(1, "-", "the file is empty")
            return None
        document = self._mapping(data, 1, "plan")
        if document is None:
            return None
        return self.read(document)

    def read(self, document: LineDict) -> PlanSpec:
        self._unknown(document, {"version", "organization", "opportunities", "initiatives"}, "plan")
        version = document.get("version", FORMAT_VERSION)
        if version != FORMAT_VERSION:
            self.problem(
                self._line(document, "version"),
                "version",
                f"this is a plan file of version {version!r}; this program reads version 1",
            )
        self.opportunity_keys: dict[str, int] = {}
        self.initiative_keys: dict[str, int] = {}
        self.assignment_keys: dict[str, int] = {}
        self.tactic_keys: dict[str, int] = {}
        opportunities = self._items(
            self._list(document, "opportunities", "plan"), "opportunities", self._opportunity
        )
        initiatives = self._items(
            self._list(document, "initiatives", "plan"), "initiatives", self._initiative
        )
        self._check_references(initiatives)
        return PlanSpec(opportunities, initiatives)

    def _opportunity(self, item: LineDict, path: str, _line: int) -> OpportunitySpec:
        self._unknown(
            item,
            {"key", "title", "segment", "description", "size_estimate", "evidence", "archived"},
            path,
        )
        evidence: list[str] = []
        raw = item.get("evidence")
        if raw is not None:
            if not isinstance(raw, list) or not all(isinstance(e, str) for e in raw):
                self.problem(self._line(item, "evidence"), f"{path}.evidence", "expected a list")
            else:
                evidence = [e.strip() for e in raw if e.strip()]
        return OpportunitySpec(
            key=self._key(item, path, self.opportunity_keys, required=True),
            title=self._text(item, "title", path, required=True),
            segment=self._text(item, "segment", path),
            description=self._text(item, "description", path, limit=MAX_TEXT),
            size_estimate=self._number(item, "size_estimate", path, minimum=0),
            evidence=evidence,
            archived=self._flag(item, "archived", path),
        )

    def _initiative(self, item: LineDict, path: str, _line: int) -> InitiativeSpec:
        key = self._key(item, path, self.initiative_keys, required=True)
        if key:
            path = f"initiatives[{key}]"
        self._unknown(
            item,
            {
                "key", "title", "objective", "owner", "sponsor", "units", "start", "end",
                "status", "weight", "opportunities", "parents", "kpis", "tactics",
                "assignments", "resources", "returns",
            },
            path,
        )  # fmt: skip
        spec = InitiativeSpec(
            key=key,
            title=self._text(item, "title", path, required=True),
            objective=self._text(item, "objective", path, limit=MAX_TEXT),
            owner_id=self._person(item, "owner", path),
            sponsor_id=self._person(item, "sponsor", path),
            start=self._date(item, "start", path),
            end=self._date(item, "end", path),
            status=self._choice(
                item, "status", path, list(InitiativeStatus.values), InitiativeStatus.ACTIVE
            ),
            weight=self._number(item, "weight", path, default=1.0, minimum=0) or 0.0,
        )
        if spec.start and spec.end and spec.end < spec.start:
            self.problem(self._line(item, "end"), f"{path}.end", "ends before it starts")
        units = self._list(item, "units", path)
        for index, (unit, line) in enumerate(zip(units, units.lines, strict=True), start=1):
            unit_id = self.units.get(str(unit).strip().casefold()) if unit is not None else None
            if unit_id is None:
                self.problem(
                    line, f"{path}.units[{index}]", f"no unit {unit!r} in this organization"
                )
            elif unit_id not in spec.unit_ids:
                spec.unit_ids.append(unit_id)
        spec.opportunities = self._keys(item, "opportunities", path)
        spec.parents = self._keys(item, "parents", path)
        spec.kpis = self._items(self._list(item, "kpis", path), f"{path}.kpis", self._kpi)
        spec.tactics = self._items(
            self._list(item, "tactics", path), f"{path}.tactics", self._tactic
        )
        spec.assignments = self._items(
            self._list(item, "assignments", path), f"{path}.assignments", self._assignment
        )
        spec.resources = self._items(
            self._list(item, "resources", path), f"{path}.resources", self._resource
        )
        spec.returns = self._items(
            self._list(item, "returns", path), f"{path}.returns", self._return
        )
        self._reference_lines[key] = (
            self._line(item, "opportunities"),
            self._line(item, "parents"),
        )
        return spec

    def _keys(self, item: LineDict, name: str, path: str) -> list[str]:
        values = self._list(item, name, path)
        keys = []
        for index, (value, line) in enumerate(zip(values, values.lines, strict=True), start=1):
            if not isinstance(value, str | int) or isinstance(value, bool):
                self.problem(line, f"{path}.{name}[{index}]", "expected a key")
                continue
            keys.append(str(value))
        return keys

    def _kpi(self, item: LineDict, path: str, _line: int) -> KPISpec | None:
        self._unknown(
            item,
            {
                "name", "unit", "baseline", "target", "direction", "values",
                "update_every_days", "archived",
            },
            path,
        )  # fmt: skip
        direction = self._choice(item, "direction", path, list(Direction.values), Direction.UP)
        baseline = self._number(item, "baseline", path, required=True)
        target = self._number(item, "target", path, required=True)
        if baseline is not None and target is not None:
            if direction == Direction.UP and target < baseline:
                self.problem(
                    self._line(item, "target"),
                    f"{path}.target",
                    "a KPI that should go up needs a target at or above its baseline",
                )
            if direction == Direction.DOWN and target > baseline:
                self.problem(
                    self._line(item, "target"),
                    f"{path}.target",
                    "a KPI that should go down needs a target at or below its baseline",
                )
        values: list[tuple[datetime.date, float]] = []
        raw = item.get("values")
        if raw is not None:
            if not isinstance(raw, LineDict):
                self.problem(
                    self._line(item, "values"),
                    f"{path}.values",
                    "expected dates with values, like  2026-03-31: 12.5",
                )
            else:
                for day, value in raw.items():
                    line = raw.lines.get(day, raw.line)
                    parsed = self._as_date(day, line, f"{path}.values.{day}")
                    if isinstance(value, bool) or not isinstance(value, int | float):
                        self.problem(line, f"{path}.values.{day}", f"{value!r} is not a number")
                    elif parsed is not None:
                        values.append((parsed, float(value)))
        return KPISpec(
            name=self._text(item, "name", path, required=True),
            unit=self._text(item, "unit", path, limit=40),
            baseline=baseline or 0.0,
            target=target or 0.0,
            direction=direction,
            values=sorted(values),
            update_every_days=self._days(item, "update_every_days", path),
            archived=self._flag(item, "archived", path),
        )

    def _tactic(self, item: LineDict, path: str, _line: int) -> TacticSpec:
        self._unknown(
            item, {"key", "title", "description", "weight", "assignments", "archived"}, path
        )
        return TacticSpec(
            key=self._key(item, path, self.tactic_keys, required=False),
            title=self._text(item, "title", path, required=True),
            description=self._text(item, "description", path, limit=MAX_TEXT),
            weight=self._number(item, "weight", path, default=1.0, minimum=0) or 0.0,
            assignments=self._items(
                self._list(item, "assignments", path), f"{path}.assignments", self._assignment
            ),
            archived=self._flag(item, "archived", path),
        )

    def _flag(self, item: LineDict, name: str, path: str) -> bool:
        value = item.get(name, False)
        if not isinstance(value, bool):
            self.problem(self._line(item, name), f"{path}.{name}", "expected true or false")
            return False
        return value

    def _days(self, item: LineDict, name: str, path: str) -> int | None:
        value = item.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.problem(
                self._line(item, name),
                f"{path}.{name}",
                "expected a whole number of days, 1 or more",
            )
            return None
        return value

    def _assignment(self, item: LineDict, path: str, _line: int) -> AssignmentSpec | None:
        self._unknown(
            item,
            {
                "key", "title", "instructions", "acceptance_criteria", "due", "delegator",
                "owner", "status", "weight",
            },
            path,
        )  # fmt: skip
        owner = self._person(item, "owner", path, required=True)
        spec = AssignmentSpec(
            key=self._key(item, path, self.assignment_keys, required=False),
            title=self._text(item, "title", path, required=True),
            owner_id=owner or 0,
            delegator_id=self._person(item, "delegator", path),
            instructions=self._text(item, "instructions", path, limit=MAX_TEXT),
            acceptance_criteria=self._text(item, "acceptance_criteria", path, limit=MAX_TEXT),
            due=self._date(item, "due", path),
            status=self._choice(
                item, "status", path, list(AssignmentStatus.values), AssignmentStatus.PROPOSED
            ),
            weight=self._number(item, "weight", path, default=1.0, minimum=0) or 0.0,
        )
        return spec

    def _resource(self, item: LineDict, path: str, _line: int) -> ResourceSpec | None:
        self._unknown(item, {"kind", "label", "period", "planned", "actual", "rate"}, path)
        if item.get("kind") is None:
            self.problem(self._line(item, "kind"), f"{path}.kind", "kind is required")
        kind = self._choice(item, "kind", path, list(ResourceKind.values), ResourceKind.FINANCIAL)
        rate = self._number(item, "rate", path, default=1.0, minimum=0)
        if kind != ResourceKind.HUMAN and item.get("rate") not in (None, 1, 1.0):
            self.problem(
                self._line(item, "rate"),
                f"{path}.rate",
                "a rate applies to people's hours (kind: human) only",
            )
        period = self._month(item, "period", path)
        spec = ResourceSpec(
            kind=kind,
            period=period or datetime.date(1900, 1, 1),
            planned=self._number(item, "planned", path, default=0.0, minimum=0) or 0.0,
            actual=self._number(item, "actual", path, default=0.0, minimum=0) or 0.0,
            rate=rate if rate is not None else 1.0,
            label=self._text(item, "label", path),
        )
        return spec

    def _return(self, item: LineDict, path: str, _line: int) -> ReturnSpec | None:
        self._unknown(item, {"period", "amount", "kind", "note"}, path)
        period = self._month(item, "period", path)
        return ReturnSpec(
            period=period or datetime.date(1900, 1, 1),
            amount=self._number(item, "amount", path, required=True) or 0.0,
            kind=self._choice(item, "kind", path, list(ReturnKind.values), ReturnKind.REVENUE),
            note=self._text(item, "note", path, limit=500),
        )

    def _check_references(self, initiatives: list[InitiativeSpec]) -> None:
        keys = {i.key for i in initiatives}
        for spec in initiatives:
            opportunities_line, parents_line = self._reference_lines.get(spec.key, (1, 1))
            path = f"initiatives[{spec.key}]"
            for key in spec.opportunities:
                if key not in self.opportunity_keys and key not in self.known_opportunities:
                    self.problem(
                        opportunities_line,
                        f"{path}.opportunities",
                        f"no opportunity with the key {key!r} in the file or the plan",
                    )
            for key in spec.parents:
                if key == spec.key:
                    self.problem(
                        parents_line, f"{path}.parents", "an initiative can't be its own parent"
                    )
                elif key not in keys and key not in self.known_initiatives:
                    self.problem(
                        parents_line,
                        f"{path}.parents",
                        f"no initiative with the key {key!r} in the file or the plan",
                    )
        # A cycle among the file's initiatives (parents given in the file).
        graph = {i.key: [p for p in i.parents if p in keys] for i in initiatives}
        state: dict[str, int] = {}

        def visit(node: str, trail: list[str]) -> list[str] | None:
            state[node] = 1
            for parent in graph.get(node, []):
                if state.get(parent) == 1:
                    return [*trail, node, parent]
                if state.get(parent) is None and (cycle := visit(parent, [*trail, node])):
                    return cycle
            state[node] = 2
            return None

        for node in graph:
            if state.get(node) is None and (cycle := visit(node, [])):
                start = cycle[cycle.index(cycle[-1])]
                loop = cycle[cycle.index(start) :]
                self.problem(
                    self._reference_lines.get(cycle[-2], (1, 1))[1],
                    f"initiatives[{cycle[-2]}].parents",
                    "the parents form a cycle: " + " -> ".join(loop),
                )
                break
