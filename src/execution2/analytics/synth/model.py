"""The synthetic organization as other code sees it: plain frozen records."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SyntheticPerson:
    external_id: str
    """"E000001", "E000002", ...; the chief executive is first."""
    name: str
    email: str
    """Unique and ASCII, derived from the name: "zoe.muller@northwind.example"."""
    title: str
    unit_path: str
    """Unit segments joined by " / ", e.g. "Marketing / Social Media"."""
    manager_id: str | None
    """None only for the chief executive."""
    location: str
    start_date: datetime.date
    level: int
    """0 for the chief executive, 1 for the executive team (function heads), and so on down."""


@dataclass(frozen=True, slots=True)
class SyntheticOrganization:
    name: str
    domain: str
    people: tuple[SyntheticPerson, ...]
    """Ordered by level, so every manager comes before their reports."""
    seed: int
