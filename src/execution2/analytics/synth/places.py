"""Offices, and where each person works."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True, slots=True)
class Office:
    city: str
    locale: str
    """The Faker locale whose names fit the people hired there."""
    region: str
    hq: bool
    """Whether a company may plausibly be headquartered here."""
    prior: float
    """How likely the office is to be opened, relative to the others."""


OFFICES: tuple[Office, ...] = (
    Office("London", "en_GB", "EMEA", True, 1.0),
    Office("Berlin", "de_DE", "EMEA", True, 1.0),
    Office("Austin", "en_US", "AMER", True, 0.9),
    Office("New York", "en_US", "AMER", True, 0.8),
    Office("Paris", "fr_FR", "EMEA", True, 0.9),
    Office("Amsterdam", "nl_NL", "EMEA", True, 0.7),
    Office("Stockholm", "sv_SE", "EMEA", True, 0.6),
    Office("Madrid", "es_ES", "EMEA", False, 0.8),
    Office("Warsaw", "pl_PL", "EMEA", False, 0.8),
    Office("São Paulo", "pt_BR", "AMER", False, 0.8),
    Office("Bangalore", "en_IN", "APAC", False, 0.9),
    Office("Dublin", "en_IE", "EMEA", False, 0.6),
    Office("Milan", "it_IT", "EMEA", False, 0.5),
    Office("Lisbon", "pt_PT", "EMEA", False, 0.5),
    Office("Mexico City", "es_MX", "AMER", False, 0.5),
)

# How often a person works where their manager works; the rest were hired or moved elsewhere.
KEEP_MANAGER_OFFICE_IC = 0.85
KEEP_MANAGER_OFFICE_MANAGER = 0.70
KEEP_MANAGER_OFFICE_EXECUTIVE = 0.80


@dataclass(frozen=True, slots=True)
class OfficePlan:
    offices: tuple[Office, ...]
    """The company's offices, headquarters first."""
    weights: npt.NDArray[np.float64]
    """Share of new placements per office (headquarters largest)."""


def choose_offices(rng: np.random.Generator, people: int) -> OfficePlan:
    """Headquarters plus more offices the bigger the company; at least one abroad."""
    count = 2 + 2.2 * math.log10(max(people, 30) / 30) + rng.uniform(-0.5, 0.5)
    count_int = int(np.clip(round(count), 2, len(OFFICES)))
    hq_candidates = [o for o in OFFICES if o.hq]
    hq = hq_candidates[int(rng.integers(len(hq_candidates)))]
    rest = [o for o in OFFICES if o is not hq]
    prior = np.array([o.prior for o in rest])
    picks = rng.choice(len(rest), size=count_int - 1, replace=False, p=prior / prior.sum())
    chosen = [hq, *(rest[int(i)] for i in picks)]
    # An all-English company would make the names monotonous and hide accent bugs.
    if all(o.locale.startswith("en_") for o in chosen):
        others = [o for o in rest if not o.locale.startswith("en_")]
        chosen[-1] = others[int(rng.integers(len(others)))]
    # Zipf-like sizes with noise; headquarters at least 1.5x the next office.
    weights = np.array([1.0 / (rank + 1) ** 0.9 for rank in range(count_int)])
    weights[1:] *= rng.lognormal(0.0, 0.3, size=count_int - 1)
    if count_int > 1:
        weights[0] = max(weights[0], 1.5 * weights[1:].max())
    return OfficePlan(offices=tuple(chosen), weights=weights / weights.sum())


def assign_locations(
    rng: np.random.Generator,
    plan: OfficePlan,
    *,
    parent: npt.NDArray[np.int64],
    level: npt.NDArray[np.int64],
    is_manager: npt.NDArray[np.bool_],
    region: npt.NDArray[np.int64],
    regions: tuple[str, ...],
) -> npt.NDArray[np.int64]:
    """Office index per person, walking the levels top-down so that teams mostly share a site.

    `parent` must be in level order (every manager before their reports). `region` is an index
    into `regions` or -1: people in a regional unit (Sales / EMEA) work in that region's offices
    when the company has one there.
    """
    n = len(parent)
    office = np.zeros(n, dtype=np.int64)  # the chief executive sits at headquarters
    office_region = np.array([regions.index(o.region) for o in plan.offices], dtype=np.int64)
    # A region without an office of the company constrains nothing.
    available = np.array(
        [r if (office_region == r).any() else -1 for r in range(len(regions))], dtype=np.int64
    )
    keep_p = np.where(is_manager, KEEP_MANAGER_OFFICE_MANAGER, KEEP_MANAGER_OFFICE_IC)
    keep_p = np.where(level == 1, KEEP_MANAGER_OFFICE_EXECUTIVE, keep_p)
    bounds = np.searchsorted(level, np.arange(1, int(level.max()) + 2))
    for start, stop in itertools.pairwise(bounds.tolist()):
        rows = np.arange(start, stop)
        inherited = office[parent[rows]]
        keep = rng.random(len(rows)) < keep_p[rows]
        wanted = np.where(region[rows] >= 0, available[np.maximum(region[rows], 0)], -1)
        has_region = wanted >= 0
        in_region = office_region[inherited] == np.where(has_region, wanted, 0)
        keep &= ~has_region | in_region
        new = np.where(~keep, -1, inherited)
        for code in range(-1, len(regions)):
            mask = (~keep) & (wanted == code)
            if not mask.any():
                continue
            weights = plan.weights.copy()
            if code >= 0:
                weights[office_region != code] = 0.0
            new[mask] = rng.choice(len(weights), size=int(mask.sum()), p=weights / weights.sum())
        office[rows] = new
    return office
