"""Connectedness: organizational network analysis of collaboration events (design.md 4.3).

Modules: `events` (reading and matching event files in columnar batches), `chart` (the org
chart and the tie list as arrays), `metrics` (ratio metrics in numpy), `graph` (communities and
sampled betweenness with networkit), `analysis` (every metric for a window and scope),
`breadth` (initiative breadth and the marketing trap).
"""

from execution2.analytics.network.analysis import (
    NetworkAnalysis,
    NetworkSettings,
    analyze_network,
)
from execution2.analytics.network.breadth import initiative_breadth, normalized_entropy
from execution2.analytics.network.chart import OrgChart, Ties, ties_from_pairs
from execution2.analytics.network.events import (
    CHANNELS,
    PeopleKeys,
    ReadReport,
    pseudonym,
    read_events,
)

__all__ = [
    "CHANNELS",
    "NetworkAnalysis",
    "NetworkSettings",
    "OrgChart",
    "PeopleKeys",
    "ReadReport",
    "Ties",
    "analyze_network",
    "initiative_breadth",
    "normalized_entropy",
    "pseudonym",
    "read_events",
    "ties_from_pairs",
]
