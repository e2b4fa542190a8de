"""Number formats of the index pages. Scores show with one decimal everywhere (pages, PDF,
exports round the same stored value), missing values as a dash, never "None"."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()
DASH = "\u2013"
MINUS = "\u2212"


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@register.filter
def score(value: Any) -> str:
    number = _number(value)
    return DASH if number is None else f"{number:.1f}".replace("-", MINUS)


@register.filter
def signed(value: Any) -> str:
    number = _number(value)
    if number is None:
        return DASH
    return f"{number:+.1f}".replace("-", MINUS)


@register.filter
def share(value: Any) -> str:
    number = _number(value)
    return DASH if number is None else f"{number * 100:.0f}%"


@register.filter
def evidence_items(evidence: Any) -> list[tuple[str, str]]:
    """A risk's evidence as (label, value) pairs in words."""
    if not isinstance(evidence, dict):
        return []
    out = []
    for key, value in evidence.items():
        label = str(key).replace("_", " ").capitalize()
        out.append((label, _evidence_value(value)))
    return out


def _evidence_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1 else f"{value:,.1f}"
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return "; ".join(
                ", ".join(f"{k.replace('_', ' ')} {_evidence_value(v)}" for k, v in item.items())
                for item in value
            )
        return ", ".join(_evidence_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {_evidence_value(v)}" for k, v in value.items())
    return str(value)


PART_LABELS = {
    "cross_unit": "Cross-unit ties",
    "isolates": "Not isolated",
    "leadership_reach": "Leadership reach",
    "initiative_breadth": "Initiative breadth",
    "on_time": "On time",
    "progress": "Progress against plan",
}


@register.filter
def part_label(key: str) -> str:
    return PART_LABELS.get(str(key), str(key).replace("_", " ").capitalize())
