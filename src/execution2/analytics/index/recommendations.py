"""Recommended actions for the priorities and risks, from a catalogue kept as data.

The catalogue (`data/recommendations.yaml`) has, per component and per risk rule, a title and
three to five concrete actions. `recommend` pairs each priority and each fired risk with its
actions and with *where* to act: the units or managers with the largest gap, given by the
caller as plain `Place`s. Anonymity is the caller's job (pass only groups it may show), and
`recommend` drops any place resting on fewer than `min_group` people as a second guard.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from execution2.analytics.anonymity import FLOOR
from execution2.analytics.index.components import COMPONENTS
from execution2.analytics.index.compute import ExecutionIndex, Priority
from execution2.analytics.index.risks import RISK_KEYS, Risk

MIN_ACTIONS = 3
MAX_ACTIONS = 5
DEFAULT_MIN_GROUP = 5
DEFAULT_PLACES = 3
# Where to act on a fired risk, when the caller gives no places for the risk itself: the places
# with the largest gap on the component the risk is about. (The other risks name their
# initiatives or scales in `subjects`.)
RISK_COMPONENT = {
    "low_buy_in": "buy_in",
    "silos": "connectedness",
    "leadership_reach": "leadership",
}


class CatalogueError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True, slots=True)
class Advice:
    title: str
    actions: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    version: int
    components: Mapping[str, Advice]
    risks: Mapping[str, Advice]


@dataclass(frozen=True, slots=True)
class Place:
    """A unit or manager where a gap is large, as the caller may show it."""

    kind: str
    """"unit" or "manager"."""
    label: str
    gap: float
    """target - score there (larger = further from target)."""
    n: int
    """People the score there rests on."""
    key: str = ""
    """The caller's id (e.g. a unit id), for links."""


@dataclass(frozen=True)
class Recommendation:
    key: str
    kind: str
    """"component" (a priority) or "risk"."""
    title: str
    reason: str
    actions: tuple[str, ...]
    where: tuple[Place, ...]
    subjects: tuple[str, ...] = ()
    """For a risk: the initiatives or units that fired it."""


def _advice(raw: Any, where: str, problems: list[str]) -> Advice | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: needs a title and actions")
        return None
    unknown = sorted(set(raw) - {"title", "actions"})
    if unknown:
        problems.append(f"{where}: unknown fields {', '.join(map(str, unknown))}")
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(f"{where}: needs a title")
        title = ""
    actions = raw.get("actions")
    if not isinstance(actions, list) or not MIN_ACTIONS <= len(actions) <= MAX_ACTIONS:
        problems.append(f"{where}: needs {MIN_ACTIONS} to {MAX_ACTIONS} actions")
        return None
    texts = []
    for position, action in enumerate(actions, start=1):
        if not isinstance(action, str) or not action.strip():
            problems.append(f"{where}: action {position} needs a text")
        else:
            texts.append(action.strip())
    if len(set(texts)) != len(texts):
        problems.append(f"{where}: an action is listed twice")
    return Advice(title.strip(), tuple(texts))


def _section(raw: Any, name: str, keys: Sequence[str], problems: list[str]) -> dict[str, Advice]:
    if not isinstance(raw, dict):
        problems.append(f"{name}: needs an entry per key")
        return {}
    out = {}
    for key in keys:
        if key not in raw:
            problems.append(f"{name}: no entry for {key}")
            continue
        advice = _advice(raw[key], f"{name}.{key}", problems)
        if advice is not None:
            out[key] = advice
    for key in sorted(set(map(str, raw)) - set(keys)):
        problems.append(f"{name}: unknown key {key}")
    return out


def parse_catalogue(text: str) -> Catalogue:
    """Parse and check a catalogue; CatalogueError lists every problem."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise CatalogueError([f"not valid YAML: {error}"]) from None
    if not isinstance(raw, dict):
        raise CatalogueError(["the catalogue must be a mapping"])
    problems: list[str] = []
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        problems.append("version: needs a whole number")
    components = _section(raw.get("components"), "components", COMPONENTS, problems)
    risks = _section(raw.get("risks"), "risks", RISK_KEYS, problems)
    for key in sorted(set(map(str, raw)) - {"version", "components", "risks"}):
        problems.append(f"unknown section {key}")
    if problems:
        raise CatalogueError(problems)
    assert isinstance(version, int)
    return Catalogue(version, components, risks)


def load_catalogue(path: Path | None = None) -> Catalogue:
    """The built-in catalogue, or one from `path`."""
    if path is not None:
        return parse_catalogue(path.read_text(encoding="utf-8"))
    text = resources.files("execution2.analytics.index").joinpath("data", "recommendations.yaml")
    return parse_catalogue(text.read_text(encoding="utf-8"))


def _places(places: Sequence[Place], min_group: int, limit: int) -> tuple[Place, ...]:
    shown = [p for p in places if p.n >= min_group and p.gap > 0]
    shown.sort(key=lambda p: (-p.gap, p.label))
    return tuple(shown[:limit])


def recommend(
    priorities: Sequence[Priority],
    risks: Sequence[Risk],
    catalogue: Catalogue,
    *,
    where: Mapping[str, Sequence[Place]] | None = None,
    min_group: int = DEFAULT_MIN_GROUP,
    places: int = DEFAULT_PLACES,
    limit: int | None = None,
) -> tuple[Recommendation, ...]:
    """Actions for the fired risks (high severity first) and the priorities (in their order).

    `where[key]` (a component or risk key) lists candidate places; the `places` with the
    largest positive gap and at least `min_group` people are kept. `limit` caps the priorities
    (the risks are always all given).
    """
    if min_group < FLOOR:
        raise ValueError(f"min_group can't be below {FLOOR}")
    where = where or {}
    out = []
    for risk in risks:
        if not risk.fired:
            continue
        advice = catalogue.risks[risk.key]
        out.append(
            Recommendation(
                key=risk.key,
                kind="risk",
                title=advice.title,
                reason=risk.summary,
                actions=advice.actions,
                where=_places(
                    where.get(risk.key) or where.get(RISK_COMPONENT.get(risk.key, ""), ()),
                    min_group,
                    places,
                ),
                subjects=risk.subjects,
            )
        )
    chosen = priorities if limit is None else priorities[:limit]
    for priority in chosen:
        advice = catalogue.components[priority.key]
        out.append(
            Recommendation(
                key=priority.key,
                kind="component",
                title=advice.title,
                reason=(
                    f"{priority.title} scores {priority.score:.0f}, {priority.gap:.0f} under "
                    f"target; at its weight of {priority.weight:.0%} that costs "
                    f"{priority.priority:.1f} index points."
                ),
                actions=advice.actions,
                where=_places(where.get(priority.key, ()), min_group, places),
            )
        )
    return tuple(out)


def gap_places(
    results: Sequence[ExecutionIndex],
    labels: Sequence[str],
    *,
    kind: str = "unit",
    keys: Sequence[str] | None = None,
) -> dict[str, list[Place]]:
    """Per component, a `Place` for every scope (unit or manager) below target on it.

    `results[i]` is the index of the scope called `labels[i]` (with `keys[i]` its id). Pass
    only scopes the viewer may see; `recommend` keeps the largest gaps with enough people.
    """
    if len(labels) != len(results) or (keys is not None and len(keys) != len(results)):
        raise ValueError("results, labels and keys differ in length")
    out: dict[str, list[Place]] = {key: [] for key in COMPONENTS}
    for position, result in enumerate(results):
        for component in result.components:
            if component.gap is not None and component.gap > 0:
                out[component.key].append(
                    Place(
                        kind,
                        labels[position],
                        component.gap,
                        component.n,
                        keys[position] if keys is not None else "",
                    )
                )
    return out
