"""PDF downloads: the Execution Index report of the organization or a unit, and a manager's own
feedback report. Both are built by `execution2.insights.pdf` from data that went through the
anonymity gate; these views decide who may have which."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from execution2.assessments.models import Subject
from execution2.assessments.selectors import subject_get
from execution2.insights.pdf import ScopeNotInRun, feedback_report_pdf, index_report_pdf
from execution2.insights.selectors import latest_run, unit_by_id
from execution2.orgs.choices import AuditAction, Role, role_at_least
from execution2.orgs.models import Organization, Unit
from execution2.orgs.services import audit_record
from execution2.orgs.tenancy import OrgRequest, org_view

# Longer than any database id: refused before it reaches a query.
MAX_ID_DIGITS = 18


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A report holds people's data: no shared or browser cache keeps a copy.
    response["Cache-Control"] = "private, no-store"
    return response


def _unit_or_404(organization: Organization, raw: str | None) -> Unit | None:
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > MAX_ID_DIGITS:
        raise Http404("No such unit")
    unit = unit_by_id(organization=organization, unit_id=int(raw))
    if unit is None:
        raise Http404("No such unit")
    return unit


@org_view(Role.EXECUTIVE)
def report_pdf(request: OrgRequest) -> HttpResponse:
    """The report of the organization, or with `?unit=<id>` of one unit, from the latest run."""
    organization: Organization = request.organization
    membership = request.membership
    unit = _unit_or_404(organization, request.GET.get("unit"))
    run = latest_run(organization=organization)
    context = {
        "unit": unit,
        "run": run,
        "is_admin": role_at_least(membership.role, Role.ADMIN),
    }
    if run is None:
        return render(request, "insights/report/no_run.html", context)
    try:
        data = index_report_pdf(run=run, unit=unit)
    except ScopeNotInRun:
        return render(request, "insights/report/no_run.html", {**context, "unit_missing": True})
    audit_record(
        organization=organization,
        actor=request.user,
        action=AuditAction.REPORT_EXPORT,
        detail={
            "report": "index pdf",
            "scope": unit.path if unit is not None else "all",
            "as_of": run.as_of.isoformat(),
        },
    )
    scope = slugify(unit.path) if unit is not None else organization.slug
    return _pdf(data, f"{scope}-execution-index-{run.as_of}.pdf")


@org_view(Role.MANAGER)
def feedback_pdf(request: OrgRequest, subject_id: int) -> HttpResponse:
    """A manager's own feedback report (executives and admins may read every manager's)."""
    organization: Organization = request.organization
    found = (
        Subject.objects.filter(cycle__organization=organization, pk=subject_id)
        .select_related("cycle", "cycle__instrument", "cycle__organization")
        .first()
    )
    if found is None:
        raise Http404("No such report")
    # The same rule as the report page: one may read it, or it doesn't exist (404).
    subject = subject_get(
        membership=request.membership,
        cycle=found.cycle,
        subject_id=subject_id,
    )
    data = feedback_report_pdf(subject=subject)
    audit_record(
        organization=organization,
        actor=request.user,
        action=AuditAction.REPORT_EXPORT,
        detail={"report": "feedback pdf", "cycle": found.cycle.name, "subject": subject.pk},
    )
    name = slugify(subject.person.name) or "manager"
    return _pdf(data, f"feedback-{name}-{slugify(found.cycle.name)}.pdf")
