"""Weighted progress, rolled up a plan graph where a node may have several parents.

Progress is a fraction in [0, 1]. The graph's nodes are opportunities, initiatives and tactics
(assignments and KPIs are leaves, pre-aggregated onto the node they hang under, so a plan with
100,000 assignments is a graph of a few hundred nodes). A node's progress is:

- its **work progress**: the weighted mean of its direct assignments (`work_sum / work_weight`,
  i.e. Σ weight * progress over Σ weight) together with its children, each child counted with
  the weight of its edge: `(work_sum + Σ w·p_child) / (work_weight + Σ w)`;
- its **KPI progress**: the mean progress of its KPIs (`kpi_sum / kpi_count`);
- the mean of the two when both exist, else whichever exists, else undefined (NaN).

A child with several parents is counted once under each parent, with its full weight; children
without progress are left out of their parents' means (a new initiative doesn't pull its
opportunity towards zero). Dropped assignments are left out by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class PlanGraph:
    """Nodes 0..n-1 and edges child -> parent with a weight each (arrays of equal length)."""

    n: int
    child: IntArray
    parent: IntArray
    weight: FloatArray
    work_sum: FloatArray
    """Per node: Σ weight * progress of the assignments directly under it."""
    work_weight: FloatArray
    """Per node: Σ weight of those assignments."""
    kpi_sum: FloatArray
    """Per node: Σ progress of its KPIs."""
    kpi_count: FloatArray

    @classmethod
    def build(
        cls,
        n: int,
        edges: list[tuple[int, int, float]] | None = None,
        *,
        work: dict[int, tuple[float, float]] | None = None,
        kpis: dict[int, list[float]] | None = None,
    ) -> PlanGraph:
        """A convenience constructor from Python lists (tests, small plans).

        `work[node] = (Σ weight * progress, Σ weight)`; `kpis[node] = [progress, ...]`.
        """
        edges = edges or []
        work_sum = np.zeros(n)
        work_weight = np.zeros(n)
        kpi_sum = np.zeros(n)
        kpi_count = np.zeros(n)
        for node, (total, weight) in (work or {}).items():
            work_sum[node] += total
            work_weight[node] += weight
        for node, values in (kpis or {}).items():
            kpi_sum[node] += float(sum(values))
            kpi_count[node] += len(values)
        return cls(
            n=n,
            child=np.array([e[0] for e in edges], dtype=np.int64),
            parent=np.array([e[1] for e in edges], dtype=np.int64),
            weight=np.array([e[2] for e in edges], dtype=np.float64),
            work_sum=work_sum,
            work_weight=work_weight,
            kpi_sum=kpi_sum,
            kpi_count=kpi_count,
        )


def _heights(n: int, child: IntArray, parent: IntArray) -> IntArray:
    """Longest path from a leaf to each node; raises ValueError on a cycle."""
    height = np.zeros(n, dtype=np.int64)
    for _ in range(n + 1):
        proposed = height.copy()
        if len(child):
            np.maximum.at(proposed, parent, height[child] + 1)
        if np.array_equal(proposed, height):
            return height
        height = proposed
    raise ValueError("the plan graph has a cycle: an initiative is its own ancestor")


def rollup(graph: PlanGraph) -> FloatArray:
    """Progress in [0, 1] per node (NaN where nothing measures it); see the module docstring."""
    n = graph.n
    if np.any(graph.weight < 0):
        raise ValueError("edge weights must not be negative")
    height = _heights(n, graph.child, graph.parent)
    progress = np.full(n, np.nan)
    kpi = np.where(graph.kpi_count > 0, graph.kpi_sum / np.maximum(graph.kpi_count, 1), np.nan)
    work_num = graph.work_sum.astype(np.float64).copy()
    work_den = graph.work_weight.astype(np.float64).copy()
    for level in range(int(height.max(initial=0)) + 1):
        at_level = height == level
        if level > 0:
            edges = at_level[graph.parent]
            p_child = progress[graph.child[edges]]
            known = ~np.isnan(p_child)
            parents = graph.parent[edges][known]
            w = graph.weight[edges][known]
            work_num += np.bincount(parents, weights=w * p_child[known], minlength=n)
            work_den += np.bincount(parents, weights=w, minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            work = np.where(work_den > 0, work_num / np.where(work_den > 0, work_den, 1), np.nan)
        both = np.vstack([work, kpi])
        counts = (~np.isnan(both)).sum(axis=0)
        mean = np.where(counts > 0, np.nansum(both, axis=0) / np.maximum(counts, 1), np.nan)
        progress[at_level] = mean[at_level]
    result: FloatArray = np.clip(progress, 0.0, 1.0)
    return result


def kpi_progress(
    baseline: FloatArray,
    target: FloatArray,
    current: FloatArray,
    direction_up: npt.NDArray[np.bool_],
) -> FloatArray:
    """How far each KPI has moved from its baseline towards its target, clipped to [0, 1].

    `(current - baseline) / (target - baseline)`, which covers both directions (a "down" KPI
    has target < baseline). NaN where there is no current value; a target equal to its
    baseline counts as reached when current is on the right side of it.
    """
    baseline = np.asarray(baseline, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    current = np.asarray(current, dtype=np.float64)
    up = np.asarray(direction_up, dtype=bool)
    span = target - baseline
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = (current - baseline) / np.where(span == 0, 1.0, span)
    reached = np.where(up, current >= target, current <= target).astype(np.float64)
    value = np.where(span == 0, reached, ratio)
    value = np.where(np.isnan(current), np.nan, value)
    clipped: FloatArray = np.clip(value, 0.0, 1.0)
    return clipped
