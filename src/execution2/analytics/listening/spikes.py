"""Volume series, spikes against a seasonal robust baseline, and level shifts.

A spike is a period whose count is far above what the same hour of the week (or day of the
week, for daily series) usually holds: the baseline is the median of the same slot in the
previous `history` seasons and the spread their median absolute deviation (x 1.4826, so it
estimates a standard deviation under normal noise), floored so that a quiet, regular series
doesn't turn every extra post into a spike. Counts are compared on Anscombe's
variance-stabilised scale (below); z = (value - median) / spread, the spread floored at
Poisson noise. A spike starts where z passes `threshold` and the count passes `min_count`,
runs while z stays above half the threshold, and a new one can't start until `cooldown`
periods after the last one ended.
Where fewer than `min_history` seasons precede a period, it is not judged.

Level shifts (a lasting change, not a burst) come from PELT change-point detection (`ruptures`)
on the daily series with an L2 cost and a BIC-like penalty.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

MAD_SCALE = 1.4826


@dataclass(frozen=True, slots=True)
class Spike:
    start: int  # first period of the spike
    end: int  # last period (inclusive)
    peak: int  # the period with the highest z
    count: float  # the count at the peak
    expected: float  # the baseline at the peak
    z: float  # the peak's z score
    total: float  # posts in the spike's periods
    excess: float  # posts above the baseline in its periods


def bin_counts(
    times_s: npt.NDArray[np.int64],
    *,
    start_s: int,
    step_s: int,
    bins: int,
    weights: npt.NDArray[np.floating] | None = None,
) -> npt.NDArray[np.float64]:
    """Counts (or summed weights) of events per period of `step_s` seconds from `start_s`."""
    index = (np.asarray(times_s, dtype=np.int64) - start_s) // step_s
    keep = (index >= 0) & (index < bins)
    return np.bincount(
        index[keep], weights=None if weights is None else weights[keep], minlength=bins
    ).astype(np.float64)


def seasonal_baseline(
    values: npt.NDArray[np.float64], *, season: int, history: int = 8
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Per period: the median and MAD-spread of the same slot in up to `history` earlier seasons,
    and how many seasons they rest on."""
    n = len(values)
    stack = np.full((history, n), np.nan)
    for lag in range(1, history + 1):
        shift = lag * season
        if shift < n:
            stack[lag - 1, shift:] = values[: n - shift]
    seen = np.sum(~np.isnan(stack), axis=0)
    median = np.zeros(n)
    spread = np.zeros(n)
    has = seen > 0
    if has.any():
        median[has] = np.nanmedian(stack[:, has], axis=0)
        spread[has] = MAD_SCALE * np.nanmedian(np.abs(stack[:, has] - median[has]), axis=0)
    return median, spread, seen.astype(np.int64)


def detect_spikes(
    values: npt.NDArray[np.float64],
    *,
    season: int = 168,
    history: int = 8,
    min_history: int = 3,
    threshold: float = 4.0,
    min_count: float = 5.0,
    cooldown: int = 24,
) -> list[Spike]:
    values = np.asarray(values, dtype=np.float64)
    # Counts are compared after Anscombe's transform 2·sqrt(x + 3/8), which makes Poisson noise
    # about unit-variance at any level: 5 posts where 2 are usual is no spike, 60 where 20 are is.
    stable = 2.0 * np.sqrt(np.maximum(values, 0) + 0.375)
    median, spread, seen = seasonal_baseline(stable, season=season, history=history)
    expected_counts = seasonal_baseline(values, season=season, history=history)[0]
    # A median of few seasons is itself uncertain (its variance is about π/2 · σ² / seasons).
    scale = np.maximum(spread, 1.0) * np.sqrt(1.0 + np.pi / 2 / np.maximum(seen, 1))
    z = (stable - median) / scale
    judged = seen >= min_history
    starts = judged & (z > threshold) & (values >= min_count)
    spikes: list[Spike] = []
    blocked_until = -1
    index = 0
    n = len(values)
    while index < n:
        if not starts[index] or index <= blocked_until:
            index += 1
            continue
        end = index
        while end + 1 < n and judged[end + 1] and z[end + 1] > threshold / 2:
            end += 1
        window = slice(index, end + 1)
        peak = index + int(np.argmax(z[window]))
        spikes.append(
            Spike(
                start=index,
                end=end,
                peak=peak,
                count=float(values[peak]),
                expected=float(expected_counts[peak]),
                z=float(z[peak]),
                total=float(values[window].sum()),
                excess=float(np.maximum(values[window] - expected_counts[window], 0).sum()),
            )
        )
        blocked_until = end + cooldown
        index = end + 1
    return spikes


def level_shifts(
    values: npt.NDArray[np.float64], *, min_size: int = 7, penalty: float | None = None
) -> list[int]:
    """Indices where the series' level changes for good (the first period of each new level)."""
    values = np.asarray(values, dtype=np.float64)
    if len(values) < 2 * min_size:
        return []
    import ruptures

    # A 7-period running median first, so that a burst of a day or two (a spike, reported on
    # its own) is not taken for two changes of level.
    padded = np.pad(values, 3, mode="edge")
    smooth = np.median(np.lib.stride_tricks.sliding_window_view(padded, 7), axis=1)
    # In units of the raw series' noise (from its successive differences, robustly), so the
    # penalty means the same for any volume: a BIC-like 4 log n per change.
    noise = float(np.median(np.abs(np.diff(values)))) * MAD_SCALE / np.sqrt(2) or 1.0
    signal = (smooth - smooth.mean()) / noise
    beta = penalty if penalty is not None else 4.0 * np.log(len(values))
    algorithm = ruptures.Pelt(model="l2", min_size=min_size, jump=1).fit(signal)
    breaks = algorithm.predict(pen=beta)
    return [int(b) for b in breaks if b < len(values)]


@dataclass(frozen=True, slots=True)
class Driver:
    index: int  # a theme (or brand, channel) code
    count: int  # its posts in the spike
    expected: float  # what its usual share predicts
    lift: float  # count / expected


def explain(
    codes_in_spike: npt.NDArray[np.integer],
    codes_before: npt.NDArray[np.integer],
    *,
    categories: int,
    limit: int = 3,
) -> list[Driver]:
    """The categories (themes, brands…) that grew most in the spike over their usual share."""
    during = np.bincount(codes_in_spike[codes_in_spike >= 0], minlength=categories)[:categories]
    before = np.bincount(codes_before[codes_before >= 0], minlength=categories)[:categories]
    if during.sum() == 0:
        return []
    share = (before + 0.5) / (before.sum() + 0.5 * categories)
    expected = share * during.sum()
    excess = during - expected
    order = np.argsort(excess)[::-1]
    return [
        Driver(int(i), int(during[i]), float(expected[i]), float(during[i] / expected[i]))
        for i in order[:limit]
        if excess[i] > 0 and during[i] > 0
    ]
