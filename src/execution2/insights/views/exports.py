"""CSV and XLSX downloads of every table on the index pages (see `insights.exports`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.text import slugify

from execution2.core.exports import FORMATS, table_bytes
from execution2.insights.exports import TABLES, outcomes_table, portfolio_table
from execution2.insights.selectors import latest_run, scope_index, unit_by_id
from execution2.orgs.choices import AuditAction, Role
from execution2.orgs.models import Organization
from execution2.orgs.services import audit_record
from execution2.orgs.tenancy import OrgRequest, org_view

ADMIN_TABLES = ("outcomes", "portfolio")


@org_view(Role.EXECUTIVE)
def export_table(request: OrgRequest, table: str, fmt: str) -> HttpResponse:
    organization: Organization = request.organization
    if fmt not in FORMATS or (table not in TABLES and table not in ADMIN_TABLES):
        raise Http404("No such table")
    if table in ADMIN_TABLES:
        # The outcomes and the consultant view are admins' pages: so are their downloads.
        if not request.is_admin:
            raise PermissionDenied
        columns, rows = (
            outcomes_table(organization) if table == "outcomes" else portfolio_table(request.user)
        )
        return _download(request, organization, table, fmt, columns, rows, organization.slug)
    unit = None
    unit_id = request.GET.get("unit", "")
    if unit_id:
        if not unit_id.isdigit():
            raise Http404("No such unit")
        unit = unit_by_id(organization=organization, unit_id=int(unit_id))
        if unit is None:
            raise Http404("No such unit")
    run = latest_run(organization=organization)
    row = scope_index(run=run, unit=unit) if run is not None else None
    if run is None or row is None:
        messages.info(request, "There is nothing to download yet: the index must be computed.")
        return redirect("insights:dashboard", org_slug=organization.slug)
    columns, rows = TABLES[table](run, row)
    scope = slugify(unit.path) if unit is not None else organization.slug
    return _download(
        request, organization, table, fmt, columns, rows, f"{scope}", run.as_of.isoformat()
    )


def _download(
    request: OrgRequest,
    organization: Organization,
    table: str,
    fmt: str,
    columns: list[str],
    rows: list[list[Any]],
    scope: str,
    as_of: str = "",
) -> HttpResponse:
    data = table_bytes(columns, rows, fmt, sheet=table)
    audit_record(
        organization=organization,
        actor=request.user,
        action=AuditAction.REPORT_EXPORT,
        detail={"table": f"index {table}", "format": fmt, "scope": scope, "rows": len(rows)},
    )
    response = HttpResponse(data, content_type=FORMATS[fmt])
    name = "-".join(part for part in (scope, "index", table, as_of) if part)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
