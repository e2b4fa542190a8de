"""Schedule performance: progress against the share of the planned time that has passed.

`spi = progress / elapsed`, with `elapsed = (as_of - start) / (end - start)` clipped to [0, 1].
1.0 means on schedule, below 1 behind, above 1 ahead. Undefined (NaN) before the start, without
dates, or without progress. Dates are given as day numbers (e.g. `date.toordinal()`).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

BEHIND_BELOW = 0.8
"""An initiative is flagged behind schedule when its SPI is below this."""


def elapsed_share(start: FloatArray, end: FloatArray, as_of: float) -> FloatArray:
    start = np.asarray(start, dtype=np.float64)
    end = np.asarray(end, dtype=np.float64)
    length = end - start
    with np.errstate(invalid="ignore", divide="ignore"):
        share = (as_of - start) / np.where(length > 0, length, np.nan)
    share = np.where(np.isnan(share) & (length == 0) & (as_of >= end), 1.0, share)
    return np.clip(share, 0.0, 1.0)


def schedule_performance(
    progress: FloatArray, start: FloatArray, end: FloatArray, as_of: float
) -> FloatArray:
    """Progress / elapsed share per initiative (NaN before the start or without data)."""
    elapsed = elapsed_share(start, end, as_of)
    progress = np.asarray(progress, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(elapsed > 0, progress / np.where(elapsed > 0, elapsed, 1.0), np.nan)
