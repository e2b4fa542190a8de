"""Every connectedness metric of design.md 4.3 for one window, for the organization or one unit.

    >>> analysis = analyze_network(chart, ties)          # the whole organization
    >>> analysis = analyze_network(chart, ties, scope=3)  # unit index 3 and everything below

Scalar metrics come from numpy (`metrics`), communities and sampled betweenness from
networkit (`graph`). Figures about individual people (brokers, isolates) are in `people` and
`brokers`: the caller decides who may see them.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from execution2.analytics.network import metrics
from execution2.analytics.network.chart import DEFAULT_MIN_INTERACTIONS, OrgChart, Ties
from execution2.analytics.network.graph import (
    DEFAULT_BETWEENNESS_SAMPLES,
    build_graph,
    leiden_communities,
    louvain_communities,
    sampled_betweenness,
)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class NetworkSettings:
    min_interactions: int = DEFAULT_MIN_INTERACTIONS
    level: int | None = None
    """Partition for cross-unit share, E-I and modularity: own unit (None) or depth `level`."""
    communities: bool = True
    brokers: bool = True
    betweenness_samples: int = DEFAULT_BETWEENNESS_SAMPLES
    units: bool = True
    unit_components: bool = True
    """Largest connected group inside each unit (one components pass per depth)."""
    top_brokers: int = 20
    brokers_per_unit: int = 3
    silo_count: int = 5
    silo_partners: int = 3
    min_unit_people: int = 5
    seed: int = 7


@dataclass(frozen=True, slots=True)
class Communities:
    algorithm: str
    count: int
    modularity: float | None
    nmi_with_units: float | None
    """Normalised mutual information with the unit partition, over people with ties."""
    ari_with_units: float | None
    """Adjusted Rand index with the unit partition, over people with ties."""


@dataclass(frozen=True, slots=True)
class Summary:
    people: int
    ties: int
    interactions: int
    density: float | None
    average_degree: float | None
    isolates: int
    isolate_share: float | None
    largest_component_share: float | None
    reciprocity: float | None
    """Share of directed arcs within ties whose reverse arc also occurred."""
    cross_unit_share: float | None
    ei_index: float | None
    unit_modularity: float | None
    executive_team: int
    reach_mean: float | None
    """Mean hop distance from the executive team, over reachable people outside it."""
    reach_p90: float | None
    reach_share: float | None
    """Share of the people outside the executive team that the team reaches at all."""
    leiden: Communities | None = None
    louvain: Communities | None = None


@dataclass(frozen=True, slots=True)
class UnitMetrics:
    unit_id: int
    path: str
    depth: int
    people: int
    internal_ties: int
    external_ties: int
    density: float | None
    average_degree: float | None
    isolate_share: float | None
    largest_component_share: float | None
    ei_index: float | None
    cross_unit_share: float | None
    reach_mean: float | None
    reach_p90: float | None


@dataclass(frozen=True, slots=True)
class Partner:
    unit_id: int
    path: str
    ties: int


@dataclass(frozen=True, slots=True)
class Silo:
    unit_id: int
    path: str
    people: int
    ei_index: float
    external_ties: int
    partners: tuple[Partner, ...]


@dataclass(frozen=True, slots=True)
class Matrix:
    """Ties between the units of one level (diagonal: ties inside a unit)."""

    unit_ids: tuple[int, ...]
    paths: tuple[str, ...]
    people: tuple[int, ...]
    ties: tuple[tuple[int, ...], ...]


@dataclass(frozen=True, slots=True)
class Broker:
    person_id: int
    unit_id: int
    betweenness: float


@dataclass(frozen=True)
class PersonFigures:
    """Per person of the scope (sensitive): degree, betweenness (NaN when not computed)."""

    person_ids: IntArray
    unit_ids: IntArray
    """Database id of each person's unit."""
    degree: IntArray
    betweenness: FloatArray
    reach: IntArray
    """Hop distance from the executive team; -1 when unreachable."""


@dataclass(frozen=True)
class NetworkAnalysis:
    summary: Summary
    units: tuple[UnitMetrics, ...]
    matrix: Matrix | None
    silos: tuple[Silo, ...]
    brokers: tuple[Broker, ...]
    unit_brokers: dict[int, tuple[Broker, ...]]
    people: PersonFigures
    seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self, *, sensitive: bool = False) -> dict[str, Any]:
        """Plain JSON-ready data; brokers only when `sensitive` (admins)."""
        data: dict[str, Any] = {
            "summary": _clean(asdict(self.summary)),
            "units": [_clean(asdict(unit)) for unit in self.units],
            "matrix": asdict(self.matrix) if self.matrix is not None else None,
            "silos": [_clean(asdict(silo)) for silo in self.silos],
        }
        if sensitive:
            data["brokers"] = [asdict(b) for b in self.brokers]
            data["unit_brokers"] = {
                str(unit): [asdict(b) for b in brokers]
                for unit, brokers in self.unit_brokers.items()
            }
        return data


def _clean(value: Any) -> Any:
    """NaN becomes None, numpy numbers plain Python ones, floats rounded for reading."""
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6)
    return value


def _float(value: float | np.floating[Any] | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _communities(
    name: str, labels: IntArray, n: int, ties: Ties, units: IntArray, active: BoolArray
) -> Communities:
    return Communities(
        algorithm=name,
        count=int(np.count_nonzero(np.bincount(labels[active]))) if np.any(active) else 0,
        modularity=metrics.partition_modularity(n, ties.u, ties.v, labels),
        nmi_with_units=metrics.normalized_mutual_information(units[active], labels[active]),
        ari_with_units=metrics.adjusted_rand_index(units[active], labels[active]),
    )


def analyze_network(
    chart: OrgChart,
    ties: Ties,
    *,
    scope: int | None = None,
    settings: NetworkSettings | None = None,
) -> NetworkAnalysis:
    """All metrics for the organization (scope None) or the unit index `scope` and below."""
    settings = settings or NetworkSettings()
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = seconds.get(name, 0.0) + now - clock
        clock = now

    if ties.n != chart.n:
        raise ValueError("ties and chart have different people")
    n_all = chart.n
    whole_degree = metrics.degrees(n_all, ties.u, ties.v)
    executives = chart.executive_team()
    reach_all = metrics.hop_distances(n_all, ties.u, ties.v, executives)
    is_executive = np.zeros(n_all, dtype=np.bool_)
    is_executive[executives] = True
    lap("reach_s")

    if scope is None:
        keep = np.ones(n_all, dtype=np.bool_)
        local, index = ties, np.arange(n_all, dtype=np.int64)
    else:
        keep = chart.subtree_people(scope)
        local, index = ties.restrict(keep)
    n = local.n
    partition = chart.partition(settings.level)[index]
    degree = metrics.degrees(n, local.u, local.v)
    isolates = int(np.sum(whole_degree[index] == 0))
    outside_team = ~is_executive[index]
    reach = reach_all[index]
    reachable = outside_team & (reach > 0)
    distances = reach[reachable].astype(np.float64)
    cross = metrics.cross_group_share(local.u, local.v, partition)
    summary_values: dict[str, Any] = {
        "people": n,
        "ties": local.count,
        "interactions": int(local.interactions.sum()),
        "density": metrics.density(n, local.count),
        "average_degree": metrics.average_degree(n, local.count),
        "isolates": isolates,
        "isolate_share": isolates / n if n else None,
        "largest_component_share": metrics.largest_component_share(n, local.u, local.v),
        "reciprocity": (
            float(2 * np.sum(local.arcs == 2) / local.arcs.sum()) if local.count else None
        ),
        "cross_unit_share": cross,
        "ei_index": 2 * cross - 1 if cross is not None else None,
        "unit_modularity": metrics.partition_modularity(n, local.u, local.v, partition),
        "executive_team": int(np.sum(is_executive[index])),
        "reach_mean": float(distances.mean()) if len(distances) else None,
        "reach_p90": float(np.percentile(distances, 90)) if len(distances) else None,
        "reach_share": (
            float(reachable.sum() / outside_team.sum()) if outside_team.any() else None
        ),
    }
    lap("summary_s")

    graph = None
    if settings.communities and local.count:
        graph = build_graph(n, local.u, local.v)
        active = degree > 0
        leiden = leiden_communities(graph, seed=settings.seed)
        summary_values["leiden"] = _communities("leiden", leiden, n, local, partition, active)
        louvain = louvain_communities(graph, seed=settings.seed)
        summary_values["louvain"] = _communities("louvain", louvain, n, local, partition, active)
        lap("communities_s")
    summary = Summary(**summary_values)

    betweenness = np.full(n_all, np.nan)
    if settings.brokers and ties.count:
        # Brokerage is about the whole organization: computed on the whole graph.
        whole = graph if scope is None and graph is not None else build_graph(n_all, ties.u, ties.v)
        betweenness = sampled_betweenness(whole, settings.betweenness_samples, settings.seed)
        lap("betweenness_s")

    units = _unit_metrics(
        chart, ties, whole_degree, reach_all, is_executive, scope, settings.unit_components
    )
    if not settings.units:
        units = ()
    lap("units_s")
    matrix, groups = _matrix(chart, ties, scope)
    silos = _silos(chart, ties, units, matrix, settings) if matrix is not None else ()
    lap("matrix_s")

    brokers: tuple[Broker, ...] = ()
    unit_brokers: dict[int, tuple[Broker, ...]] = {}
    if settings.brokers and ties.count:
        scoped = betweenness[index]
        order = np.argsort(-scoped, kind="stable")[: settings.top_brokers]
        brokers = tuple(_broker(chart, index[i], betweenness) for i in order if scoped[i] > 0)
        if matrix is not None:
            k = len(matrix.unit_ids)
            tops = metrics.top_per_group(scoped, groups[index], k, settings.brokers_per_unit)
            for position, members in enumerate(tops):
                unit_brokers[matrix.unit_ids[position]] = tuple(
                    _broker(chart, index[i], betweenness) for i in members if scoped[i] > 0
                )
    people = PersonFigures(
        person_ids=chart.person_ids[index],
        unit_ids=chart.unit_ids[chart.unit[index]],
        degree=whole_degree[index],
        betweenness=betweenness[index],
        reach=reach,
    )
    return NetworkAnalysis(summary, units, matrix, silos, brokers, unit_brokers, people, seconds)


def _broker(chart: OrgChart, person: int | np.integer[Any], scores: FloatArray) -> Broker:
    return Broker(
        person_id=int(chart.person_ids[person]),
        unit_id=int(chart.unit_ids[chart.unit[person]]),
        betweenness=float(scores[person]),
    )


def _unit_metrics(
    chart: OrgChart,
    ties: Ties,
    degree: IntArray,
    reach: IntArray,
    is_executive: BoolArray,
    scope: int | None,
    components: bool = True,
) -> tuple[UnitMetrics, ...]:
    """Metrics of every unit (with everything below it) in the scope, one depth at a time."""
    k, n = chart.unit_count, chart.n
    if k == 0:
        return ()
    ancestors = chart.people_ancestors()
    people = np.zeros(k, dtype=np.int64)
    internal = np.zeros(k, dtype=np.int64)
    external = np.zeros(k, dtype=np.int64)
    degree_sum = np.zeros(k)
    isolated = np.zeros(k)
    largest = np.zeros(k, dtype=np.int64)
    reach_mean = np.full(k, np.nan)
    reach_p90 = np.full(k, np.nan)
    for depth in range(len(ancestors)):
        anc = ancestors[depth]
        inside = anc >= 0
        if not inside.any():
            continue
        groups = anc[inside]
        people += np.bincount(groups, minlength=k)
        degree_sum += np.bincount(groups, weights=degree[inside], minlength=k)
        isolated += np.bincount(groups, weights=(degree[inside] == 0), minlength=k)
        a_u, a_v = anc[ties.u], anc[ties.v]
        same = (a_u == a_v) & (a_u >= 0)
        internal += np.bincount(a_u[same], minlength=k)
        external += np.bincount(a_u[~same & (a_u >= 0)], minlength=k)
        external += np.bincount(a_v[~same & (a_v >= 0)], minlength=k)
        if components:
            labels = metrics.component_labels(n, ties.u[same], ties.v[same])
            keys, sizes = np.unique(anc[inside] * n + labels[inside], return_counts=True)
            np.maximum.at(largest, keys // n, sizes)
        measured = inside & ~is_executive & (reach > 0)
        if measured.any():
            values = reach[measured].astype(np.float64)
            at = anc[measured]
            mean = metrics.grouped_mean(values, at, k)
            p90 = metrics.grouped_quantile(values, at, k, 0.9)
            filled = ~np.isnan(mean)
            reach_mean[filled] = mean[filled]
            reach_p90[filled] = p90[filled]
    if scope is None:
        wanted = np.ones(k, dtype=np.bool_)
    else:
        depth = int(chart.unit_depth[scope])
        wanted = chart.unit_ancestors[depth] == scope
    rows = []
    for u in np.nonzero(wanted & (people > 0))[0]:
        size = int(people[u])
        cross = external[u] / (external[u] + internal[u]) if external[u] + internal[u] else None
        rows.append(
            UnitMetrics(
                unit_id=int(chart.unit_ids[u]),
                path=chart.unit_paths[u],
                depth=int(chart.unit_depth[u]),
                people=size,
                internal_ties=int(internal[u]),
                external_ties=int(external[u]),
                density=metrics.density(size, int(internal[u])),
                average_degree=float(degree_sum[u] / size),
                isolate_share=float(isolated[u] / size),
                largest_component_share=float(largest[u] / size) if components else None,
                ei_index=metrics.ei_index(float(external[u]), float(internal[u])),
                cross_unit_share=float(cross) if cross is not None else None,
                reach_mean=_float(reach_mean[u]),
                reach_p90=_float(reach_p90[u]),
            )
        )
    rows.sort(key=lambda row: row.path.casefold())
    return tuple(rows)


def _matrix_groups(chart: OrgChart, scope: int | None) -> tuple[IntArray, IntArray]:
    """Each person's unit at the matrix level (-1 outside the scope), and the level's units."""
    ancestors = chart.people_ancestors()
    if scope is None:
        groups = ancestors[0] if len(ancestors) else np.full(chart.n, -1, dtype=np.int64)
    else:
        depth = int(chart.unit_depth[scope])
        inside = ancestors[depth] == scope
        if depth + 1 < len(ancestors):
            below = ancestors[depth + 1]
            groups = np.where(inside, np.where(below >= 0, below, scope), -1)
        else:
            groups = np.where(inside, scope, -1)
    units = np.unique(groups[groups >= 0])
    return np.asarray(groups, dtype=np.int64), units.astype(np.int64)


def _matrix(chart: OrgChart, ties: Ties, scope: int | None) -> tuple[Matrix | None, IntArray]:
    groups, units = _matrix_groups(chart, scope)
    k = len(units)
    if k == 0:
        return None, np.full(chart.n, -1, dtype=np.int64)
    position = np.full(chart.unit_count, -1, dtype=np.int64)
    position[units] = np.arange(k)
    local = np.where(groups >= 0, position[np.maximum(groups, 0)], -1)
    g_u, g_v = local[ties.u], local[ties.v]
    both = (g_u >= 0) & (g_v >= 0)
    low, high = np.minimum(g_u[both], g_v[both]), np.maximum(g_u[both], g_v[both])
    counts = np.bincount(low * k + high, minlength=k * k).reshape(k, k)
    counts = counts + np.triu(counts, 1).T
    people = np.bincount(local[local >= 0], minlength=k)
    matrix = Matrix(
        unit_ids=tuple(int(chart.unit_ids[u]) for u in units),
        paths=tuple(chart.unit_paths[u] for u in units),
        people=tuple(int(p) for p in people),
        ties=tuple(tuple(int(c) for c in row) for row in counts),
    )
    return matrix, local


def _silos(
    chart: OrgChart,
    ties: Ties,
    units: tuple[UnitMetrics, ...],
    matrix: Matrix,
    settings: NetworkSettings,
) -> tuple[Silo, ...]:
    """The units of the matrix level with the lowest E-I, and where their few outside ties go."""
    by_id = {row.unit_id: row for row in units}
    candidates = [
        by_id[unit_id]
        for unit_id in matrix.unit_ids
        if unit_id in by_id
        and by_id[unit_id].people >= settings.min_unit_people
        and by_id[unit_id].ei_index is not None
    ]
    candidates.sort(key=lambda row: (row.ei_index, row.path))
    if not candidates:
        return ()
    ancestors = chart.people_ancestors()
    silos = []
    for row in candidates[: settings.silo_count]:
        index = chart.unit_index(row.unit_id)
        assert index is not None
        depth = int(chart.unit_depth[index])
        anc = ancestors[depth]
        # The other end's unit at the same depth, or its own unit when it sits higher up.
        other_group = np.where(anc >= 0, anc, chart.unit)
        in_u, in_v = anc[ties.u] == index, anc[ties.v] == index
        crossing_u = in_u & ~in_v
        crossing_v = in_v & ~in_u
        others = np.concatenate([other_group[ties.v[crossing_u]], other_group[ties.u[crossing_v]]])
        counts = np.bincount(others, minlength=chart.unit_count)
        top = np.argsort(-counts, kind="stable")[: settings.silo_partners]
        partners = tuple(
            Partner(int(chart.unit_ids[u]), chart.unit_paths[u], int(counts[u]))
            for u in top
            if counts[u] > 0
        )
        assert row.ei_index is not None
        silos.append(
            Silo(row.unit_id, row.path, row.people, row.ei_index, row.external_ties, partners)
        )
    return tuple(silos)
