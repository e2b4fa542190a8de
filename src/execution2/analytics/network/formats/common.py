"""What every reader of a system's own export reports beside its events."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from execution2.analytics.problems import Problems

__all__ = ["FormatReport", "Problems", "batches_of"]


@dataclass
class FormatReport:
    """What a native export held besides the interactions: for the import's summary."""

    source_format: str
    items_read: int = 0
    """Messages, trace rows, meetings, ... as the source counts them."""
    counts: dict[str, int] = field(default_factory=dict)
    """What was skipped or left out, and why (e.g. `skipped: bot messages`)."""
    read_fields: tuple[str, ...] = ()
    ignored_fields: tuple[str, ...] = ()

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n


def batches_of(reader: Any) -> Iterator[pa.RecordBatch]:
    """A DuckDB result's Arrow batches, one at a time (the result is never whole in memory)."""
    if reader is None:
        return
    yield from reader
