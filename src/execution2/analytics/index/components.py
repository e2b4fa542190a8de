"""What the Execution Index is made of: nine components, their inputs and weights (design.md 4.4).

Each capability fills its own part of `IndexInputs`, independently and all optional:

- `SurveyPart` (assessments, the latest closed cycle): the six attribute scale scores and the
  plan buy-in block, each 0-100 with its number of respondents; optionally every respondent's
  scale scores (for the bootstrap), the people invited (response rate) and Cronbach's alpha
  per scale (reliability).
- `NetworkPart` (connectedness, the network window): cross-unit tie share, isolate share,
  leadership reach, plus the silo figures (modularity of the unit partition, E-I per unit).
- `PlanPart` (plans and execution): on-time completion, progress against plan (schedule
  performance), and per initiative its breadth, largest-unit share and spend against plan.

How each 0-100 component is derived from them (`component_values`):

- **attributes and buy-in**: the scale score as given (`(mean - 1) / 4 * 100` of the items,
  design.md 4.1); n = respondents who answered the scale.
- **connectedness** = mean of the parts that are present, each 0-100:
  - cross-unit: `100 * min(1, cross_unit_share / 0.5)`. A share of 0.5 is an E-I index of 0,
    as many ties leaving the unit as staying in it; above that a unit is not "more connected",
    so it is capped (a unit with no ties inside is not a model to reach for);
  - isolates: `100 * (1 - isolate_share)`;
  - leadership reach: `100 * reach_share * clip((6 - reach_mean) / (6 - 2), 0, 1)`, where
    `reach_share` is the share of people the executive team reaches at all and `reach_mean`
    their mean hop distance from it. Two hops or fewer (you talk with someone who talks with
    the leadership) scores full; six or more (the proverbial six degrees: no reach worth the
    name) scores zero; people the team can't reach at all count as zero;
  - initiative breadth: `100 * mean breadth` of the initiatives in scope (normalised entropy
    of their participants' units, design.md 4.3);
  n = people in the network window (initiative participants when breadth is the only part).
- **delivery** = mean of the parts that are present, each 0-100:
  - on-time completion: `100 * on_time_share` (assignments done by their due day, of those due);
  - progress against plan: `100 * min(1, spi)`, spi = progress / share of planned time passed
    (ahead of schedule earns no more than on schedule);
  n = assignments behind the on-time share (or initiatives when only progress is known).

A component with no data is **missing** (None), never 0: the index re-weights over the others.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from execution2.analytics.assessment.instrument import ATTRIBUTES, BUY_IN

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

CONNECTEDNESS = "connectedness"
DELIVERY = "delivery"
COMPONENTS: tuple[str, ...] = (*ATTRIBUTES, CONNECTEDNESS, DELIVERY, BUY_IN)
SURVEY_COMPONENTS: tuple[str, ...] = (*ATTRIBUTES, BUY_IN)
"""The components measured by the survey, in the column order of `SurveyPart.respondents`."""
SURVEY_COLUMNS = tuple(COMPONENTS.index(key) for key in SURVEY_COMPONENTS)

TITLES: Mapping[str, str] = {
    "leadership": "Leadership",
    "delegation": "Delegation",
    "stewardship": "Stewardship",
    "conflict": "Conflict and collaboration",
    "motivation": "Motivation",
    "consideration": "Consideration",
    CONNECTEDNESS: "Connectedness",
    DELIVERY: "Delivery",
    BUY_IN: "Plan buy-in",
}

# Read-only: it is the default argument of several functions.
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        **{key: 0.10 for key in ATTRIBUTES},
        CONNECTEDNESS: 0.20,
        DELIVERY: 0.10,
        BUY_IN: 0.10,
    }
)
DEFAULT_TARGET = 75.0

# Connectedness normalisation (see the module docstring for why these values).
CROSS_UNIT_FULL = 0.5
REACH_FULL_HOPS = 2.0
REACH_NONE_HOPS = 6.0

CONNECTEDNESS_PARTS = ("cross_unit", "isolates", "leadership_reach", "initiative_breadth")
DELIVERY_PARTS = ("on_time", "progress")


class WeightsError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def validate_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """The weights normalised to sum to 1, or WeightsError with every problem.

    Every component needs a weight (0 leaves it out of the index), each finite and
    non-negative, and at least one positive.
    """
    problems = []
    unknown = sorted(set(weights) - set(COMPONENTS))
    if unknown:
        problems.append(f"unknown components: {', '.join(unknown)}")
    absent = [key for key in COMPONENTS if key not in weights]
    if absent:
        problems.append(f"no weight for: {', '.join(absent)}")
    for key in COMPONENTS:
        if key not in weights:
            continue
        value = weights[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"{key}: the weight must be a number")
        elif not math.isfinite(value) or value < 0:
            problems.append(f"{key}: the weight must be zero or more")
    if problems:
        raise WeightsError(problems)
    total = float(sum(weights[key] for key in COMPONENTS))
    if total <= 0:
        raise WeightsError(["at least one weight must be above zero"])
    return {key: float(weights[key]) / total for key in COMPONENTS}


def validate_target(target: float) -> float:
    if isinstance(target, bool) or not isinstance(target, int | float):
        raise ValueError("the target must be a number")
    if not math.isfinite(target) or not 0 <= target <= 100:
        raise ValueError("the target must be between 0 and 100")
    return float(target)


@dataclass(frozen=True)
class SurveyPart:
    """Scores of one assessment cycle for one scope (the organization or a unit)."""

    scores: Mapping[str, float]
    """Scale key (an attribute or "buy_in") -> score 0-100. Absent keys are missing components."""
    n: Mapping[str, int]
    """Scale key -> respondents who answered it."""
    cycle: str = ""
    """Which cycle, for the sources (e.g. "Spring 2026 (closed 2026-04-30)")."""
    respondents: FloatArray | None = None
    """(R, 7) each respondent's 0-100 scale scores in `SURVEY_COMPONENTS` order, NaN where the
    respondent did not answer the scale: the same respondents whose means are `scores` (e.g.
    everyone but self-ratings). Needed only for the bootstrap interval."""
    invited: int | None = None
    """People invited, for the response rate (responded = the largest n)."""
    responded: int | None = None
    """People who answered at all, when known (else the largest scale n)."""
    alpha: Mapping[str, float] = field(default_factory=dict)
    """Scale key -> Cronbach's alpha of this cycle (organization-wide is the usual basis)."""

    def __post_init__(self) -> None:
        for key in self.scores:
            if key not in SURVEY_COMPONENTS:
                raise ValueError(f"{key!r} is not a survey component")
        if self.respondents is not None and (
            self.respondents.ndim != 2 or self.respondents.shape[1] != len(SURVEY_COMPONENTS)
        ):
            raise ValueError(f"respondents must have {len(SURVEY_COMPONENTS)} columns")


@dataclass(frozen=True, slots=True)
class UnitEI:
    """One unit's E-I index in the network window, for the silo rule."""

    label: str
    ei_index: float
    people: int


@dataclass(frozen=True)
class NetworkPart:
    """Network figures of one scope in one window (design.md 4.3); every figure optional."""

    window: str = ""
    """E.g. "2026-02-01 to 2026-04-30"."""
    people: int = 0
    cross_unit_share: float | None = None
    isolate_share: float | None = None
    reach_mean: float | None = None
    """Mean hop distance from the executive team, over the people it reaches."""
    reach_p90: float | None = None
    reach_share: float | None = None
    """Share of the people outside the executive team that it reaches at all."""
    unit_modularity: float | None = None
    unit_ei: tuple[UnitEI, ...] = ()
    """E-I per unit (typically the top-level units) for the silo rule."""


@dataclass(frozen=True, slots=True)
class InitiativeFacts:
    """One initiative in scope: breadth (marketing trap) and spend against plan (overspending)."""

    key: str
    title: str
    participants: int = 0
    breadth: float | None = None
    """Normalised entropy of the participants' units, 0-1."""
    top_share: float | None = None
    """Share of participants in the unit with the most of them."""
    top_unit: str = ""
    planned_to_date: float | None = None
    """Planned cost of the periods up to the as-of date."""
    actual_to_date: float | None = None


@dataclass(frozen=True)
class PlanPart:
    """Plan and execution figures of one scope as of a date; every figure optional."""

    as_of: str = ""
    on_time_share: float | None = None
    """Assignments done by their due day / assignments due (0-1)."""
    on_time_base: int = 0
    progress_spi: float | None = None
    """Progress against plan: progress / share of the planned time passed (1 = on schedule)."""
    initiatives: tuple[InitiativeFacts, ...] = ()
    involved_share: float | None = None
    """Share of the scope's people working on at least one initiative (leadership evidence)."""
    people: int = 0


@dataclass(frozen=True)
class IndexInputs:
    """Everything the index of one scope rests on; each capability supplies its part or None."""

    survey: SurveyPart | None = None
    network: NetworkPart | None = None
    plan: PlanPart | None = None


@dataclass(frozen=True, slots=True)
class ComponentValue:
    key: str
    score: float | None
    """0-100, None when missing."""
    n: int
    """People (or, for delivery, assignments) the score rests on."""
    sources: tuple[str, ...]
    """What it rests on, in words: e.g. ("survey: Spring 2026", ...) or the parts used."""
    parts: Mapping[str, float] = field(default_factory=dict)
    """For connectedness and delivery: each part present, 0-100."""


def _finite(value: float | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _clip01(value: float) -> float:
    return min(1.0, max(0.0, value))


def connectedness_parts(network: NetworkPart | None, plan: PlanPart | None) -> dict[str, float]:
    """The connectedness parts present, each 0-100 (see the module docstring)."""
    parts: dict[str, float] = {}
    if network is not None:
        cross = _finite(network.cross_unit_share)
        if cross is not None:
            parts["cross_unit"] = 100 * min(1.0, _clip01(cross) / CROSS_UNIT_FULL)
        isolates = _finite(network.isolate_share)
        if isolates is not None:
            parts["isolates"] = 100 * (1 - _clip01(isolates))
        share = _finite(network.reach_share)
        if share is not None:
            mean = _finite(network.reach_mean)
            closeness = (
                _clip01((REACH_NONE_HOPS - mean) / (REACH_NONE_HOPS - REACH_FULL_HOPS))
                if mean is not None
                else 0.0
            )
            parts["leadership_reach"] = 100 * _clip01(share) * closeness
    if plan is not None:
        breadths = [b for i in plan.initiatives if (b := _finite(i.breadth)) is not None]
        if breadths:
            parts["initiative_breadth"] = 100 * _clip01(sum(breadths) / len(breadths))
    return parts


def delivery_parts(plan: PlanPart | None) -> dict[str, float]:
    parts: dict[str, float] = {}
    if plan is None:
        return parts
    on_time = _finite(plan.on_time_share)
    if on_time is not None:
        parts["on_time"] = 100 * _clip01(on_time)
    spi = _finite(plan.progress_spi)
    if spi is not None:
        parts["progress"] = 100 * min(1.0, max(0.0, spi))
    return parts


def component_values(inputs: IndexInputs) -> dict[str, ComponentValue]:
    """Every component of one scope, missing ones with score None (see the module docstring)."""
    out: dict[str, ComponentValue] = {}
    survey = inputs.survey
    for key in SURVEY_COMPONENTS:
        score = _finite(survey.scores.get(key)) if survey is not None else None
        n = int(survey.n.get(key, 0)) if survey is not None else 0
        if score is not None and n <= 0:
            score = None
        source: tuple[str, ...] = ()
        if survey is not None and score is not None:
            source = (f"survey: {survey.cycle}" if survey.cycle else "survey",)
        out[key] = ComponentValue(key, score, n if score is not None else 0, source)
    parts = connectedness_parts(inputs.network, inputs.plan)
    network_people = inputs.network.people if inputs.network is not None else 0
    plan_people = sum(i.participants for i in inputs.plan.initiatives) if inputs.plan else 0
    sources = []
    if inputs.network is not None and set(parts) - {"initiative_breadth"}:
        window = inputs.network.window
        sources.append(f"network: {window}" if window else "network")
    if "initiative_breadth" in parts:
        sources.append("plan: initiative breadth")
    # The people the score rests on: the network's (its parts cover everyone in the window);
    # initiative participants only when breadth is all there is (a person on two initiatives
    # counts twice there: the plan names participations, not people).
    network_parts_present = bool(set(parts) - {"initiative_breadth"})
    out[CONNECTEDNESS] = ComponentValue(
        CONNECTEDNESS,
        sum(parts.values()) / len(parts) if parts else None,
        (network_people if network_parts_present else plan_people) if parts else 0,
        tuple(sources),
        parts,
    )
    dparts = delivery_parts(inputs.plan)
    plan = inputs.plan
    delivery_n = 0
    if plan is not None and dparts:
        delivery_n = plan.on_time_base if "on_time" in dparts else len(plan.initiatives)
    out[DELIVERY] = ComponentValue(
        DELIVERY,
        sum(dparts.values()) / len(dparts) if dparts else None,
        delivery_n,
        (f"plan: as of {plan.as_of}" if plan and plan.as_of else "plan",) if dparts else (),
        dparts,
    )
    return {key: out[key] for key in COMPONENTS}


def component_matrix(
    inputs: list[IndexInputs] | tuple[IndexInputs, ...],
) -> tuple[FloatArray, IntArray, list[dict[str, ComponentValue]]]:
    """(U, 9) scores with NaN for missing, (U, 9) n, and the per-scope values, for many scopes."""
    values = [component_values(item) for item in inputs]
    scores = np.full((len(values), len(COMPONENTS)), np.nan)
    n = np.zeros((len(values), len(COMPONENTS)), dtype=np.int64)
    for row, value in enumerate(values):
        for col, key in enumerate(COMPONENTS):
            v = value[key]
            if v.score is not None:
                scores[row, col] = v.score
                n[row, col] = v.n
    return scores, n, values
