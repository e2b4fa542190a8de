"""Synthetic survey answers for the management assessment: demo data and benchmarks.

Each manager gets latent true levels on the six attributes (correlated, as they are in real
data), made of a unit effect and a personal effect, with a few clearly strong and clearly weak
managers and one clearly strong unit. The demo's story (`synth.story`) adds a weak delegation
culture in one division: its managers' delegation level is lower by WEAK_DELEGATION_SHIFT.
Every rater sees the manager through their own leniency and item noise; answers are rounded
onto the 1-5 scale, a few are "don't know". Buy-in (the plan block) sits near the index's
target: the demo's plan is a strong one. Units answer at rates between 60% and 85%.
Everything comes from `stream(seed, "survey", ...)`.

The noise is tuned so that five-item scales have Cronbach's alpha of about 0.8 across a cycle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from execution2.analytics.assessment.instrument import ATTRIBUTES
from execution2.analytics.synth.model import SyntheticOrganization
from execution2.analytics.synth.random import stream
from execution2.analytics.synth.story import WEAK_DELEGATION_FUNCTION, function_of

IntArray = npt.NDArray[np.int64]
RATER_SELF, RATER_MANAGER, RATER_PEER, RATER_DIRECT, RATER_MEMBER = range(5)
ATTRIBUTE_CORRELATION = 0.45
MANAGER_SD = 0.45
UNIT_SD = 0.25
RATER_LENIENCY_SD = 0.35
ITEM_NOISE_SD = 0.62
BASE_LEVEL = 3.55
# Buy-in answers centre on 4 of 5 ("agree"): after rater leniency, item difficulty, rounding and
# clipping that scores about 75 of 100, the index's default target. The demo's plan is a strong
# one (synth.story).
BUY_IN_LEVEL = BASE_LEVEL + 0.7
# One division's managers delegate poorly: a full standard unit (about 25 points of 100) below
# their level on the other attributes, so the division stands out on delegation only.
WEAK_DELEGATION_SHIFT = 1.0
DELEGATION = ATTRIBUTES.index("delegation")
# The company's profile over the attributes (added to every manager's level, in ATTRIBUTES
# order). Real organizations are better at some things than others; this one is a little
# better at everything than at delegation, so the weak division, about a tenth of the
# respondents, makes delegation the organization's first priority instead of one of six
# near-equal gaps decided by noise.
ATTRIBUTE_PROFILE = (0.2, 0.0, 0.1, 0.15, 0.2, 0.1)
SELF_INFLATION = 0.35
NOT_OBSERVED = 0.03
MAX_PEERS = 7
RESPONSE_RATE = (0.60, 0.85)
COMMENT_RATE = 0.35

KEEP_DOING = (
    "Keeps the weekly check-in short and useful.",
    "Explains the why behind each priority.",
    "Backs the team when plans change.",
    "Gives credit in front of the whole department.",
    "Answers questions quickly and plainly.",
    "Makes time for one-to-ones even in busy weeks.",
)
CHANGE = (
    "Agree due dates with us instead of announcing them.",
    "Share the budget picture more often.",
    "Deal with disagreements before they escalate.",
    "Involve us earlier in decisions about our work.",
    "Stop moving priorities mid-sprint.",
    "Follow up on the feedback from the last survey.",
)


@dataclass(frozen=True, slots=True)
class OrgArrays:
    """A synthetic organization as arrays: manager and unit per person, and the unit tree."""

    manager: IntArray  # -1 for the top
    unit: IntArray
    unit_paths: tuple[str, ...]
    unit_parent: IntArray


def org_arrays(company: SyntheticOrganization) -> OrgArrays:
    position = {p.external_id: i for i, p in enumerate(company.people)}
    manager = np.array(
        [position[p.manager_id] if p.manager_id else -1 for p in company.people], dtype=np.int64
    )
    paths: dict[str, int] = {}
    parents: list[int] = []
    for person in company.people:
        segments = person.unit_path.split(" / ")
        for depth in range(1, len(segments) + 1):
            path = " / ".join(segments[:depth])
            if path not in paths:
                paths[path] = len(parents)
                parents.append(paths[" / ".join(segments[: depth - 1])] if depth > 1 else -1)
    unit = np.array([paths[p.unit_path] for p in company.people], dtype=np.int64)
    return OrgArrays(manager, unit, tuple(paths), np.array(parents, dtype=np.int64))


@dataclass(frozen=True, slots=True)
class ManagerLevels:
    subjects: IntArray  # person index of each manager
    levels: npt.NDArray[np.float64]  # (managers, 6) latent level, 0 = average


def manager_levels(
    seed: int,
    org: OrgArrays,
    attributes: int = 6,
    *,
    weak_delegation: str | None = WEAK_DELEGATION_FUNCTION,
) -> ManagerLevels:
    """Latent true levels of every manager (anyone with a direct report).

    The managers in the division (top-level unit) named `weak_delegation`, if it exists, are
    WEAK_DELEGATION_SHIFT lower on delegation; None plants no such division.
    """
    rng = stream(seed, "survey", "levels")
    subjects = np.unique(org.manager[org.manager >= 0])
    covariance = np.full((attributes, attributes), ATTRIBUTE_CORRELATION)
    np.fill_diagonal(covariance, 1.0)
    units = len(org.unit_paths)
    unit_effect = rng.multivariate_normal(np.zeros(attributes), covariance * UNIT_SD**2, units)
    in_weak = np.array(
        [function_of(path) == weak_delegation for path in org.unit_paths], dtype=np.bool_
    )
    # One clearly strong unit below a function, outside the weak division (whose story is
    # delegation alone: a strong unit inside it would blur it). The division is the one weak
    # place; a second, weak-on-everything unit would compete with it for "where to act".
    candidates = np.flatnonzero((org.unit_parent >= 0) & ~in_weak)
    if candidates.size >= 1:
        unit_effect[rng.choice(candidates)] += 0.6
    # Effects flow down the tree: a unit inherits half of its parent's effect.
    for u in range(units):
        if org.unit_parent[u] >= 0:
            unit_effect[u] += 0.5 * unit_effect[org.unit_parent[u]]
    personal = rng.multivariate_normal(
        np.zeros(attributes), covariance * MANAGER_SD**2, len(subjects)
    )
    standout = rng.random(len(subjects))
    personal[standout < 0.06] += 0.9
    personal[standout > 0.94] -= 0.9
    levels = unit_effect[org.unit[subjects]] + personal
    if attributes == len(ATTRIBUTE_PROFILE):
        levels += np.asarray(ATTRIBUTE_PROFILE)
        levels[in_weak[org.unit[subjects]], DELEGATION] -= WEAK_DELEGATION_SHIFT
    return ManagerLevels(subjects, levels)


@dataclass(frozen=True, slots=True)
class SyntheticAnswers:
    answers: npt.NDArray[np.int8]  # (responses, items), 0 = don't know
    subject: IntArray  # index into ManagerLevels.subjects
    rater: IntArray  # person index of the rater
    rater_group: npt.NDArray[np.int8]
    invited: IntArray  # (invitations, 3): rater person, subject index, rater group
    invited_answered: npt.NDArray[np.bool_]  # per invitation: did they answer
    comments: tuple[tuple[str, str], ...]  # (keep doing, change) per response, "" when blank


def simulate_360(
    seed: int,
    org: OrgArrays,
    levels: ManagerLevels,
    scale_sizes: Sequence[int],
    *,
    cycle: str = "current",
    shift: float = 0.0,
    upward_only: bool = False,
    buy_in_items: int = 0,
) -> SyntheticAnswers:
    """Invitations and answers of a 360 (or upward) cycle; `shift` moves everyone's level."""
    rng = stream(seed, "survey", "answers", cycle)
    people = org.manager.shape[0]
    subject_of = np.full(people, -1, dtype=np.int64)
    subject_of[levels.subjects] = np.arange(len(levels.subjects))
    # Direct reports rate their manager.
    has_manager = org.manager >= 0
    raters = [np.flatnonzero(has_manager)]
    subjects = [subject_of[org.manager[has_manager]]]
    groups = [np.full(int(has_manager.sum()), RATER_DIRECT)]
    if not upward_only:
        managed = levels.subjects
        raters.append(managed)
        subjects.append(np.arange(len(managed)))
        groups.append(np.full(len(managed), RATER_SELF))
        bosses = org.manager[managed]
        boss_ok = bosses >= 0
        raters.append(bosses[boss_ok])
        subjects.append(np.arange(len(managed))[boss_ok])
        groups.append(np.full(int(boss_ok.sum()), RATER_MANAGER))
        # Peers: other managers under the same manager, a few each.
        order = np.argsort(bosses, kind="stable")
        for start, stop in _runs(bosses[order]):
            team = order[start:stop]
            if len(team) < 2 or bosses[team[0]] < 0:
                continue
            for member in team:
                others = team[team != member]
                picked = rng.choice(others, size=min(MAX_PEERS, len(others)), replace=False)
                raters.append(managed[picked])
                subjects.append(np.full(len(picked), member))
                groups.append(np.full(len(picked), RATER_PEER))
    rater = np.concatenate(raters)
    subject = np.concatenate(subjects)
    group = np.concatenate(groups).astype(np.int8)
    invited = np.stack([rater, subject, group.astype(np.int64)], axis=1)
    units = len(org.unit_paths)
    rate = rng.uniform(*RESPONSE_RATE, units)
    answered = rng.random(len(rater)) < rate[org.unit[rater]]
    rater, subject, group = rater[answered], subject[answered], group[answered]
    total_items = int(sum(scale_sizes)) + buy_in_items
    count = len(rater)
    latent_rows = []
    for s, size in enumerate(scale_sizes):
        true = BASE_LEVEL + shift + levels.levels[subject, s % levels.levels.shape[1]]
        true = true + np.where(group == RATER_SELF, SELF_INFLATION, 0.0)
        latent_rows.append(np.repeat(true[:, None], size, axis=1))
    if buy_in_items:
        # Buy-in is the rater's own view of the plan, not a view of the manager.
        own_view = BUY_IN_LEVEL + shift + rng.normal(0.0, 0.55, (count, 1))
        latent_rows.append(np.repeat(own_view, buy_in_items, axis=1))
    latent = np.concatenate(latent_rows, axis=1)
    leniency = rng.normal(0.0, RATER_LENIENCY_SD, (count, 1))
    difficulty = rng.normal(0.0, 0.2, (1, total_items))
    noise = rng.normal(0.0, ITEM_NOISE_SD, (count, total_items))
    answers = np.clip(np.rint(latent + leniency + difficulty + noise), 1, 5).astype(np.int8)
    answers[rng.random((count, total_items)) < NOT_OBSERVED] = 0
    draws = rng.random((count, 2))
    picks = rng.integers(0, len(KEEP_DOING), (count, 2))
    comments = tuple(
        (
            KEEP_DOING[a] if x < COMMENT_RATE else "",
            CHANGE[b] if y < COMMENT_RATE else "",
        )
        for (x, y), (a, b) in zip(draws.tolist(), picks.tolist(), strict=True)
    )
    return SyntheticAnswers(answers, subject, rater, group, invited, answered, comments)


def _runs(values: IntArray) -> list[tuple[int, int]]:
    if values.size == 0:
        return []
    edges = np.flatnonzero(np.diff(values)) + 1
    starts = np.concatenate([[0], edges])
    stops = np.concatenate([edges, [values.size]])
    return list(zip(starts.tolist(), stops.tolist(), strict=True))
