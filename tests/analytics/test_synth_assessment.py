"""The synthetic survey answers: the demo's story (synth.story) is planted as described."""

from __future__ import annotations

import functools

import numpy as np

from execution2.analytics.assessment.instrument import ATTRIBUTES
from execution2.analytics.synth import generate_organization
from execution2.analytics.synth.assessment import (
    RATER_SELF,
    ManagerLevels,
    OrgArrays,
    SyntheticAnswers,
    manager_levels,
    org_arrays,
    simulate_360,
)

SCALES = (6, 5, 5, 5, 5, 5)
BUY_IN_ITEMS = 4


@functools.cache
def survey() -> tuple[OrgArrays, ManagerLevels, SyntheticAnswers]:
    org = org_arrays(generate_organization(people=1000, seed=7))
    levels = manager_levels(7, org)
    answers = simulate_360(7, org, levels, SCALES, buy_in_items=BUY_IN_ITEMS)
    return org, levels, answers


def scale_scores(answers: SyntheticAnswers, rows: np.ndarray) -> list[float]:
    """Mean 0-100 score per attribute over the given responses (don't-knows left out)."""
    out = []
    start = 0
    for size in (*SCALES, BUY_IN_ITEMS):
        block = answers.answers[rows, start : start + size].astype(float)
        start += size
        given = block[block > 0]
        out.append(float((given.mean() - 1) / 4 * 100))
    return out


def test_operations_managers_are_rated_low_on_delegation_and_only_on_delegation() -> None:
    org, levels, answers = survey()
    division = np.array([path.split(" / ")[0] == "Operations" for path in org.unit_paths])
    about_operations = division[org.unit[levels.subjects[answers.subject]]]
    others = ~about_operations & (answers.rater_group != RATER_SELF)
    inside = about_operations & (answers.rater_group != RATER_SELF)
    weak, rest = scale_scores(answers, inside), scale_scores(answers, others)
    delegation = ATTRIBUTES.index("delegation")
    assert weak[delegation] < rest[delegation] - 15
    for position, key in enumerate(ATTRIBUTES):
        if key != "delegation":
            assert abs(weak[position] - rest[position]) < 10, key


def test_delegation_is_the_organizations_lowest_attribute_and_buy_in_is_near_75() -> None:
    _, _, answers = survey()
    scores = scale_scores(answers, np.flatnonzero(answers.rater_group != RATER_SELF))
    attributes = scores[: len(ATTRIBUTES)]
    assert int(np.argmin(attributes)) == ATTRIBUTES.index("delegation")
    assert 70 <= scores[-1] <= 80


def test_without_a_weak_division_no_division_stands_out_on_delegation() -> None:
    org, _, _ = survey()
    plain = manager_levels(7, org, weak_delegation=None)
    delegation = ATTRIBUTES.index("delegation")
    functions = np.array([path.split(" / ")[0] for path in org.unit_paths])[
        org.unit[plain.subjects]
    ]
    for name in set(functions.tolist()) - {"Executive Office"}:
        mean = plain.levels[functions == name, delegation].mean()
        assert mean > -0.6, name
