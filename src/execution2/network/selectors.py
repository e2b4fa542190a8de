"""Reads for the network capability, always scoped to one organization."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.apps import apps

from execution2.analytics.network import OrgChart, PeopleKeys
from execution2.analytics.network.breadth import Breadth, initiative_breadth
from execution2.network.models import EventImport, EventStore, NetworkSnapshot
from execution2.network.store import network_dir
from execution2.orgs.models import Organization, Person, PersonHistory, Unit
from execution2.orgs.selectors import unit_subtree_filter

logger = logging.getLogger(__name__)
IntArray = npt.NDArray[np.int64]
_EPOCH = datetime.date(1970, 1, 1).toordinal()
_NO_DAY = -(2**40)
_NO_END = 2**40


def event_store(*, organization: Organization) -> EventStore | None:
    return EventStore.objects.filter(organization=organization).first()


def recent_imports(*, organization: Organization, limit: int = 5) -> list[EventImport]:
    return list(EventImport.objects.filter(organization=organization)[:limit])


def latest_snapshot(*, organization: Organization) -> NetworkSnapshot | None:
    return NetworkSnapshot.objects.filter(organization=organization).first()


def people_keys(*, organization: Organization) -> PeopleKeys:
    """Everyone the organization has ever had, with the seconds they were employed."""
    rows = list(
        Person.objects.filter(organization=organization)
        .order_by("pk")
        .values_list("pk", "external_id", "email", "start_date", "end_date")
    )
    start = np.array(
        [(s.toordinal() - _EPOCH) * 86400 if s else np.iinfo(np.int64).min for *_, s, _e in rows],
        dtype=np.int64,
    )
    end = np.array(
        [
            (e.toordinal() - _EPOCH + 1) * 86400 - 1 if e else np.iinfo(np.int64).max
            for *_, e in rows
        ],
        dtype=np.int64,
    )
    return PeopleKeys(
        person_ids=np.array([r[0] for r in rows], dtype=np.int64),
        external_ids=[r[1] for r in rows],
        emails=[(r[2] or "").lower() for r in rows],
        start_s=start,
        end_s=end,
    )


@dataclass(frozen=True)
class ChartHistory:
    """Every position record of the organization, to build its chart as of any day quickly."""

    person: IntArray
    valid_from: IntArray
    valid_to: IntArray
    unit: IntArray
    """Database unit id of each record."""
    manager: IntArray
    """Database person id of the manager, or -1."""
    unit_ids: IntArray
    unit_parent_ids: IntArray
    unit_paths: tuple[str, ...]

    def as_of(self, day: datetime.date) -> OrgChart:
        ordinal = day.toordinal()
        current = (self.valid_from <= ordinal) & (ordinal < self.valid_to)
        people, first = np.unique(self.person[current], return_index=True)
        records = np.nonzero(current)[0][first]
        unit_index = np.searchsorted(self.unit_ids, self.unit[records])
        managers = self.manager[records]
        manager_index = np.full(len(people), -1, dtype=np.int64)
        if len(people):
            found = np.minimum(np.searchsorted(people, managers), len(people) - 1)
            in_chart = (managers >= 0) & (people[found] == managers)
            manager_index = np.where(in_chart, found, -1).astype(np.int64)
        parent = np.searchsorted(self.unit_ids, self.unit_parent_ids)
        return OrgChart(
            person_ids=people.astype(np.int64),
            unit=unit_index.astype(np.int64),
            manager=manager_index,
            unit_ids=self.unit_ids,
            unit_parent=np.where(self.unit_parent_ids >= 0, parent, -1).astype(np.int64),
            unit_paths=self.unit_paths,
        )


def chart_history(*, organization: Organization) -> ChartHistory:
    units = list(
        Unit.objects.filter(organization=organization)
        .order_by("pk")
        .values_list("pk", "parent_id", "path")
    )
    records = list(
        PersonHistory.objects.filter(person__organization=organization)
        .order_by("person_id", "valid_from")
        .values_list("person_id", "valid_from", "valid_to", "unit_id", "manager_id")
    )
    return ChartHistory(
        person=np.array([r[0] for r in records], dtype=np.int64),
        valid_from=np.array(
            [r[1].toordinal() if r[1] else _NO_DAY for r in records], dtype=np.int64
        ),
        valid_to=np.array([r[2].toordinal() if r[2] else _NO_END for r in records], dtype=np.int64),
        unit=np.array([r[3] for r in records], dtype=np.int64),
        manager=np.array([r[4] if r[4] else -1 for r in records], dtype=np.int64),
        unit_ids=np.array([u[0] for u in units], dtype=np.int64),
        unit_parent_ids=np.array([u[1] if u[1] else -1 for u in units], dtype=np.int64),
        unit_paths=tuple(u[2] for u in units),
    )


def snapshot_people(*, snapshot: NetworkSnapshot) -> dict[str, IntArray] | None:
    """The per-person arrays of a snapshot (sensitive): person_ids, degree, betweenness, reach."""
    if not snapshot.people_file:
        return None
    path = network_dir(snapshot.organization_id) / snapshot.people_file
    if not path.exists():
        return None
    with np.load(path) as data:
        return {key: data[key] for key in data.files}


def people_names(*, organization: Organization, person_ids: list[int]) -> dict[int, Any]:
    return {
        person.pk: person
        for person in Person.objects.filter(organization=organization, pk__in=person_ids)
        .select_related("unit")
        .only("pk", "name", "external_id", "title", "unit__path")
    }


def unit_for(*, organization: Organization, unit_id: int) -> Unit | None:
    return Unit.objects.filter(organization=organization, pk=unit_id).first()


def unit_by_path(*, organization: Organization, path: str) -> Unit | None:
    cleaned = " / ".join(part.strip() for part in path.split("/") if part.strip())
    return Unit.objects.filter(organization=organization, path__iexact=cleaned).first()


# --- the plan, when the plans capability provides one ----------------------------------------


@dataclass(frozen=True, slots=True)
class InitiativeBreadth:
    initiative_id: int
    title: str
    breadth: Breadth


def plan_available() -> bool:
    if not apps.is_installed("execution2.plans"):
        return False
    try:
        apps.get_model("plans", "Initiative")
    except LookupError:
        return False
    return True


def initiative_breadths(
    *, organization: Organization, chart: OrgChart, level: int = 0
) -> list[InitiativeBreadth] | None:
    """Breadth per initiative from the units of the people involved (owner, sponsor,
    assignment owners and delegators); None when the plan isn't there to read.

    Units are counted at `level` (0: the top-level units), normalised by how many exist.
    """
    if not plan_available():
        return None
    try:
        initiative_model = apps.get_model("plans", "Initiative")
        initiatives = list(
            initiative_model.objects.filter(organization=organization).values_list(
                "pk", "title", "owner_id", "sponsor_id"
            )
        )
        involved: list[tuple[int, int]] = [
            (pk, person)
            for pk, _t, owner, sponsor in initiatives
            for person in (owner, sponsor)
            if person
        ]
        try:
            assignment_model = apps.get_model("plans", "Assignment")
            for pk, owner, delegator in assignment_model.objects.filter(
                organization=organization, initiative__isnull=False
            ).values_list("initiative_id", "owner_id", "delegator_id"):
                involved += [(pk, p) for p in (owner, delegator) if p]
        except LookupError:
            pass
    except Exception:  # The plan's models are still changing; never break the page for it.
        logger.exception("could not read the plan for initiative breadth")
        return None
    if not initiatives:
        return []
    pairs = np.array(sorted(set(involved)), dtype=np.int64).reshape(-1, 2)
    position = np.searchsorted(chart.person_ids, pairs[:, 1])
    clipped = np.minimum(position, max(chart.n - 1, 0))
    known = (chart.person_ids[clipped] == pairs[:, 1]) if chart.n else np.zeros(0, bool)
    rolled = chart.partition(level)[clipped[known]]
    groups = chart.partition(level)
    results = initiative_breadth(
        pairs[known, 0], rolled, unit_count=len(np.unique(groups)) if chart.n else None
    )
    titles = {pk: title for pk, title, *_ in initiatives}
    by_id = {b.initiative: b for b in results}
    return [InitiativeBreadth(pk, titles[pk], by_id[pk]) for pk, *_ in initiatives if pk in by_id]


def subtree_unit_ids(*, organization: Organization, unit: Unit) -> list[int]:
    """The unit and every unit below it."""
    return list(
        Unit.objects.filter(organization=organization)
        .filter(unit_subtree_filter(unit, prefix=""))
        .values_list("pk", flat=True)
    )


def connectedness_figures(
    *, organization: Organization, unit_id: int | None = None
) -> dict[str, Any] | None:
    """The latest analysis's figures behind the Execution Index's connectedness component.

    For the organization (unit_id None) or one unit: cross-unit share, isolate share,
    leadership reach (mean, 90th percentile and for the organization the share reached), the
    number of people, and the window. None when nothing has been analysed (or the unit had
    nobody in the window). Figures about units only: nothing about individuals.
    """
    snapshot = latest_snapshot(organization=organization)
    if snapshot is None:
        return None
    results = snapshot.results
    if unit_id is None:
        row: dict[str, Any] | None = results.get("summary")
    else:
        row = next((u for u in results.get("units", []) if u["unit_id"] == unit_id), None)
    if row is None:
        return None
    keys = ("people", "cross_unit_share", "isolate_share", "reach_mean", "reach_p90", "reach_share")
    return {
        **{key: row.get(key) for key in keys},
        "as_of": snapshot.as_of,
        "window_days": snapshot.window_days,
    }
