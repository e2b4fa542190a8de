"""Renaming, pinning, merging and linking themes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from execution2.listening.links import opportunity_get
from execution2.listening.models import (
    Theme,
)
from execution2.orgs.models import Organization

Progress = Callable[[str, int, int], None]


def _same_org(theme: Theme, organization: Organization) -> None:
    if theme.organization_id != organization.pk:
        raise ValidationError("That theme belongs to another organization.")


@transaction.atomic
def theme_rename(
    *, organization: Organization, theme: Theme, name: str, actor: Any = None
) -> Theme:
    _same_org(theme, organization)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "A theme needs a name."})
    theme.name = name[:120]
    theme.renamed = True
    theme.full_clean()
    theme.save(update_fields=["name", "renamed"])
    return theme


@transaction.atomic
def theme_pin(
    *, organization: Organization, theme: Theme, pinned: bool, actor: Any = None
) -> Theme:
    _same_org(theme, organization)
    theme.pinned = pinned
    theme.save(update_fields=["pinned"])
    return theme


@transaction.atomic
def theme_merge(
    *, organization: Organization, theme: Theme, into: Theme | None, actor: Any = None
) -> Theme:
    """Count `theme`'s posts as `into`'s (None: split it out again)."""
    _same_org(theme, organization)
    if into is not None:
        _same_org(into, organization)
        while into.merged_into_id is not None and into.merged_into is not None:
            into = into.merged_into
        if into.pk == theme.pk:
            raise ValidationError({"into": "A theme can't be merged into itself."})
        # Themes merged into this one follow it, so merges never form chains.
        Theme.objects.filter(organization=organization, merged_into=theme).update(merged_into=into)
    theme.merged_into = into
    theme.save(update_fields=["merged_into"])
    return theme


@transaction.atomic
def theme_link(
    *, organization: Organization, theme: Theme, opportunity_id: int | None, actor: Any = None
) -> Theme:
    """Make the theme evidence for one of the plan's opportunities (None: unlink)."""
    _same_org(theme, organization)
    if opportunity_id is not None and opportunity_get(organization, opportunity_id) is None:
        raise ValidationError({"opportunity": "There is no such opportunity in the plan."})
    theme.opportunity_id = opportunity_id
    theme.save(update_fields=["opportunity_id"])
    return theme
