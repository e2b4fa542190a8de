"""Spikes against a same-hour-of-week median/MAD baseline, and level shifts."""

from __future__ import annotations

import numpy as np

from execution2.analytics.listening.spikes import (
    bin_counts,
    detect_spikes,
    explain,
    level_shifts,
    seasonal_baseline,
)

HOURS = 120 * 24


def daily_rhythm(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    hours = np.arange(HOURS)
    return rng.poisson(20 + 10 * np.sin(2 * np.pi * (hours % 24) / 24)).astype(float)


def test_a_planted_spike_is_found_where_it_was_planted():
    for seed in range(5):
        series = daily_rhythm(seed)
        series[1500:1503] += 80
        spikes = detect_spikes(series)
        assert [(s.start, s.end) for s in spikes] == [(1500, 1502)], seed
        assert spikes[0].excess > 200


def test_a_flat_series_has_no_spikes():
    for seed in range(5):
        rng = np.random.default_rng(seed)
        assert detect_spikes(rng.poisson(20, HOURS).astype(float)) == []
        assert detect_spikes(rng.poisson(1.5, HOURS).astype(float)) == []
        assert detect_spikes(daily_rhythm(seed)) == []


def test_a_spike_is_not_judged_without_enough_history():
    series = np.full(24 * 7 * 2, 10.0)
    series[-5] = 200
    assert detect_spikes(series) == []  # two weeks: fewer than three seasons of history


def test_the_cooldown_keeps_one_event_from_being_counted_twice():
    series = np.full(HOURS, 20.0)
    series[2000] += 100
    series[2003] += 100  # three hours later, inside the 24-hour cooldown
    assert len(detect_spikes(series, cooldown=24)) == 1
    assert len(detect_spikes(series, cooldown=0)) == 2


def test_the_seasonal_baseline_is_the_median_of_the_same_slot():
    # Slot 0 of four seasons of length 2: 1, 3, 100, 5 -> median of the three before = 3.
    values = np.array([1, 0, 3, 0, 100, 0, 5, 0], dtype=float)
    median, spread, seen = seasonal_baseline(values, season=2, history=3)
    assert median[6] == 3.0
    assert seen.tolist() == [0, 0, 1, 1, 2, 2, 3, 3]
    assert spread[6] == 1.4826 * 2


def test_a_level_shift_is_placed_within_two_days_and_flat_series_have_none():
    for seed in range(5):
        rng = np.random.default_rng(seed)
        shifted = np.r_[rng.poisson(50, 60), rng.poisson(90, 60)].astype(float)
        assert any(abs(day - 60) <= 2 for day in level_shifts(shifted))
        assert level_shifts(rng.poisson(50, 120).astype(float)) == []
        burst = rng.poisson(50, 120).astype(float)
        burst[50:52] += 500  # a two-day burst is a spike, not two changes of level
        assert level_shifts(burst) == []


def test_a_spike_is_explained_by_the_theme_that_grew():
    before = np.array([0] * 50 + [1] * 50 + [2] * 100)
    during = np.array([0] * 10 + [1] * 60 + [2] * 20)
    drivers = explain(during, before, categories=3)
    assert drivers[0].index == 1
    assert drivers[0].count == 60
    assert drivers[0].lift > 2


def test_bin_counts_counts_per_period():
    times = np.array([0, 10, 3600, 7300, 99999])
    assert bin_counts(times, start_s=0, step_s=3600, bins=3).tolist() == [2, 1, 1]
