"""Scores of one assessment cycle for every subject, unit and the organization, in one pass.

Input (`CycleData`): an answer matrix (respondents x items, 0 = no answer or "don't know"),
and per response the subject it rates (-1 for a pulse survey), the rater group and the unit it
counts toward (the subject's unit, or the rater's own unit in a pulse survey), plus the unit
tree. Output (`CycleScores`): one row per group that has answers, a group being
(level, entity, rater group) with level subject, unit (the unit and everything below it) or
organization, and rater group self, manager, peer, direct, member or "all" (everyone but self).

How it stays fast: every statistic is built from additive sufficient statistics (answer counts
per item and value, per-respondent scale means, and complete-case sums and cross-products per
scale), computed with `numpy.bincount` per (subject, rater group) and per (unit, rater group),
then summed up the unit tree level by level. Alpha, item-total correlations, omega and rwg(j)
come from those moments, batched over all groups (`psychometrics`).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from execution2.analytics.anonymity import Disclosure, Group, Partition, disclose
from execution2.analytics.assessment import psychometrics as pm

RATER_GROUPS = ("self", "manager", "peer", "direct", "member")
ALL = "all"
GROUP_NAMES = (*RATER_GROUPS, ALL)
SELF = 0
ALL_INDEX = len(RATER_GROUPS)
SUBJECT, UNIT, ORGANIZATION = 0, 1, 2
LEVELS = ("subject", "unit", "organization")
OPTIONS = 5
# Omega needs a factor fit per group: only for units and the organization, with enough people.
OMEGA_MIN_N = 10
IDENTIFIED = ("self", "manager")

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
GroupKey = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class ScaleSpec:
    key: str
    columns: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class CycleData:
    answers: npt.NDArray[np.int8]
    subject: IntArray
    rater_group: npt.NDArray[np.int8]
    unit: IntArray
    unit_parent: IntArray
    """Parent of each unit, -1 for the top units."""
    subject_unit: IntArray
    """Unit of each subject."""
    scales: tuple[ScaleSpec, ...]

    def __post_init__(self) -> None:
        rows = self.answers.shape[0]
        for name in ("subject", "rater_group", "unit"):
            if getattr(self, name).shape != (rows,):
                raise ValueError(f"{name} must have one entry per response")
        if rows and (self.answers.min() < 0 or self.answers.max() > OPTIONS):
            raise ValueError("answers must be 0 (no answer) or 1 to 5")


@dataclass(frozen=True, slots=True)
class CycleScores:
    level: npt.NDArray[np.int8]
    entity: IntArray
    rater_group: npt.NDArray[np.int8]
    n: IntArray
    scale_keys: tuple[str, ...]
    scale_n: IntArray  # (G, K) respondents with at least one answer on the scale
    score: FloatArray  # (G, K) 0-100
    favourable: FloatArray  # (G, K) % of answers 4 or 5
    distribution: IntArray  # (G, K, 5) answers 1..5
    alpha: FloatArray  # (G, K)
    alpha_low: FloatArray
    alpha_high: FloatArray
    alpha_n: IntArray  # (G, K) complete cases behind alpha
    omega: FloatArray  # (G, K) units and organization only
    rwg_j: FloatArray  # (G, K)
    item_n: IntArray  # (G, I)
    item_mean: FloatArray  # (G, I) 1-5
    item_total: FloatArray  # (G, I) corrected item-total correlation within its scale
    unit_parent: IntArray
    subject_unit: IntArray

    def __len__(self) -> int:
        return int(self.n.shape[0])

    def keys(self) -> list[GroupKey]:
        return list(
            zip(self.level.tolist(), self.entity.tolist(), self.rater_group.tolist(), strict=True)
        )

    def index(self) -> dict[GroupKey, int]:
        return {key: position for position, key in enumerate(self.keys())}


def _bincount(cells: IntArray, size: int, weights: FloatArray | None = None) -> FloatArray:
    return np.bincount(cells, weights=weights, minlength=size).astype(np.float64)[:size]


def _moments(
    data: CycleData, cells: IntArray, size: int, mask: npt.NDArray[np.bool_]
) -> dict[str, FloatArray]:
    """Additive statistics per cell for the responses in `mask`."""
    answers = data.answers[mask]
    cells = cells[mask]
    items = answers.shape[1]
    out: dict[str, FloatArray] = {"n": _bincount(cells, size)[:, None]}
    flat = cells[:, None] * (items * (OPTIONS + 1)) + np.arange(items) * (OPTIONS + 1)
    flat = (flat + answers).ravel()
    counts = _bincount(flat, size * items * (OPTIONS + 1)).reshape(size, items, OPTIONS + 1)
    out["values"] = counts[:, :, 1:].reshape(size, items * OPTIONS)
    values = answers.astype(np.float64)
    for s, scale in enumerate(data.scales):
        block = values[:, list(scale.columns)]
        answered = block > 0
        count = answered.sum(axis=1)
        has = count > 0
        means = np.divide(block.sum(axis=1), count, out=np.zeros(len(count)), where=has)
        out[f"m{s}"] = _bincount(cells, size, has.astype(np.float64))[:, None]
        out[f"ms{s}"] = _bincount(cells, size, means)[:, None]
        complete = answered.all(axis=1)
        x = block[complete]
        c = cells[complete]
        k = len(scale.columns)
        out[f"cn{s}"] = _bincount(c, size)[:, None]
        out[f"cs{s}"] = np.stack([_bincount(c, size, x[:, a]) for a in range(k)], axis=1).reshape(
            size, k
        )
        cross = np.zeros((size, k, k))
        for a in range(k):
            for b in range(a, k):
                cross[:, a, b] = _bincount(c, size, x[:, a] * x[:, b])
                cross[:, b, a] = cross[:, a, b]
        out[f"cx{s}"] = cross.reshape(size, k * k)
    return out


def _with_all(stats: dict[str, FloatArray], entities: int) -> dict[str, FloatArray]:
    """(entities * 5, ...) -> (entities * 6, ...): the five rater groups and "all but self"."""
    out = {}
    groups = len(RATER_GROUPS)
    for name, array in stats.items():
        shaped = array.reshape(entities, groups, array.shape[-1])
        everyone = shaped[:, 1:, :].sum(axis=1, keepdims=True)
        out[name] = np.concatenate([shaped, everyone], axis=1).reshape(
            entities * (groups + 1), array.shape[-1]
        )
    return out


def _subtree(stats: dict[str, FloatArray], parent: IntArray) -> dict[str, FloatArray]:
    """Per-unit statistics summed over each unit's subtree, deepest units first."""
    units = parent.shape[0]
    depth = np.zeros(units, dtype=np.int64)
    for _ in range(units):
        has_parent = parent >= 0
        new = np.where(has_parent, depth[np.where(has_parent, parent, 0)] + 1, 0)
        if np.array_equal(new, depth):
            break
        depth = new
    out = {}
    for name, array in stats.items():
        shaped = array.reshape(units, -1, array.shape[-1]).copy() if units else array.copy()
        for level in range(int(depth.max()) if units else 0, 0, -1):
            members = np.flatnonzero(depth == level)
            np.add.at(shaped, parent[members], shaped[members])
        out[name] = shaped.reshape(array.shape)
    return out


def score_cycle(data: CycleData) -> CycleScores:
    """Every statistic of design.md 4.1 for every group with at least one response."""
    groups = len(RATER_GROUPS)
    subjects = data.subject_unit.shape[0]
    units = data.unit_parent.shape[0]
    rater = data.rater_group.astype(np.int64)
    has_subject = data.subject >= 0
    by_subject = _moments(
        data,
        np.where(has_subject, data.subject, 0) * groups + rater,
        subjects * groups,
        has_subject,
    )
    everyone = np.ones(data.answers.shape[0], dtype=bool)
    by_unit = _moments(data, data.unit * groups + rater, units * groups, everyone)
    subject_stats = _with_all(by_subject, subjects)
    unit_own = _with_all(by_unit, units)
    unit_stats = _subtree(unit_own, data.unit_parent)
    width = groups + 1
    roots = np.flatnonzero(data.unit_parent < 0)
    org_stats = {
        name: array.reshape(units, width, -1)[roots].sum(axis=0)
        for name, array in unit_stats.items()
    }
    level = np.concatenate(
        [
            np.full(subjects * width, SUBJECT),
            np.full(units * width, UNIT),
            np.full(width, ORGANIZATION),
        ]
    ).astype(np.int8)
    entity = np.concatenate(
        [np.repeat(np.arange(subjects), width), np.repeat(np.arange(units), width), np.zeros(width)]
    ).astype(np.int64)
    rater_group = np.tile(np.arange(width), subjects + units + 1).astype(np.int8)
    blocks = (subject_stats, unit_stats, org_stats)
    keeps = [block["n"][:, 0] > 0 for block in blocks]
    stats = {
        name: np.concatenate([b[name][k] for b, k in zip(blocks, keeps, strict=True)], axis=0)
        for name in subject_stats
    }
    keep = np.concatenate(keeps)
    return _derive(data, stats, level[keep], entity[keep], rater_group[keep])


def _derive(
    data: CycleData,
    stats: dict[str, FloatArray],
    level: npt.NDArray[np.int8],
    entity: IntArray,
    rater_group: npt.NDArray[np.int8],
) -> CycleScores:
    g = level.shape[0]
    items = data.answers.shape[1]
    k_scales = len(data.scales)
    values = stats["values"].reshape(g, items, OPTIONS)
    item_n = values.sum(axis=2)
    points = np.arange(1, OPTIONS + 1, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        item_mean = (values * points).sum(axis=2) / item_n
        item_var = ((values * points**2).sum(axis=2) - item_n * item_mean**2) / (item_n - 1)
    item_mean = np.where(item_n > 0, item_mean, np.nan)
    item_var = np.where(item_n >= 2, np.maximum(item_var, 0.0), np.nan)
    shape = (g, k_scales)
    scale_n = np.zeros(shape, dtype=np.int64)
    score = np.full(shape, np.nan)
    favourable = np.full(shape, np.nan)
    distribution = np.zeros((g, k_scales, OPTIONS), dtype=np.int64)
    alpha = np.full(shape, np.nan)
    alpha_n = np.zeros(shape, dtype=np.int64)
    omega = np.full(shape, np.nan)
    rwg_j = np.full(shape, np.nan)
    item_total = np.full((g, items), np.nan)
    aggregate = level != SUBJECT
    for s, scale in enumerate(data.scales):
        cols = list(scale.columns)
        k = len(cols)
        m = stats[f"m{s}"][:, 0]
        scale_n[:, s] = m.astype(np.int64)
        with np.errstate(invalid="ignore", divide="ignore"):
            score[:, s] = np.where(m > 0, (stats[f"ms{s}"][:, 0] / m - 1) / 4 * 100, np.nan)
        dist = values[:, cols, :].sum(axis=1)
        distribution[:, s] = dist.astype(np.int64)
        answered = dist.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            favourable[:, s] = np.where(
                answered > 0, dist[:, 3:].sum(axis=1) / answered * 100, np.nan
            )
        n_c = stats[f"cn{s}"][:, 0]
        alpha_n[:, s] = n_c.astype(np.int64)
        cov = pm.covariance_from_moments(n_c, stats[f"cs{s}"], stats[f"cx{s}"].reshape(g, k, k))
        alpha[:, s] = np.where(n_c >= 3, pm.alpha_from_covariance(cov), np.nan)
        item_total[:, cols] = np.where(
            (n_c >= 3)[:, None], pm.item_total_from_covariance(cov), np.nan
        )
        fit = aggregate & (n_c >= max(OMEGA_MIN_N, k + 1))
        if fit.any():
            omega[fit, s] = pm.omega_from_covariance(cov[fit])
        variances = item_var[:, cols]
        usable = np.isfinite(variances).sum(axis=1)
        with np.errstate(invalid="ignore"):
            mean_variance = np.where(
                usable > 0, np.nansum(variances, axis=1) / np.maximum(usable, 1), np.nan
            )
        rwg_j[:, s] = pm.rwg_j_from_variances(mean_variance, k)
    ks = np.array([len(scale.columns) for scale in data.scales], dtype=np.float64)
    alpha_low, alpha_high = pm.feldt_interval(alpha, alpha_n, ks[None, :])
    return CycleScores(
        level=level,
        entity=entity,
        rater_group=rater_group,
        n=stats["n"][:, 0].astype(np.int64),
        scale_keys=tuple(scale.key for scale in data.scales),
        scale_n=scale_n,
        score=score,
        favourable=favourable,
        distribution=distribution,
        alpha=alpha,
        alpha_low=alpha_low,
        alpha_high=alpha_high,
        alpha_n=alpha_n,
        omega=omega,
        rwg_j=rwg_j,
        item_n=item_n.astype(np.int64),
        item_mean=item_mean,
        item_total=item_total,
        unit_parent=data.unit_parent,
        subject_unit=data.subject_unit,
    )


def anonymity_structure(scores: CycleScores) -> tuple[list[Group], list[Partition]]:
    """The groups of a scored cycle and how they add up, for `anonymity.disclose`."""
    keys = scores.keys()
    present = set(keys)
    groups = [
        Group(key=key, kind=GROUP_NAMES[key[2]], n=int(n))
        for key, n in zip(keys, scores.n.tolist(), strict=True)
    ]
    partitions: list[Partition] = []
    children: dict[int, list[int]] = {}
    for unit, parent in enumerate(scores.unit_parent.tolist()):
        children.setdefault(parent, []).append(unit)
    subjects_of: dict[int, list[int]] = {}
    for subject, unit in enumerate(scores.subject_unit.tolist()):
        subjects_of.setdefault(unit, []).append(subject)
    observers = range(1, len(RATER_GROUPS))
    for level, entity, group in keys:
        if group != ALL_INDEX:
            continue
        parts = tuple(k for rg in observers if (k := (level, entity, rg)) in present)
        partitions.append(Partition(whole=(level, entity, ALL_INDEX), parts=parts))
    for level, entity, group in keys:
        if level == UNIT:
            own = [k for s in subjects_of.get(entity, ()) if (k := (SUBJECT, s, group)) in present]
            below = [k for c in children.get(entity, ()) if (k := (UNIT, c, group)) in present]
            partitions.append(Partition(whole=(level, entity, group), parts=(*own, *below)))
        elif level == ORGANIZATION:
            tops = [k for c in children.get(-1, ()) if (k := (UNIT, c, group)) in present]
            partitions.append(Partition(whole=(level, entity, group), parts=tuple(tops)))
    return groups, partitions


def anonymity_thresholds(min_group: int, min_direct_reports: int) -> dict[str, int]:
    return {
        "self": 1,
        "manager": 1,
        "peer": min_group,
        "direct": min_direct_reports,
        "member": min_group,
        ALL: min_group,
    }


def cycle_disclosure(scores: CycleScores, *, min_group: int, min_direct_reports: int) -> Disclosure:
    """Which groups of a scored cycle may be shown, by the organization's thresholds."""
    groups, partitions = anonymity_structure(scores)
    return disclose(
        groups,
        partitions,
        anonymity_thresholds(min_group, min_direct_reports),
        identified=IDENTIFIED,
    )


def score_changes(
    current: Mapping[Hashable, FloatArray], previous: Mapping[Hashable, FloatArray]
) -> dict[Hashable, FloatArray]:
    """Scale score change per group key present (and shown) in both cycles."""
    return {key: current[key] - previous[key] for key in current.keys() & previous.keys()}
