"""Formatting of scores on the assessment pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def heat(score: Any) -> str:
    """A CSS class for a 0-100 score: heat-1 (low) to heat-5 (high)."""
    if score is None:
        return "heat-none"
    value = float(score)
    for bound, name in ((45, "heat-1"), (55, "heat-2"), (65, "heat-3"), (75, "heat-4")):
        if value < bound:
            return name
    return "heat-5"


@register.filter
def signed(value: Any, digits: int = 1) -> str:
    if value is None:
        return ""
    number = float(value)
    text = f"{number:+.{int(digits)}f}"
    return text.replace("-", "\u2212")  # a true minus sign


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None
