"""Small template helpers for the design system: accessible form fields and numbers."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField

register = template.Library()


@register.inclusion_tag("core/_field.html")
def form_field(field: BoundField, label: str = "", **attrs: Any) -> dict[str, Any]:
    """A label tied to its input, the help text and the errors, both named by aria-describedby.

    Extra keyword arguments become attributes of the input (`hx_get` is written `hx-get`).
    """
    help_id = f"{field.auto_id}_help"
    error_id = f"{field.auto_id}_error"
    described = []
    if field.errors:
        described.append(error_id)
    if field.help_text:
        described.append(help_id)
    widget_attrs = {name.replace("_", "-"): value for name, value in attrs.items()}
    if described:
        widget_attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        widget_attrs["aria-invalid"] = "true"
    return {
        "field": field,
        "label": label or field.label,
        "widget": field.as_widget(attrs=widget_attrs),
        "help_id": help_id,
        "error_id": error_id,
    }


def _number(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


@register.filter
def audit_summary(event: Any) -> str:
    """One plain sentence for an audit event's details."""
    detail = event.detail if isinstance(event.detail, dict) else {}
    action = event.action
    if action == "people.import":
        parts = [
            f"{_number(detail.get(key, 0))} {label}"
            for key, label in (
                ("created", "created"),
                ("updated", "updated"),
                ("deactivated", "deactivated"),
                ("reactivated", "reactivated"),
            )
            if detail.get(key) or key in {"created", "updated"}
        ]
        total = _number(detail.get("total", 0))
        where = f"{detail['file']}: " if detail.get("file") else ""
        return f"{where}{total} people, " + ", ".join(parts) + "."
    if action == "people.export":
        return (
            f"{_number(detail.get('people', 0))} people as {str(detail.get('format', '')).upper()}."
        )
    if action == "membership.add":
        return f"{detail.get('user', '')} as {str(detail.get('role', '')).title()}."
    if action == "membership.role":
        return (
            f"{detail.get('user', '')}: {str(detail.get('from', '')).title()} → "
            f"{str(detail.get('to', '')).title()}."
        )
    if action == "membership.remove":
        return f"{detail.get('user', '')} (was {str(detail.get('role', '')).title()})."
    if action == "organization.create":
        return f"{detail.get('name', '')} ({detail.get('slug', '')})."
    return "; ".join(f"{key.replace('_', ' ')}: {_number(value)}" for key, value in detail.items())
