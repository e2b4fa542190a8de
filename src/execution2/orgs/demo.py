"""The demo organization: generated from a seed, loaded through the same import as real data.

Each later capability adds its own data in a module `execution2.<app>.demo` with a function
`demo_extend(*, organization, company, seed, progress) -> str` (a one-line summary), drawing
on its own random stream of the same seed (`analytics.synth.stream(seed, "<app>")`). They run
in the order of DEMO_STEPS, after the people are in.
"""

from __future__ import annotations

import csv
import importlib
import io
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from execution2.analytics.synth import SyntheticOrganization, generate_organization
from execution2.orgs.choices import Role
from execution2.orgs.models import Membership, Organization
from execution2.orgs.people_import import (
    PEOPLE_COLUMNS,
    PeopleImportResult,
    Progress,
    people_import,
)
from execution2.orgs.services import membership_set, organization_create, user_get_or_create

DEMO_SLUG = "demo"
# The plan comes first: surveys, collaboration and conversations refer to its initiatives.
DEMO_STEPS = ("plans", "assessments", "network", "listening", "insights")
DEMO_ADMIN_EMAIL = "admin@execution2.example"


@dataclass(frozen=True, slots=True)
class DemoResult:
    organization: Organization
    people: PeopleImportResult
    admin_email: str
    admin_password: str | None  # None when the admin login existed already
    extended: tuple[str, ...] = ()  # each later capability's one-line summary


def synthetic_people_csv(company: SyntheticOrganization) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(PEOPLE_COLUMNS)
    for person in company.people:
        writer.writerow(
            [
                person.external_id,
                person.name,
                person.unit_path,
                person.manager_id or "",
                person.email,
                person.title,
                person.location,
                person.start_date.isoformat(),
                "",
            ]
        )
    return buffer.getvalue().encode("utf-8")


def demo_admin_password_file() -> Path:
    return Path(settings.DATA_DIR) / "demo_admin_password"


def demo_build(
    *,
    slug: str = DEMO_SLUG,
    people: int = 600,
    seed: int = 7,
    progress: Progress | None = None,
    step_options: dict[str, dict[str, Any]] | None = None,
) -> DemoResult:
    """Create or refresh the demo organization and its admin login; safe to run again."""
    company = generate_organization(people=people, seed=seed)
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        organization = organization_create(slug=slug, name=company.name)
    result = people_import(
        organization=organization,
        source=io.BytesIO(synthetic_people_csv(company)),
        file_name=f"{slug}-people.csv",
        progress=progress,
    )
    password: str | None = None
    admin, created = user_get_or_create(email=DEMO_ADMIN_EMAIL)
    if created or not admin.has_usable_password():
        password = secrets.token_urlsafe(12)
        admin.set_password(password)
        # Staff: the demo admin plays the consultant, who may set up more organizations.
        admin.is_staff = True
        admin.save(update_fields=["password", "is_staff"])
        password_file = demo_admin_password_file()
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password)
        password_file.chmod(0o600)
    if not Membership.objects.filter(organization=organization, user=admin).exists():
        membership_set(organization=organization, user=admin, role=Role.ADMIN, actor=None)
    options = step_options or {}
    extended = tuple(
        step(
            organization=organization,
            company=company,
            seed=seed,
            progress=progress,
            **options.get(app, {}),
        )
        for app, step in _demo_steps()
    )
    return DemoResult(organization, result, DEMO_ADMIN_EMAIL, password, extended)


def _demo_steps() -> list[tuple[str, Callable[..., str]]]:
    steps = []
    for app in DEMO_STEPS:
        module_name = f"execution2.{app}.demo"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as missing:
            if not module_name.startswith(missing.name or "-"):
                raise
            continue
        steps.append((app, module.demo_extend))
    return steps
