"""`score_cycle` against a straightforward computation, group by group."""

from __future__ import annotations

import numpy as np
import pytest

from execution2.analytics.assessment import psychometrics as pm
from execution2.analytics.assessment.instrument import ATTRIBUTES, built_in_instrument
from execution2.analytics.assessment.scoring import (
    ALL_INDEX,
    ORGANIZATION,
    SUBJECT,
    UNIT,
    CycleData,
    ScaleSpec,
    score_cycle,
)

# Units: 0 top; 1 and 2 below it; 3 below 1.
UNIT_PARENT = np.array([-1, 0, 0, 1])
SUBJECT_UNIT = np.array([0, 1, 1, 2, 3])
SCALES = (ScaleSpec("a", (0, 1, 2)), ScaleSpec("b", (3, 4, 5, 6)))


def _data(seed: int = 1, rows: int = 400) -> CycleData:
    rng = np.random.default_rng(seed)
    subject = rng.integers(0, len(SUBJECT_UNIT), rows)
    base = rng.normal(3.5, 0.7, (rows, 1)) + rng.normal(0, 0.6, (rows, 7))
    answers = np.clip(np.rint(base), 1, 5).astype(np.int8)
    answers[rng.random((rows, 7)) < 0.08] = 0
    return CycleData(
        answers=answers,
        subject=subject.astype(np.int64),
        rater_group=rng.integers(0, 4, rows).astype(np.int8),
        unit=SUBJECT_UNIT[subject].astype(np.int64),
        unit_parent=UNIT_PARENT,
        subject_unit=SUBJECT_UNIT,
        scales=SCALES,
    )


def _subtree(unit: int) -> set[int]:
    members = {unit}
    changed = True
    while changed:
        changed = False
        for u, parent in enumerate(UNIT_PARENT):
            if parent in members and u not in members:
                members.add(u)
                changed = True
    return members


def _rows(data: CycleData, level: int, entity: int, group: int) -> np.ndarray:
    if level == SUBJECT:
        mask = data.subject == entity
    elif level == UNIT:
        mask = np.isin(data.unit, list(_subtree(entity)))
    else:
        mask = np.ones(len(data.subject), dtype=bool)
    mask &= data.rater_group != 0 if group == ALL_INDEX else data.rater_group == group
    return np.flatnonzero(mask)


def test_every_group_matches_the_straightforward_computation() -> None:
    data = _data()
    scores = score_cycle(data)
    assert len(scores) > 20
    for row, (level, entity, group) in enumerate(scores.keys()):
        picked = _rows(data, level, entity, group)
        assert scores.n[row] == len(picked)
        for s, scale in enumerate(SCALES):
            block = data.answers[np.ix_(picked, scale.columns)].astype(float)
            block[block == 0] = np.nan
            answered = ~np.isnan(block).all(axis=1)
            means = np.nanmean(block[answered], axis=1) if answered.any() else np.array([])
            assert scores.scale_n[row, s] == answered.sum()
            if answered.any():
                assert scores.score[row, s] == pytest.approx((means.mean() - 1) / 4 * 100)
            values = block[~np.isnan(block)]
            if values.size:
                assert scores.favourable[row, s] == pytest.approx((values >= 4).mean() * 100)
            assert scores.distribution[row, s].tolist() == [
                int((values == v).sum()) for v in range(1, 6)
            ]
            complete = block[~np.isnan(block).any(axis=1)]
            if complete.shape[0] >= 3:
                assert scores.alpha[row, s] == pytest.approx(
                    pm.cronbach_alpha(complete), nan_ok=True
                )
            assert scores.rwg_j[row, s] == pytest.approx(pm.rwg_j(block), nan_ok=True)


def test_the_organization_counts_everyone_and_all_leaves_out_self_ratings() -> None:
    data = _data()
    scores = score_cycle(data)
    index = scores.index()
    everyone = index[(ORGANIZATION, 0, ALL_INDEX)]
    assert scores.n[everyone] == int((data.rater_group != 0).sum())
    assert scores.n[index[(UNIT, 0, ALL_INDEX)]] == scores.n[everyone]


def test_omega_is_computed_for_units_and_the_organization_only() -> None:
    scores = score_cycle(_data(rows=2000))
    subject_rows = scores.level == SUBJECT
    assert np.isnan(scores.omega[subject_rows]).all()
    org = scores.index()[(ORGANIZATION, 0, ALL_INDEX)]
    assert 0 < scores.omega[org, 0] < 1


def test_a_pulse_cycle_scores_units_without_subjects() -> None:
    data = _data()
    pulse = CycleData(
        answers=data.answers,
        subject=np.full(len(data.subject), -1, dtype=np.int64),
        rater_group=np.full(len(data.subject), 4, dtype=np.int8),
        unit=data.unit,
        unit_parent=UNIT_PARENT,
        subject_unit=np.zeros(0, dtype=np.int64),
        scales=SCALES,
    )
    scores = score_cycle(pulse)
    assert not (scores.level == SUBJECT).any()
    assert scores.n[scores.index()[(ORGANIZATION, 0, ALL_INDEX)]] == len(data.subject)


def test_answers_outside_one_to_five_are_refused() -> None:
    data = _data()
    bad = data.answers.copy()
    bad[0, 0] = 7
    with pytest.raises(ValueError, match="1 to 5"):
        CycleData(bad, data.subject, data.rater_group, data.unit, UNIT_PARENT, SUBJECT_UNIT, SCALES)


def test_the_built_in_instrument_has_six_attributes_buy_in_and_two_questions() -> None:
    instrument = built_in_instrument()
    keys = [scale.key for scale in instrument.scales]
    assert keys == [*ATTRIBUTES, "buy_in"]
    assert all(4 <= len(scale.items) <= 6 for scale in instrument.scales)
    assert len(instrument.item_keys) == len(set(instrument.item_keys)) == 35
    assert [q.key for q in instrument.open_questions] == ["keep_doing", "change"]
    for item in instrument.items:
        if item.scale != "buy_in":
            assert item.observer.startswith("My manager") or item.observer.startswith("When my")
