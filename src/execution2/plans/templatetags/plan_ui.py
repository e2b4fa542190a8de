"""Numbers of the plan pages: shares as percentages, money, ratios, with a dash for none."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()
DASH = "—"


@register.filter
def pct(value: Any, digits: int = 0) -> str:
    """0.456 -> "46%"; None -> "—"."""
    if value is None or value == "":
        return DASH
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def pct100(value: Any) -> str:
    """A value already in percent: 45.0 -> "45%"."""
    if value is None or value == "":
        return DASH
    return f"{float(value):.0f}%"


@register.filter
def signed_pct(value: Any) -> str:
    if value is None or value == "":
        return DASH
    return f"{float(value) * 100:+.0f}%"


@register.filter
def money(value: Any) -> str:
    if value is None or value == "":
        return DASH
    return f"{float(value):,.0f}"


@register.filter
def ratio(value: Any) -> str:
    if value is None or value == "":
        return DASH
    return f"{float(value):.2f}"


@register.filter
def days(value: Any) -> str:
    if value is None or value == "":
        return DASH
    number = float(value)
    if number < 1:
        return f"{number * 24:.0f} h"
    return f"{number:.1f} d"


@register.filter
def months(value: Any) -> str:
    if value is None or value == "":
        return DASH
    return f"{float(value):.1f} months"


@register.filter
def meter_value(value: Any) -> str:
    """A 0..1 share for <meter value>, 0 for none."""
    if value is None or value == "":
        return "0"
    return f"{min(max(float(value), 0.0), 1.0):.3f}"


@register.filter
def status_badge(status: str) -> str:
    """The badge class for a status."""
    return {
        "done": "badge",
        "dropped": "badge badge-muted",
        "cancelled": "badge badge-muted",
        "on_hold": "badge badge-warning",
        "proposed": "badge badge-warning",
    }.get(status, "badge")


@register.filter
def share100(value: Any) -> float | None:
    """A percentage as a 0..1 share: 45 -> 0.45."""
    if value is None or value == "":
        return None
    return float(value) / 100.0


@register.filter
def money_short(value: Any) -> str:
    """Money in a stat card: 6,569,967 -> "6.57 M", 48,200 -> "48.2 k"."""
    if value is None or value == "":
        return DASH
    number = float(value)
    size = abs(number)
    if size >= 1e9:
        return f"{number / 1e9:.2f} bn"
    if size >= 1e6:
        return f"{number / 1e6:.2f} M"
    if size >= 1e4:
        return f"{number / 1e3:.1f} k"
    return f"{number:,.0f}"
