"""The demo organization: generated from a seed, loaded through the same import as real data.

Later capabilities (plan, surveys, collaboration, conversations) add their own steps to
`demo_build`, each drawing on its own random stream of the same seed.
"""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass
from pathlib import Path

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
DEMO_ADMIN_EMAIL = "admin@execution2.example"


@dataclass(frozen=True, slots=True)
class DemoResult:
    organization: Organization
    people: PeopleImportResult
    admin_email: str
    admin_password: str | None  # None when the admin login existed already


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
        admin.save(update_fields=["password"])
        password_file = demo_admin_password_file()
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password)
        password_file.chmod(0o600)
    if not Membership.objects.filter(organization=organization, user=admin).exists():
        membership_set(organization=organization, user=admin, role=Role.ADMIN, actor=None)
    return DemoResult(organization, result, DEMO_ADMIN_EMAIL, password)
