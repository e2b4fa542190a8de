"""Organizations, units and people."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from execution2.api.auth import org_context
from execution2.api.endpoints.common import JobOut, job_out, one
from execution2.api.endpoints.pagination import MAX_LIMIT, page_schema, paginate
from execution2.core.jobs import job_submit
from execution2.orgs.choices import Role
from execution2.orgs.models import Membership, Person, Unit
from execution2.orgs.people_import import PersonRow, person_upsert, unit_path_normalize
from execution2.orgs.selectors import unit_subtree_filter

router = Router(tags=["organizations"])


class OrganizationOut(Schema):
    slug: str
    name: str
    role: str


class UnitOut(Schema):
    id: int
    name: str
    path: str
    parent_id: int | None
    depth: int


class PersonOut(Schema):
    id: int
    external_id: str
    name: str
    email: str
    title: str
    unit_id: int
    unit_path: str
    manager_id: int | None
    location: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    active: bool
    updated_at: datetime.datetime

    @staticmethod
    def resolve_unit_path(obj: Person) -> str:
        return obj.unit.path


class PersonIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    unit: str = Field(min_length=1, max_length=1000, description="A path: `Marketing / Brand`.")
    manager_id: str | None = Field(
        None, max_length=100, description="The manager's external id; null at the top."
    )
    email: str = Field("", max_length=254)
    title: str = Field("", max_length=200)
    location: str = Field("", max_length=200)
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None


class PeopleFilter(Schema):
    unit_id: int | None = Field(
        None, ge=1, lt=2**63, description="This unit and the units below it."
    )
    active: bool | None = Field(True, description="Only active people (default), or leavers.")
    external_id: str | None = None


PersonPage = page_schema(PersonOut, "PersonPage")
UnitPage = page_schema(UnitOut, "UnitPage")


@router.get("/orgs", response=list[OrganizationOut], summary="Your organizations")
def organizations(request: HttpRequest) -> list[dict[str, Any]]:
    memberships = Membership.objects.filter(user=request.auth.user).select_related(  # type: ignore[attr-defined]
        "organization"
    )
    return [
        {"slug": m.organization.slug, "name": m.organization.name, "role": m.role}
        for m in memberships
    ]


@router.get("/orgs/{org_slug}", response=OrganizationOut, summary="One organization")
def organization(request: HttpRequest, org_slug: str) -> dict[str, Any]:
    ctx = org_context(request, org_slug)
    return {
        "slug": ctx.organization.slug,
        "name": ctx.organization.name,
        "role": ctx.membership.role,
    }


@router.get("/orgs/{org_slug}/units", response=UnitPage, summary="Units")
def units(
    request: HttpRequest,
    org_slug: str,
    cursor: str | None = None,
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    ctx = org_context(request, org_slug)
    return paginate(Unit.objects.filter(organization=ctx.organization), cursor=cursor, limit=limit)


@router.get("/orgs/{org_slug}/units/{unit_id}", response=UnitOut, summary="One unit")
def unit(request: HttpRequest, org_slug: str, unit_id: int) -> Unit:
    ctx = org_context(request, org_slug)
    return one(Unit.objects.filter(organization=ctx.organization), pk=unit_id)  # type: ignore[no-any-return]


@router.get("/orgs/{org_slug}/people", response=PersonPage, summary="People")
def people(
    request: HttpRequest,
    org_slug: str,
    filters: Query[PeopleFilter],
    cursor: str | None = None,
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    ctx = org_context(request, org_slug, export=cursor is None)
    rows = Person.objects.filter(organization=ctx.organization).select_related("unit")
    if filters.active is not None:
        rows = rows.filter(active=filters.active)
    if filters.external_id is not None:
        rows = rows.filter(external_id=filters.external_id)
    if filters.unit_id is not None:
        chosen = one(Unit.objects.filter(organization=ctx.organization), pk=filters.unit_id)
        rows = rows.filter(unit_subtree_filter(chosen))
    return paginate(rows, cursor=cursor, limit=limit)


# Before `person`: its {person_id} would otherwise also match "import".
@router.post(
    "/orgs/{org_slug}/people/import",
    response={202: JobOut},
    summary="Import people from an HRIS file, as a job",
    description=(
        "The same file as `execution2 import people` (CSV or XLSX). The job checks the whole "
        "file first; people missing from it are deactivated. Follow the job for the outcome."
    ),
)
def people_import(
    request: HttpRequest, org_slug: str, file: File[UploadedFile]
) -> tuple[int, dict[str, Any]]:
    ctx = org_context(request, org_slug, Role.ADMIN)
    job = job_submit(
        organization=ctx.organization,
        kind="people.import",
        label=f"Import people from {file.name}",
        params={"column_map": {}, "encoding": "utf-8-sig"},
        actor=ctx.user,
        upload=file,
    )
    job.refresh_from_db()
    return 202, job_out(job)


@router.get("/orgs/{org_slug}/people/{person_id}", response=PersonOut, summary="One person")
def person(request: HttpRequest, org_slug: str, person_id: int) -> Person:
    ctx = org_context(request, org_slug)
    people = Person.objects.filter(organization=ctx.organization).select_related("unit")
    return one(people, pk=person_id)  # type: ignore[no-any-return]


@router.put(
    "/orgs/{org_slug}/people/by-external-id/{external_id}",
    response={200: PersonOut, 201: PersonOut},
    summary="Create or update a person by external id",
)
def person_put(
    request: HttpRequest, org_slug: str, external_id: str, payload: PersonIn
) -> tuple[int, Person]:
    ctx = org_context(request, org_slug, Role.ADMIN)
    external_id = external_id.strip()
    path = unit_path_normalize(payload.unit)
    if not external_id or len(external_id) > 100:
        raise ValidationError({"external_id": "An external id is 1 to 100 characters."})
    if path is None:
        raise ValidationError({"unit": "A unit path has no empty parts: `Marketing / Brand`."})
    if payload.email:
        try:
            validate_email(payload.email)
        except ValidationError:
            raise ValidationError({"email": "That is not an e-mail address."}) from None
    if payload.start_date and payload.end_date and payload.end_date < payload.start_date:
        raise ValidationError({"end_date": "A person can't leave before they start."})
    row = PersonRow(
        row=1,
        external_id=external_id,
        name=payload.name.strip(),
        unit_path=path,
        manager_id=(payload.manager_id or "").strip() or None,
        email=payload.email.strip(),
        title=payload.title.strip(),
        location=payload.location.strip(),
        start_date=payload.start_date,
        end_date=payload.end_date,
    )
    if not row.name:
        raise ValidationError({"name": "A person needs a name."})
    found, created = person_upsert(organization=ctx.organization, row=row, actor=ctx.user)
    found = Person.objects.select_related("unit").get(pk=found.pk)
    return (201 if created else 200), found
