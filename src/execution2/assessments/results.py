"""A cycle's results as every output sees them: scored by the core, then through anonymity.

`cycle_result(cycle)` is the only way pages, commands and exports read scores. It scores the
cycle with `analytics.assessment.scoring.score_cycle`, decides what may be shown with
`analytics.anonymity.disclose` (by the organization's thresholds), and hands out values only
through `CycleResult.group`, which returns a suppressed group without any value when the
disclosure hides it. Comments go through `CycleResult.comments`, with their own threshold.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from execution2.analytics.anonymity import FLOOR, Disclosure, Group, Partition, disclose
from execution2.analytics.assessment.instrument import ATTRIBUTES
from execution2.analytics.assessment.instrument import Instrument as Spec
from execution2.analytics.assessment.scoring import (
    ALL,
    GROUP_NAMES,
    LEVELS,
    ORGANIZATION,
    RATER_GROUPS,
    SUBJECT,
    UNIT,
    CycleData,
    CycleScores,
    ScaleSpec,
    cycle_disclosure,
    score_cycle,
)
from execution2.assessments.choices import CycleStatus
from execution2.assessments.models import Comment, Cycle, Invitation, Response, Subject
from execution2.orgs.models import Unit

# Scored cycles kept per process. Each is immutable (see `_frozen`), so sharing one between
# requests and threads is safe; `functools.lru_cache` keeps its own bookkeeping thread-safe.
_CACHE_SIZE = 16


@dataclass(frozen=True, slots=True)
class ScaleResult:
    key: str
    title: str
    n: int
    score: float | None
    favourable: float | None
    distribution: tuple[int, ...]
    alpha: float | None
    alpha_low: float | None
    alpha_high: float | None
    omega: float | None
    rwg_j: float | None
    change: float | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "score": _round(self.score, 1),
            "favourable": _round(self.favourable, 1),
            "distribution": list(self.distribution),
            "alpha": _round(self.alpha, 3),
            "alpha_ci95": [_round(self.alpha_low, 3), _round(self.alpha_high, 3)],
            "omega": _round(self.omega, 3),
            "rwg_j": _round(self.rwg_j, 3),
            "change": _round(self.change, 1),
        }


@dataclass(frozen=True, slots=True)
class ItemResult:
    key: str
    scale: str
    text: str
    n: int
    mean: float | None
    item_total: float | None


@dataclass(frozen=True, slots=True)
class GroupResult:
    level: str
    entity_id: int | None  # Subject pk, Unit pk, or None for the organization
    rater_group: str
    suppressed: bool
    n: int | None = None
    scales: tuple[ScaleResult, ...] = ()
    items: tuple[ItemResult, ...] = ()

    def scale(self, key: str) -> ScaleResult | None:
        return next((s for s in self.scales if s.key == key), None)

    @property
    def attributes(self) -> tuple[ScaleResult, ...]:
        return tuple(s for s in self.scales if s.key in ATTRIBUTES)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _value(x: Any) -> float | None:
    value = float(x)
    return value if np.isfinite(value) else None


@dataclass(frozen=True)
class ScoredCycle:
    """A cycle scored and disclosed: the part of a result that is the same for every caller.

    It is cached and shared, so nothing in it can change: arrays are read-only and mappings
    are read-only views. Values are read only through `group` and `subject_scores`.
    """

    kind: str
    spec: Spec
    scores: CycleScores
    disclosure: Disclosure
    subject_pks: tuple[int, ...]
    unit_pks: tuple[int, ...]
    thresholds: Mapping[str, int]
    data: CycleData
    """The response rows as scored (for resampling by the Execution Index; never shown)."""
    person_of_subject: Mapping[int, int]
    subject_of_person: Mapping[int, int]
    previous_pk: int | None = None
    previous: ScoredCycle | None = None
    _index: Mapping[tuple[int, int, int], int] = dataclasses.field(default_factory=dict)
    _subject_position: Mapping[int, int] = dataclasses.field(default_factory=dict)
    _unit_position: Mapping[int, int] = dataclasses.field(default_factory=dict)

    # The one gate: every value shown anywhere comes out of here.
    def group(
        self, level: str, entity_id: int | None, rater_group: str = ALL
    ) -> GroupResult | None:
        """The group's values, a suppressed group without values, or None when nobody answered."""
        key = self._key(level, entity_id, rater_group)
        if key is None or key not in self._index:
            return None
        if not self.disclosure.is_shown(key):
            return GroupResult(level, entity_id, rater_group, suppressed=True)
        row = self._index[key]
        s = self.scores
        previous = self._previous_scores(level, entity_id, rater_group)
        scales = []
        for position, scale_key in enumerate(s.scale_keys):
            score = _value(s.score[row, position])
            before = previous.get(scale_key) if previous else None
            scales.append(
                ScaleResult(
                    key=scale_key,
                    title=self.spec.scale(scale_key).title,
                    n=int(s.scale_n[row, position]),
                    score=score,
                    favourable=_value(s.favourable[row, position]),
                    distribution=tuple(int(v) for v in s.distribution[row, position]),
                    alpha=_value(s.alpha[row, position]),
                    alpha_low=_value(s.alpha_low[row, position]),
                    alpha_high=_value(s.alpha_high[row, position]),
                    omega=_value(s.omega[row, position]),
                    rwg_j=_value(s.rwg_j[row, position]),
                    change=(score - before) if score is not None and before is not None else None,
                )
            )
        items = tuple(
            ItemResult(
                key=item.key,
                scale=item.scale,
                text=item.text("general" if self.kind == "pulse" else "observer"),
                n=int(s.item_n[row, i]),
                mean=_value(s.item_mean[row, i]),
                item_total=_value(s.item_total[row, i]),
            )
            for i, item in enumerate(self.spec.items)
        )
        return GroupResult(
            level, entity_id, rater_group, False, int(s.n[row]), tuple(scales), items
        )

    def _key(
        self, level: str, entity_id: int | None, rater_group: str
    ) -> tuple[int, int, int] | None:
        if rater_group not in GROUP_NAMES:
            return None
        rg = GROUP_NAMES.index(rater_group)
        if level == "organization":
            return (ORGANIZATION, 0, rg)
        if level == "subject" and entity_id in self._subject_position:
            return (SUBJECT, self._subject_position[entity_id], rg)
        if level == "unit" and entity_id in self._unit_position:
            return (UNIT, self._unit_position[entity_id], rg)
        return None

    def _previous_scores(
        self, level: str, entity_id: int | None, rater_group: str
    ) -> dict[str, float] | None:
        if self.previous is None:
            return None
        other_id = entity_id
        if level == "subject":
            person = self.person_of_subject.get(entity_id or 0)
            other_id = self.previous.subject_of_person.get(person or 0)
            if other_id is None:
                return None
        before = self.previous.group(level, other_id, rater_group)
        if before is None or before.suppressed:
            return None
        return {s.key: s.score for s in before.scales if s.score is not None}

    def subject_scores(self, rater_group: str = ALL) -> dict[int, tuple[int, dict[str, float]]]:
        """Subject pk -> (n, scale scores) of every subject group the disclosure shows: the
        same values `group` gives, read for all managers at once (no items, no changes)."""
        if rater_group not in GROUP_NAMES:
            return {}
        rg = GROUP_NAMES.index(rater_group)
        s = self.scores
        out = {}
        for position, pk in enumerate(self.subject_pks):
            key = (SUBJECT, position, rg)
            row = self._index.get(key)
            if row is None or not self.disclosure.is_shown(key):
                continue
            values = {
                scale_key: float(s.score[row, column])
                for column, scale_key in enumerate(s.scale_keys)
                if np.isfinite(s.score[row, column])
            }
            out[pk] = (int(s.n[row]), values)
        return out

    def groups(self) -> Iterator[tuple[str, int | None, str]]:
        """Every group with answers: (level, entity id, rater group)."""
        for level, entity, rg in self._index:
            if level == SUBJECT:
                yield "subject", self.subject_pks[entity], GROUP_NAMES[rg]
            elif level == UNIT:
                yield "unit", self.unit_pks[entity], GROUP_NAMES[rg]
            else:
                yield "organization", None, GROUP_NAMES[rg]


class CycleResult:
    """One caller's view of a scored cycle: the shared `ScoredCycle` and the caller's own
    `cycle` object. Made afresh by every `cycle_result` call, so nothing here is shared."""

    def __init__(self, cycle: Cycle, scored: ScoredCycle):
        self.cycle = cycle
        self.scored = scored

    @property
    def spec(self) -> Spec:
        return self.scored.spec

    @property
    def scores(self) -> CycleScores:
        return self.scored.scores

    @property
    def disclosure(self) -> Disclosure:
        return self.scored.disclosure

    @property
    def subject_pks(self) -> tuple[int, ...]:
        return self.scored.subject_pks

    @property
    def unit_pks(self) -> tuple[int, ...]:
        return self.scored.unit_pks

    @property
    def data(self) -> CycleData:
        return self.scored.data

    @property
    def thresholds(self) -> dict[str, int]:
        return dict(self.scored.thresholds)

    @functools.cached_property
    def previous(self) -> CycleResult | None:
        """The earlier cycle compared against, with its own (fresh) cycle object."""
        if self.scored.previous is None or self.scored.previous_pk is None:
            return None
        earlier = Cycle.objects.select_related("instrument").get(pk=self.scored.previous_pk)
        return CycleResult(earlier, self.scored.previous)

    def group(
        self, level: str, entity_id: int | None, rater_group: str = ALL
    ) -> GroupResult | None:
        return self.scored.group(level, entity_id, rater_group)

    def subject_scores(self, rater_group: str = ALL) -> dict[int, tuple[int, dict[str, float]]]:
        return self.scored.subject_scores(rater_group)

    def groups(self) -> Iterator[tuple[str, int | None, str]]:
        return self.scored.groups()

    def comments(
        self, subject_id: int | None = None, unit_id: int | None = None
    ) -> list[tuple[str, str]]:
        """(question, text) for a subject's or a unit's own comments, shuffled; [] when too few."""
        level = "subject" if subject_id is not None else "unit"
        group = self.group(level, subject_id if subject_id is not None else unit_id, ALL)
        if group is None or group.suppressed or (group.n or 0) < self.scored.thresholds["comments"]:
            return []
        rows = Comment.objects.filter(cycle=self.cycle).exclude(rater_group="self")
        rows = (
            rows.filter(subject_id=subject_id)
            if subject_id is not None
            else rows.filter(unit_id=unit_id, subject__isnull=True)
        )
        comments = list(rows.values_list("question", "text"))
        random.SystemRandom().shuffle(comments)
        return comments


def anonymity_settings(cycle: Cycle) -> dict[str, int]:
    anonymity = cycle.organization.effective_settings["anonymity"]
    return {
        "min_group": max(int(anonymity.get("min_group", 5)), FLOOR),
        "min_direct_reports": max(int(anonymity.get("min_direct_reports", 5)), FLOOR),
        "comments": max(int(anonymity.get("min_comments", 5)), FLOOR),
    }


def _answer_matrix(given: list[dict[str, Any]], keys: tuple[str, ...]) -> np.ndarray:
    """(responses, items) of answers 1-5, 0 where unanswered or not a whole number 1-5."""
    table = np.array([[answer.get(key, 0) for key in keys] for answer in given])
    if table.dtype.kind in "iub" and table.shape == (len(given), len(keys)):
        table = table.astype(np.int64)
        return np.where((table >= 1) & (table <= 5), table, 0).astype(np.int8)
    # Something else than whole numbers was stored: check answer by answer.
    answers = np.zeros((len(given), len(keys)), dtype=np.int8)
    column = {key: i for i, key in enumerate(keys)}
    for r, answer in enumerate(given):
        for key, value in answer.items():
            position = column.get(key)
            if position is not None and isinstance(value, int) and 1 <= value <= 5:
                answers[r, position] = value
    return answers


def _cycle_data(cycle: Cycle, spec: Spec) -> tuple[CycleData, list[int], list[int], dict[int, int]]:
    units = list(
        Unit.objects.filter(organization=cycle.organization).values_list("pk", "parent_id")
    )
    unit_pks = [pk for pk, _ in units]
    unit_position = {pk: i for i, pk in enumerate(unit_pks)}
    unit_parent = np.array(
        [unit_position.get(parent, -1) if parent else -1 for _, parent in units], dtype=np.int64
    )
    subjects = list(Subject.objects.filter(cycle=cycle).values_list("pk", "unit_id", "person_id"))
    subject_pks = [pk for pk, _, _ in subjects]
    subject_position = {pk: i for i, pk in enumerate(subject_pks)}
    subject_unit = np.array([unit_position[u] for _, u, _ in subjects], dtype=np.int64)
    rows = list(
        Response.objects.filter(cycle=cycle).values_list(
            "subject_id", "rater_group", "unit_id", "answers"
        )
    )
    answers = _answer_matrix([given for _, _, _, given in rows], spec.item_keys)
    data = CycleData(
        answers=answers,
        subject=np.array(
            [subject_position[s] if s is not None else -1 for s, _, _, _ in rows], dtype=np.int64
        ),
        rater_group=np.array([GROUP_NAMES.index(g) for _, g, _, _ in rows], dtype=np.int8),
        unit=np.array([unit_position[u] for _, _, u, _ in rows], dtype=np.int64),
        unit_parent=unit_parent,
        subject_unit=subject_unit,
        scales=tuple(ScaleSpec(key, columns) for key, columns in spec.scale_columns()),
    )
    return data, subject_pks, unit_pks, {pk: person for pk, _, person in subjects}


def previous_cycle(cycle: Cycle) -> Cycle | None:
    """The latest closed cycle of the same instrument that opened before this one."""
    return (
        Cycle.objects.filter(
            organization_id=cycle.organization_id,
            instrument__key=cycle.instrument.key,
            status=CycleStatus.CLOSED,
            opens_on__lt=cycle.opens_on,
        )
        .order_by("-opens_on", "-pk")
        .first()
    )


@dataclass(frozen=True, slots=True)
class _CycleKey:
    """Everything a cycle's scores depend on: a new answer, unit or threshold is a new key."""

    cycle_pk: int
    created_at: datetime.datetime
    kind: str
    instrument_id: int
    last_response: int | None
    responses: int
    units: int
    thresholds: tuple[tuple[str, int], ...]
    with_previous: bool


def _cycle_key(cycle: Cycle, *, with_previous: bool) -> _CycleKey:
    responses = Response.objects.filter(cycle=cycle)
    return _CycleKey(
        cycle_pk=cycle.pk,
        created_at=cycle.created_at,
        kind=cycle.kind,
        instrument_id=cycle.instrument_id,
        last_response=responses.order_by("-pk").values_list("pk", flat=True).first(),
        responses=responses.count(),
        units=Unit.objects.filter(organization_id=cycle.organization_id).count(),
        thresholds=tuple(sorted(anonymity_settings(cycle).items())),
        with_previous=with_previous,
    )


def _read_only(value: Any) -> Any:
    """The same frozen dataclass with every array in it made read-only (in place: it is ours)."""
    for item in dataclasses.fields(value):
        array = getattr(value, item.name)
        if isinstance(array, np.ndarray):
            array.setflags(write=False)
    return value


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _scored_cycle(key: _CycleKey) -> ScoredCycle:
    cycle = Cycle.objects.select_related("organization", "instrument").get(pk=key.cycle_pk)
    thresholds = dict(key.thresholds)
    spec = cycle.instrument.parsed()
    data, subject_pks, unit_pks, person_of = _cycle_data(cycle, spec)
    scores = score_cycle(data)
    disclosure = cycle_disclosure(
        scores,
        min_group=thresholds["min_group"],
        min_direct_reports=thresholds["min_direct_reports"],
    )
    previous, previous_pk = None, None
    if key.with_previous:
        earlier = previous_cycle(cycle)
        if earlier is not None and earlier.instrument.parsed().item_keys == spec.item_keys:
            previous = _scored_cycle(_cycle_key(earlier, with_previous=False))
            previous_pk = earlier.pk
    return ScoredCycle(
        kind=key.kind,
        spec=spec,
        scores=_read_only(scores),
        disclosure=dataclasses.replace(
            disclosure,
            hidden=MappingProxyType(dict(disclosure.hidden)),
            thresholds=MappingProxyType(dict(disclosure.thresholds)),
        ),
        subject_pks=tuple(subject_pks),
        unit_pks=tuple(unit_pks),
        thresholds=MappingProxyType(thresholds),
        data=_read_only(data),
        person_of_subject=MappingProxyType(person_of),
        subject_of_person=MappingProxyType({person: pk for pk, person in person_of.items()}),
        previous_pk=previous_pk,
        previous=previous,
        _index=MappingProxyType(scores.index()),
        _subject_position=MappingProxyType({pk: i for i, pk in enumerate(subject_pks)}),
        _unit_position=MappingProxyType({pk: i for i, pk in enumerate(unit_pks)}),
    )


def cycle_result(cycle: Cycle, *, with_previous: bool = True) -> CycleResult:
    """The cycle's results through the anonymity gate (module docstring); scoring is cached
    per process, the returned object is the caller's own."""
    return CycleResult(cycle, _scored_cycle(_cycle_key(cycle, with_previous=with_previous)))


@dataclass(frozen=True, slots=True)
class ResponseRate:
    unit: Unit
    invited: int | None
    answered: int | None
    rate: float | None  # None when too few were invited to show it


def response_rates(cycle: Cycle, *, depth: int | None = None) -> list[ResponseRate]:
    """Per unit (and everything below it): how many were invited and answered, never who."""
    counts: dict[int, list[int]] = {}
    for unit_id, answered in Invitation.objects.filter(cycle=cycle).values_list(
        "unit_id", "answered"
    ):
        entry = counts.setdefault(unit_id, [0, 0])
        entry[0] += 1
        entry[1] += int(answered)
    units = list(Unit.objects.filter(organization=cycle.organization))
    by_pk = {u.pk: u for u in units}
    totals: dict[int, list[int]] = {u.pk: [0, 0] for u in units}
    for unit_id, (invited, answered) in counts.items():
        current: Unit | None = by_pk.get(unit_id)
        while current is not None:
            totals[current.pk][0] += invited
            totals[current.pk][1] += answered
            current = by_pk.get(current.parent_id) if current.parent_id else None
    # Rates pass through the same anonymity rules as scores: a unit's count could otherwise be
    # recovered by subtracting its siblings' counts from the parent's.
    disclosure = disclose(
        [Group(key=pk, kind="invited", n=total[0]) for pk, total in totals.items()],
        [
            Partition(whole=u.pk, parts=tuple(c.pk for c in units if c.parent_id == u.pk))
            for u in units
        ],
        {"invited": anonymity_settings(cycle)["min_group"]},
    )
    out = []
    for unit in units:
        if depth is not None and unit.depth > depth:
            continue
        invited, answered = totals[unit.pk]
        if invited == 0:
            continue
        if not disclosure.is_shown(unit.pk):
            out.append(ResponseRate(unit, None, None, None))
        else:
            out.append(ResponseRate(unit, invited, answered, answered / invited * 100))
    return out


def overall_rate(cycle: Cycle) -> tuple[int, int]:
    invited = Invitation.objects.filter(cycle=cycle).count()
    answered = Invitation.objects.filter(cycle=cycle, answered=True).count()
    return invited, answered


LEVEL_NAMES = LEVELS


def respondent_scores(
    result: CycleResult, scale_keys: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Every response's scale scores 0-100 (NaN where unanswered) in `scale_keys` order, and the
    pk of the unit each counts toward; self-ratings left out, as in the "all" group.

    For resampling only (the Execution Index's bootstrap interval): these rows are never shown,
    and the index shows an interval only for groups `CycleResult.group` discloses.
    """
    data = result.data
    unit_pks = result.unit_pks
    columns = dict(result.spec.scale_columns())
    others = data.rater_group != RATER_GROUPS.index("self")
    answers = data.answers[others].astype(np.float64)
    scores = np.full((answers.shape[0], len(scale_keys)), np.nan)
    for position, key in enumerate(scale_keys):
        if key not in columns:
            continue
        block = answers[:, list(columns[key])]
        count = (block > 0).sum(axis=1)
        total = block.sum(axis=1)
        has = count > 0
        scores[has, position] = (total[has] / count[has] - 1) / 4 * 100
    units = np.asarray(unit_pks, dtype=np.int64)[data.unit[others]]
    return scores, units
