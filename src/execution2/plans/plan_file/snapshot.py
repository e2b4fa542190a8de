"""Plan versions are snapshots of the plan file's data, so a version reads like an export."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Max

from execution2.orgs.models import Organization
from execution2.plans.models import PlanVersion
from execution2.plans.plan_file.export import plan_document
from execution2.plans.versions import jsonable

Actor = AbstractBaseUser | AnonymousUser | None


@transaction.atomic
def plan_version_create(
    *, organization: Organization, actor: Actor, label: str = ""
) -> PlanVersion:
    """Snapshot the whole plan (as the plan file's data) under the next version number."""
    snapshot = jsonable(plan_document(organization=organization))
    last = PlanVersion.objects.filter(organization=organization).aggregate(n=Max("number"))["n"]
    real_actor = actor if actor is not None and actor.is_authenticated else None
    return PlanVersion.objects.create(
        organization=organization,
        number=(last or 0) + 1,
        label=label.strip()[:200],
        snapshot=snapshot,
        created_by=real_actor,
    )
