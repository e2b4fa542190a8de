"""`{% load listening_evidence %}{% listening_evidence opportunity %}`: on a page of the plan,
the listening themes linked to that opportunity, as its evidence from the market."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("listening/_opportunity_evidence.html", takes_context=True)
def listening_evidence(context: Any, opportunity: Any, compact: bool = False) -> dict[str, Any]:
    """`opportunity` is the model or any object with its `id` (the plan tree's status rows);
    `compact` folds the evidence into a line that opens, for use inside another card."""
    from execution2.listening.selectors import evidence_for_opportunity

    organization = getattr(opportunity, "organization", None) or context.get("current_organization")
    opportunity_id = getattr(opportunity, "pk", None) or getattr(opportunity, "id", None)
    views = (
        evidence_for_opportunity(organization, opportunity_id)
        if organization is not None and opportunity_id is not None
        else []
    )
    return {
        "views": views,
        "opportunity_id": opportunity_id,
        "compact": compact,
        "opportunity": opportunity,
        "current_organization": organization,
        "is_admin": context.get("is_org_admin", False),
    }
