"""Graph algorithms that need a graph library: communities and sampled betweenness (networkit).

networkit (MIT) is used rather than igraph (GPL): the product is proprietary. Its Leiden uses
the modularity objective (gamma = 1), not the CPM default that makes igraph put everyone alone.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

DEFAULT_BETWEENNESS_SAMPLES = 256


def _networkit() -> Any:
    import networkit

    return networkit


def build_graph(n: int, u: IntArray, v: IntArray, weights: FloatArray | None = None) -> Any:
    """An undirected networkit graph with nodes 0..n-1 (weighted when `weights` is given)."""
    nk = _networkit()
    if n == 0:
        return nk.Graph(0)
    if weights is None:
        data: Any = (u.astype(np.uint64), v.astype(np.uint64))
        return nk.graph.GraphFromCoo(data, n=n, weighted=False, directed=False)
    data = (weights.astype(np.float64), (u.astype(np.uint64), v.astype(np.uint64)))
    return nk.graph.GraphFromCoo(data, n=n, weighted=True, directed=False)


SMALL_GRAPH = 20_000


def _seed(seed: int, nodes: int) -> None:
    """Seed networkit; small graphs run on one thread so their results repeat exactly."""
    nk = _networkit()
    nk.engineering.setSeed(seed, False)
    threads = 1 if nodes < SMALL_GRAPH else (os.cpu_count() or 1)
    nk.engineering.setNumberOfThreads(threads)


def leiden_communities(graph: Any, seed: int = 7) -> IntArray:
    """Community label per node by Leiden with the modularity objective."""
    nk = _networkit()
    if graph.numberOfNodes() == 0:
        return np.zeros(0, dtype=np.int64)
    _seed(seed, graph.numberOfNodes())
    algorithm = nk.community.ParallelLeiden(graph, randomize=True, iterations=3, gamma=1.0)
    algorithm.run()
    return _labels(algorithm.getPartition(), graph.numberOfNodes())


def louvain_communities(graph: Any, seed: int = 7) -> IntArray:
    """Community label per node by Louvain (networkit's PLM, with refinement)."""
    nk = _networkit()
    if graph.numberOfNodes() == 0:
        return np.zeros(0, dtype=np.int64)
    _seed(seed, graph.numberOfNodes())
    algorithm = nk.community.PLM(graph, refine=True, gamma=1.0)
    algorithm.run()
    return _labels(algorithm.getPartition(), graph.numberOfNodes())


def _labels(partition: Any, n: int) -> IntArray:
    raw = np.asarray(partition.getVector(), dtype=np.int64)[:n]
    _, labels = np.unique(raw, return_inverse=True)
    return labels.astype(np.int64)


def sampled_betweenness(
    graph: Any, samples: int = DEFAULT_BETWEENNESS_SAMPLES, seed: int = 7
) -> FloatArray:
    """Betweenness estimated from `samples` random source nodes, normalised like networkx.

    For an undirected graph of n nodes the exact value is divided by (n - 1)(n - 2) / 2, so
    scores lie in [0, 1]. With as many samples as nodes the estimate is exact.
    """
    nk = _networkit()
    n = graph.numberOfNodes()
    if n < 3:
        return np.zeros(n, dtype=np.float64)
    _seed(seed, n)
    if samples >= n:
        exact = nk.centrality.Betweenness(graph, normalized=False)
        exact.run()
        raw = np.asarray(exact.scores(), dtype=np.float64)
    else:
        estimate = nk.centrality.EstimateBetweenness(graph, samples, False, True)
        estimate.run()
        raw = np.asarray(estimate.scores(), dtype=np.float64)
    # networkit counts each unordered pair twice in an undirected graph.
    normalised: FloatArray = raw / ((n - 1) * (n - 2))
    return normalised
