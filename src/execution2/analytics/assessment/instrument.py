"""The assessment instrument as data: scales of items, the plan buy-in block, open questions.

An instrument is a YAML document (see `data/management-v1.yaml`, the built-in one). An
organization can add its own items or write its own instrument in the same format; everything
is checked by `instrument_parse`, which raises `InstrumentError` with every problem it found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

ATTRIBUTES = ("leadership", "delegation", "stewardship", "conflict", "motivation", "consideration")
BUY_IN = "buy_in"
WORDINGS = ("observer", "self", "general")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
BUILT_IN = "management-v1.yaml"


class InstrumentError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True, slots=True)
class Item:
    key: str
    scale: str
    observer: str
    self: str
    general: str
    others: str = ""
    """For peers and the manager's own manager, with {name}; empty: the observer wording."""

    def text(self, wording: str, name: str = "") -> str:
        """The item as one kind of rater reads it; `name` fills {name} in the others wording."""
        if wording == "others":
            if self.others:
                return self.others.replace("{name}", name or "This manager")
            return self.observer
        return str(getattr(self, wording))


@dataclass(frozen=True, slots=True)
class Scale:
    key: str
    title: str
    description: str
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class OpenQuestion:
    key: str
    observer: str
    self: str
    general: str

    def text(self, wording: str, name: str = "") -> str:
        if wording == "others":
            return self.observer.replace("your manager", name or "this manager")
        return str(getattr(self, wording))


@dataclass(frozen=True, slots=True)
class Instrument:
    key: str
    version: int
    title: str
    options: tuple[str, ...]
    not_observed: str
    scales: tuple[Scale, ...]
    """The attribute scales first, then the buy-in block (key "buy_in") when there is one."""
    open_questions: tuple[OpenQuestion, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for scale in self.scales for item in scale.items)

    @property
    def item_keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    def scale(self, key: str) -> Scale:
        for scale in self.scales:
            if scale.key == key:
                return scale
        raise KeyError(key)

    def scale_columns(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        """Each scale's key with the positions of its items in `items`."""
        out = []
        position = 0
        for scale in self.scales:
            out.append((scale.key, tuple(range(position, position + len(scale.items)))))
            position += len(scale.items)
        return tuple(out)


def _text(value: Any, where: str, problems: list[str]) -> str:
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: needs a text")
        return ""
    return value.strip()


def _key(value: Any, where: str, seen: set[str], problems: list[str]) -> str:
    if not isinstance(value, str) or not KEY_PATTERN.match(value):
        problems.append(f"{where}: key {value!r} must be lowercase letters, digits and _")
        return str(value)
    if value in seen:
        problems.append(f"{where}: key {value!r} is used twice")
    seen.add(value)
    return value


def _items(raw: Any, scale: str, where: str, seen: set[str], problems: list[str]) -> list[Item]:
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}: needs a list of items")
        return []
    items = []
    for index, entry in enumerate(raw, start=1):
        spot = f"{where} item {index}"
        if not isinstance(entry, dict):
            problems.append(f"{spot}: must be a mapping with key and wordings")
            continue
        key = _key(entry.get("key"), spot, seen, problems)
        texts = {w: _text(entry.get(w), f"{spot} ({w})", problems) for w in WORDINGS}
        others = entry.get("others")
        if others is not None and (not isinstance(others, str) or "{name}" not in others):
            problems.append(f"{spot} (others): needs a text with {{name}} for the manager rated")
            others = None
        items.append(Item(key=key, scale=scale, others=(others or "").strip(), **texts))
    return items


def instrument_parse(text: str) -> Instrument:
    """An `Instrument` from YAML text, or `InstrumentError` listing what is wrong."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InstrumentError([f"not valid YAML: {error}"]) from None
    if not isinstance(raw, dict):
        raise InstrumentError(["the instrument must be a YAML mapping"])
    problems: list[str] = []
    seen: set[str] = set()
    key = _key(raw.get("key"), "instrument", set(), problems)
    version = raw.get("version")
    if not isinstance(version, int) or version < 1:
        problems.append("instrument: version must be a positive whole number")
        version = 1
    title = _text(raw.get("title"), "instrument title", problems)
    options = raw.get("options")
    if (
        not isinstance(options, list)
        or len(options) != 5
        or not all(isinstance(o, str) and o.strip() for o in options)
    ):
        problems.append("options: must list the five answer labels, from 1 to 5")
        options = ["1", "2", "3", "4", "5"]
    not_observed = _text(raw.get("not_observed"), "not_observed", problems)
    scales: list[Scale] = []
    raw_scales = raw.get("scales")
    if not isinstance(raw_scales, list) or not raw_scales:
        problems.append("scales: needs a list of scales")
        raw_scales = []
    scale_keys: set[str] = set()
    for index, entry in enumerate(raw_scales, start=1):
        where = f"scale {index}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be a mapping")
            continue
        scale_key = _key(entry.get("key"), where, scale_keys, problems)
        if scale_key == BUY_IN:
            problems.append(f"{where}: the buy-in block goes under `buy_in`, not in `scales`")
        items = _items(entry.get("items"), scale_key, f"scale {scale_key}", seen, problems)
        if len(items) == 1:
            problems.append(f"scale {scale_key}: needs at least two items to measure reliability")
        scales.append(
            Scale(
                key=scale_key,
                title=_text(entry.get("title"), f"scale {scale_key} title", problems),
                description=str(entry.get("description") or "").strip(),
                items=tuple(items),
            )
        )
    buy_in = raw.get("buy_in")
    if buy_in is not None:
        if not isinstance(buy_in, dict):
            problems.append("buy_in: must be a mapping like a scale")
        else:
            items = _items(buy_in.get("items"), BUY_IN, "buy_in", seen, problems)
            scales.append(
                Scale(
                    key=BUY_IN,
                    title=str(buy_in.get("title") or "The plan").strip(),
                    description=str(buy_in.get("description") or "").strip(),
                    items=tuple(items),
                )
            )
    questions = []
    raw_questions = raw.get("open_questions") or []
    if not isinstance(raw_questions, list):
        problems.append("open_questions: must be a list")
        raw_questions = []
    for index, entry in enumerate(raw_questions, start=1):
        where = f"open question {index}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be a mapping")
            continue
        question_key = _key(entry.get("key"), where, seen, problems)
        texts = {w: _text(entry.get(w), f"{where} ({w})", problems) for w in WORDINGS}
        questions.append(OpenQuestion(key=question_key, **texts))
    if problems:
        raise InstrumentError(problems)
    return Instrument(
        key=key,
        version=version,
        title=title,
        options=tuple(str(o).strip() for o in options),
        not_observed=not_observed,
        scales=tuple(scales),
        open_questions=tuple(questions),
    )


def built_in_text() -> str:
    return (
        resources.files("execution2.analytics.assessment")
        .joinpath("data", BUILT_IN)
        .read_text(encoding="utf-8")
    )


def built_in_instrument() -> Instrument:
    """The instrument shipped with the product (six attributes, buy-in, two open questions)."""
    return instrument_parse(built_in_text())
