"""Number formats of the network pages: missing values show as a dash, never as "None"."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()
DASH = "\u2013"  # en dash


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@register.filter
def percent(value: Any, digits: int = 0) -> str:
    number = _number(value)
    if number is None:
        return DASH
    return f"{number * 100:.{int(digits)}f}%"


@register.filter
def decimal(value: Any, digits: int = 2) -> str:
    number = _number(value)
    if number is None:
        return DASH
    return f"{number:,.{int(digits)}f}".replace("-", "\u2212")  # a real minus sign


@register.filter
def list_of(first: Any, second: Any) -> list[Any]:
    return [first, second]


@register.filter
def last_segment(path: str) -> str:
    return str(path).split(" / ")[-1]
