"""Reads, always scoped to one organization."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from execution2.analytics.units import UNIT_SEPARATOR
from execution2.core.text import fold
from execution2.orgs.models import Membership, Organization, Person, PersonHistory, Unit


def organizations_for_user(*, user: object) -> QuerySet[Organization]:
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).distinct()


def membership_for(*, user: object, slug: str) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.select_related("organization", "person")
        .filter(user=user, organization__slug=slug)
        .first()
    )


def units_with_counts(*, organization: Organization) -> list[tuple[Unit, int, int]]:
    """Every unit with its own active headcount and the headcount of its whole subtree."""
    units = list(
        Unit.objects.filter(organization=organization).annotate(
            headcount=Count("people", filter=Q(people__active=True))
        )
    )
    subtree: dict[str, int] = {}
    for unit in units:
        segments = unit.path.split(" / ")
        for depth in range(1, len(segments) + 1):
            key = " / ".join(segments[:depth]).casefold()
            subtree[key] = subtree.get(key, 0) + unit.headcount  # type: ignore[attr-defined]
    return [(u, u.headcount, subtree[u.path.casefold()]) for u in units]  # type: ignore[attr-defined]


def unit_subtree_filter(unit: Unit | str, prefix: str = "unit") -> Q:
    """Rows whose unit is `unit` (a unit or a unit path) or anywhere below it.

    `prefix` is the lookup from the filtered model to its unit; "" filters units themselves.
    Paths compare regardless of case, as `analytics.units.path_within` does in memory.
    """
    lookup = f"{prefix}__" if prefix else ""
    if isinstance(unit, str):
        itself = Q(**{f"{lookup}path__iexact": unit})
        path = unit
    else:
        itself = Q(**{f"{lookup}pk": unit.pk})
        path = unit.path
    return itself | Q(**{f"{lookup}path__istartswith": path + UNIT_SEPARATOR})


def people_search(
    *,
    organization: Organization,
    query: str = "",
    unit: Unit | None = None,
    include_inactive: bool = False,
) -> QuerySet[Person]:
    people = Person.objects.filter(organization=organization).select_related("unit", "manager")
    if not include_inactive:
        people = people.filter(active=True)
    if unit is not None:
        people = people.filter(unit_subtree_filter(unit))
    for word in fold(query).split():
        people = people.filter(search_text__contains=word)
    return people.order_by("name", "pk")


def manager_chain(*, person: Person, limit: int = 50) -> list[Person]:
    """From the person's manager up to the top; `limit` guards against bad data."""
    chain: list[Person] = []
    seen = {person.pk}
    current = person.manager
    while current is not None and current.pk not in seen and len(chain) < limit:
        chain.append(current)
        seen.add(current.pk)
        current = current.manager
    return chain


@dataclass(frozen=True, slots=True)
class Position:
    person_id: int
    unit_id: int
    manager_id: int | None
    title: str


def positions_as_of(*, organization: Organization, day: datetime.date) -> dict[int, Position]:
    """Who sat where, under whom, on `day`: the org chart as later analyses must see it."""
    records = PersonHistory.objects.filter(person__organization=organization).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_to__isnull=True) | Q(valid_to__gt=day),
    )
    return {
        person_id: Position(person_id, unit_id, manager_id, title)
        for person_id, unit_id, manager_id, title in records.values_list(
            "person_id", "unit_id", "manager_id", "title"
        )
    }
