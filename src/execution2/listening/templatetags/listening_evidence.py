"""`{% load listening_evidence %}{% listening_evidence opportunity %}`: on a page of the plan,
the listening themes linked to that opportunity, as its evidence from the market."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("listening/_opportunity_evidence.html", takes_context=True)
def listening_evidence(context: Any, opportunity: Any) -> dict[str, Any]:
    from execution2.listening.selectors import evidence_for_opportunity

    organization = getattr(opportunity, "organization", None)
    views = (
        evidence_for_opportunity(organization, opportunity.pk) if organization is not None else []
    )
    return {
        "views": views,
        "opportunity": opportunity,
        "current_organization": organization,
        "is_admin": context.get("is_org_admin", False),
    }
