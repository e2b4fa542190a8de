"""`generate_organization`: a realistic company, the same every time for the same seed."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from execution2.analytics.synth.catalog import COMPANY_STEMS, COMPANY_SUFFIXES, REGIONS
from execution2.analytics.synth.model import SyntheticOrganization, SyntheticPerson
from execution2.analytics.synth.names import ascii_slug, draw_names, unique_emails
from execution2.analytics.synth.places import OFFICES, assign_locations, choose_offices
from execution2.analytics.synth.random import stream
from execution2.analytics.synth.structure import build_tree, plan_functions
from execution2.analytics.synth.titles import assign_titles

# A fixed reference date, not today: the output must not change from one day to the next.
DEFAULT_AS_OF = datetime.date(2026, 1, 1)
MIN_PEOPLE = 30
MAX_PEOPLE = 1_000_000
# Mean tenure in years: the chief executive, the executive team, other managers, everyone else.
MEAN_TENURE_YEARS = (8.0, 6.5, 4.5, 3.0)
TENURE_SHAPE = 1.6
# Young companies are often still led by a founder.
FOUNDER_CEO_PROBABILITY = 0.5
FOUNDER_CEO_MAX_AGE_YEARS = 20.0

_FOREIGN_LOCALES = tuple(dict.fromkeys(o.locale for o in OFFICES))


@dataclass(frozen=True, slots=True)
class Company:
    name: str
    domain: str
    age_years: float


def company_identity(seed: int, people: int) -> Company:
    """Name and domain depend on the seed only, so a company keeps its name at any size."""
    rng = stream(seed, "org", "company")
    stem = COMPANY_STEMS[int(rng.integers(len(COMPANY_STEMS)))]
    suffix = COMPANY_SUFFIXES[int(rng.integers(len(COMPANY_SUFFIXES)))]
    # Bigger companies are older: from a few years at 30 people to decades at 100,000.
    age = (3.0 + 7.0 * math.log10(max(people, 30) / 30)) * rng.lognormal(0.0, 0.3)
    return Company(
        name=f"{stem} {suffix}",
        domain=f"{ascii_slug(stem)}.example",
        age_years=float(np.clip(age, 2.0, 120.0)),
    )


def generate_organization(
    *, people: int = 600, seed: int = 7, as_of: datetime.date | None = None
) -> SyntheticOrganization:
    """A company of exactly `people` people, determined by `seed` (and `people`).

    Same arguments, equal result; the draws for each concern come from their own named stream
    (see `execution2.analytics.synth.random`), so generators added later for the plan, survey
    answers, collaboration events or market conversations never change the people.
    """
    if isinstance(people, bool) or not isinstance(people, int):
        raise TypeError("people must be an int")
    if not MIN_PEOPLE <= people <= MAX_PEOPLE:
        raise ValueError(f"people must be between {MIN_PEOPLE} and {MAX_PEOPLE}, got {people}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    as_of = DEFAULT_AS_OF if as_of is None else as_of

    company = company_identity(seed, people)
    functions = plan_functions(stream(seed, "org", "functions"), people)
    tree = build_tree(stream(seed, "org", "structure"), functions)
    offices = choose_offices(stream(seed, "org", "offices"), people)

    is_manager = tree.size > 1
    unit_region = np.array(
        [REGIONS.index(u.region) if u.region else -1 for u in tree.units], dtype=np.int64
    )
    office = assign_locations(
        stream(seed, "org", "locations"),
        offices,
        parent=tree.parent,
        level=tree.level,
        is_manager=is_manager,
        region=unit_region[tree.unit],
        regions=REGIONS,
    )
    drawn = draw_names(
        stream(seed, "org", "names"),
        office,
        tuple(o.locale for o in offices.offices),
        _FOREIGN_LOCALES,
    )
    emails = unique_emails(drawn.email_locals, company.domain)
    tenure = draw_tenure_days(
        stream(seed, "org", "tenure"), tree.level, is_manager, company.age_years
    )
    titles = assign_titles(stream(seed, "org", "titles"), tree, tenure)

    width = max(6, len(str(people)))
    ids = [f"E{i:0{width}d}" for i in range(1, people + 1)]
    id_array = np.array(ids, dtype=object)
    managers: list[str | None] = [None, *id_array[tree.parent[1:]].tolist()]
    paths = np.array([u.path for u in tree.units], dtype=object)[tree.unit].tolist()
    cities = np.array([o.city for o in offices.offices], dtype=object)[office].tolist()
    dates = start_dates(as_of, tenure)

    persons = tuple(
        map(
            SyntheticPerson,
            ids,
            drawn.names,
            emails,
            titles,
            paths,
            managers,
            cities,
            dates,
            tree.level.tolist(),
        )
    )
    return SyntheticOrganization(
        name=company.name, domain=company.domain, people=persons, seed=seed
    )


def draw_tenure_days(
    rng: np.random.Generator,
    level: npt.NDArray[np.int64],
    is_manager: npt.NDArray[np.bool_],
    company_age_years: float,
) -> npt.NDArray[np.int64]:
    """Days each person has worked here: a long-tailed gamma, longer for executives."""
    n = len(level)
    group = np.where(level == 0, 0, np.where(level == 1, 1, np.where(is_manager, 2, 3)))
    mean = np.array(MEAN_TENURE_YEARS)[group]
    years = rng.gamma(TENURE_SHAPE, mean / TENURE_SHAPE)
    # Nobody joined before the company existed; rather than pile them up on the founding
    # date, spread them over its whole life.
    years = np.where(years > company_age_years, rng.uniform(0, company_age_years, n), years)
    founder = rng.random() < FOUNDER_CEO_PROBABILITY
    if founder and company_age_years <= FOUNDER_CEO_MAX_AGE_YEARS:
        years[0] = company_age_years
    return np.maximum(np.rint(years * 365.25).astype(np.int64), 1)


def start_dates(as_of: datetime.date, tenure_days: npt.NDArray[np.int64]) -> list[datetime.date]:
    """Start dates before `as_of`, moved back to a Monday, the usual first day."""
    ordinal = as_of.toordinal() - tenure_days
    ordinal -= (ordinal - 1) % 7  # ordinal 1 (0001-01-01) is a Monday
    unique, inverse = np.unique(ordinal, return_inverse=True)
    dates = np.array([datetime.date.fromordinal(int(o)) for o in unique], dtype=object)
    return dates[inverse].tolist()  # type: ignore[no-any-return]
