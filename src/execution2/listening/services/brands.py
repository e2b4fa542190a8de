"""The brands and competitors an organization tracks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from execution2.analytics.listening.brands import BrandSpec
from execution2.listening.models import (
    Brand,
)
from execution2.orgs.models import Organization

Progress = Callable[[str, int, int], None]


def parse_aliases(text: str) -> list[str]:
    """Aliases typed one per line or separated by commas."""
    parts = [p.strip() for line in text.splitlines() for p in line.split(",")]
    seen: dict[str, None] = {}
    for part in parts:
        if part:
            seen.setdefault(part, None)
    return list(seen)


@transaction.atomic
def brand_save(
    *,
    organization: Organization,
    name: str,
    aliases: Sequence[str] = (),
    own: bool = False,
    match_case: bool = False,
    brand: Brand | None = None,
    actor: Any = None,
) -> Brand:
    """Create a brand, or change `brand`; names are unique whatever their case."""
    name = " ".join(name.split())
    clash = Brand.objects.filter(organization=organization, name__iexact=name)
    if brand is not None:
        clash = clash.exclude(pk=brand.pk)
    if clash.exists():
        raise ValidationError({"name": f"A brand named {name!r} exists already."})
    if brand is None:
        brand = Brand(organization=organization)
    elif brand.organization_id != organization.pk:
        raise ValidationError("That brand belongs to another organization.")
    brand.name = name
    brand.aliases = [a for a in (" ".join(x.split()) for x in aliases) if a and a != name]
    brand.own = own
    brand.match_case = match_case
    brand.full_clean()
    brand.save()
    return brand


@transaction.atomic
def brand_delete(*, brand: Brand, actor: Any = None) -> None:
    brand.delete()


def brand_specs(organization: Organization) -> list[BrandSpec]:
    return [
        BrandSpec(b.name, tuple(b.aliases), b.own, b.match_case)
        for b in Brand.objects.filter(organization=organization).order_by("-own", "name", "pk")
    ]
