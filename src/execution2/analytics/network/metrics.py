"""Ratio metrics of a tie list, vectorised with numpy (no graph library needed).

Ties are given as two arrays `u`, `v` of node indices in `[0, n)` (one entry per undirected
tie, no self-loops, no repeats); groups (units, communities) as one integer label per node.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def degrees(n: int, u: IntArray, v: IntArray) -> IntArray:
    """Number of ties of each node."""
    return np.bincount(u, minlength=n) + np.bincount(v, minlength=n)


def density(n: int, ties: int) -> float | None:
    """Share of the possible ties that exist: 2T / (n (n - 1)); None below two people."""
    if n < 2:
        return None
    return 2.0 * ties / (n * (n - 1))


def average_degree(n: int, ties: int) -> float | None:
    return 2.0 * ties / n if n else None


def ei_index(external: float, internal: float) -> float | None:
    """Krackhardt and Stern's E-I index (E - I) / (E + I): -1 all inside, +1 all outside."""
    total = external + internal
    return (external - internal) / total if total else None


def cross_group_share(u: IntArray, v: IntArray, group: IntArray) -> float | None:
    """Share of ties whose two ends are in different groups."""
    if len(u) == 0:
        return None
    return float(np.mean(group[u] != group[v]))


def partition_modularity(
    n: int,
    u: IntArray,
    v: IntArray,
    group: IntArray,
    weights: FloatArray | None = None,
    resolution: float = 1.0,
) -> float | None:
    """Newman's modularity of a partition: sum over groups of L_c/m - resolution (D_c/2m)^2.

    The same quantity as `networkx.community.modularity` (undirected; weighted when
    `weights` is given). None when there are no ties.
    """
    w = np.ones(len(u), dtype=np.float64) if weights is None else weights.astype(np.float64)
    m = float(w.sum())
    if m == 0:
        return None
    _, labels = np.unique(group, return_inverse=True)
    k = int(labels.max()) + 1 if len(labels) else 0
    strength = np.bincount(u, weights=w, minlength=n) + np.bincount(v, weights=w, minlength=n)
    inside = labels[u] == labels[v]
    within = np.bincount(labels[u][inside], weights=w[inside], minlength=k)
    total = np.bincount(labels, weights=strength, minlength=k)
    return float(np.sum(within / m - resolution * (total / (2.0 * m)) ** 2))


def normalized_mutual_information(a: IntArray, b: IntArray) -> float | None:
    """NMI with the arithmetic mean of the entropies (scikit-learn's, and its default).

    1 when the partitions are the same up to names; 1 also when both have a single group.
    """
    if len(a) == 0:
        return None
    from sklearn.metrics import normalized_mutual_info_score

    return max(0.0, float(normalized_mutual_info_score(a, b, average_method="arithmetic")))


def adjusted_rand_index(a: IntArray, b: IntArray) -> float | None:
    """Hubert and Arabie's adjusted Rand index (scikit-learn's): 1 for equal partitions,
    about 0 by chance."""
    if len(a) == 0:
        return None
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(a, b))


def adjacency(n: int, u: IntArray, v: IntArray) -> tuple[IntArray, IntArray]:
    """Compressed neighbour lists: `indptr`, `indices` (both directions of every tie)."""
    from scipy.sparse import csr_array

    heads = np.concatenate([u, v])
    tails = np.concatenate([v, u])
    # scipy builds compressed rows by counting, in C: far faster than sorting the heads.
    matrix = csr_array((np.ones(len(heads), dtype=np.int8), (heads, tails)), shape=(n, n))
    return np.asarray(matrix.indptr, dtype=np.int64), np.asarray(matrix.indices, dtype=np.int64)


def hop_distances(n: int, u: IntArray, v: IntArray, sources: IntArray) -> IntArray:
    """Breadth-first hop distance from the nearest source to every node; -1 if unreachable."""
    indptr, indices = adjacency(n, u, v)
    distance = np.full(n, -1, dtype=np.int64)
    frontier = np.unique(sources.astype(np.int64))
    distance[frontier] = 0
    level = 0
    while len(frontier):
        level += 1
        starts, ends = indptr[frontier], indptr[frontier + 1]
        lengths = ends - starts
        total = int(lengths.sum())
        if total == 0:
            break
        # Every neighbour of the frontier at once: ranges [start, end) flattened.
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        neighbours = indices[offsets + np.arange(total)]
        seen = np.zeros(n, dtype=np.bool_)
        seen[neighbours[distance[neighbours] < 0]] = True
        fresh = np.flatnonzero(seen)
        distance[fresh] = level
        frontier = fresh
    return distance


def component_labels(n: int, u: IntArray, v: IntArray) -> IntArray:
    """Connected component of each node (labels 0..k-1)."""
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    graph = coo_array((np.ones(len(u), dtype=np.int8), (u, v)), shape=(n, n)).tocsr()
    _, labels = connected_components(graph, directed=False)
    return np.asarray(labels, dtype=np.int64)


def largest_component_share(n: int, u: IntArray, v: IntArray) -> float | None:
    """Share of nodes in the largest connected component (isolates are components of one)."""
    if n == 0:
        return None
    return float(np.bincount(component_labels(n, u, v)).max() / n)


def grouped_mean(values: FloatArray, group: IntArray, k: int) -> FloatArray:
    """Mean of `values` per group label in [0, k); NaN for empty groups."""
    counts = np.bincount(group, minlength=k).astype(np.float64)
    sums = np.bincount(group, weights=values, minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def grouped_quantile(values: FloatArray, group: IntArray, k: int, q: float) -> FloatArray:
    """The q-quantile of `values` per group (numpy's linear interpolation); NaN if empty."""
    out = np.full(k, np.nan)
    if len(values) == 0:
        return out
    order = np.lexsort((values, group))
    sorted_values = values[order].astype(np.float64)
    counts = np.bincount(group, minlength=k)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    present = counts > 0
    position = q * (counts[present] - 1)
    lower = np.floor(position).astype(np.int64)
    upper = np.minimum(lower + 1, counts[present] - 1)
    fraction = position - lower
    base = starts[present]
    low_values = sorted_values[base + lower]
    high_values = sorted_values[base + upper]
    out[present] = low_values + (high_values - low_values) * fraction
    return out


def top_per_group(scores: FloatArray, group: IntArray, k: int, per_group: int) -> list[IntArray]:
    """For each group label in [0, k), the indices of its `per_group` highest scores."""
    order = np.lexsort((-scores, group))
    sorted_groups = group[order]
    starts = np.searchsorted(sorted_groups, np.arange(k), side="left")
    ends = np.searchsorted(sorted_groups, np.arange(k), side="right")
    return [order[s : min(e, s + per_group)] for s, e in zip(starts, ends, strict=True)]
