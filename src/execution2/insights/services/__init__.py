"""Writes of the Execution Index (design.md 6: services for writes, keyword-only arguments).

- `index`: computing the index of the organization and every unit and storing it;
- `outcomes`: recorded outcomes of closed plans and initiatives, the index's weights and target.
"""

from execution2.insights.services.index import (
    DEFAULT_REPLICATES,
    TREND_REPLICATES,
    index_compute,
    index_settings,
)
from execution2.insights.services.outcomes import (
    index_weights_update,
    outcome_index_compute,
    outcome_record,
)

__all__ = [
    "DEFAULT_REPLICATES",
    "TREND_REPLICATES",
    "index_compute",
    "index_settings",
    "index_weights_update",
    "outcome_index_compute",
    "outcome_record",
]
