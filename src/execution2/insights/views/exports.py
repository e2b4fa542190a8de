"""CSV and XLSX downloads of every table on the index pages (see `insights.exports`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.text import slugify

from execution2.core.exports import FORMATS, table_bytes
from execution2.insights.exports import TABLES
from execution2.insights.selectors import latest_run, scope_index, unit_by_id
from execution2.orgs.choices import AuditAction, Role
from execution2.orgs.models import Organization
from execution2.orgs.services import audit_record
from execution2.orgs.tenancy import org_view


@org_view(Role.EXECUTIVE)
def export_table(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    organization: Organization = request.organization  # type: ignore[attr-defined]
    if table not in TABLES or fmt not in FORMATS:
        raise Http404("No such table")
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
    data = table_bytes(columns, rows, fmt, sheet=table)
    audit_record(
        organization=organization,
        actor=request.user,
        action=AuditAction.REPORT_EXPORT,
        detail={"table": f"index {table}", "format": fmt, "scope": unit.path if unit else "all"},
    )
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{scope}-index-{table}-{run.as_of}.{fmt}"'
    )
    return response
