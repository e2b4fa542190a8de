"""The plan as a file from the browser (the same services as the CLI), and plan versions."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from execution2.core.jobs import job_submit
from execution2.core.tabular import ImportRefused
from execution2.orgs.choices import Role
from execution2.orgs.tenancy import OrgRequest, org_view
from execution2.plans.forms import PlanImportForm
from execution2.plans.models import PlanVersion
from execution2.plans.plan_file import plan_export, plan_import, plan_version_create
from execution2.plans.plan_file.io import MAX_FILE_BYTES
from execution2.plans.versions import plan_diff
from execution2.plans.views.common import id_param

EXAMPLE = """version: 1
opportunities:
  - key: green
    title: Buyers who pay for sustainability
    segment: Consumers, 25-45
initiatives:
  - key: eco-line
    title: Launch the eco product line
    owner: E000002          # employee id
    units: [Marketing, Engineering]
    start: 2026-01-01
    end: 2026-12-31
    opportunities: [green]
    kpis:
      - {name: Eco share of sales, unit: "%", baseline: 0, target: 10}
    tactics:
      - title: Pilot
        assignments:
          - title: Write the brief
            owner: E000014
            delegator: E000002
            due: 2026-02-01
    resources:
      - {kind: financial, period: 2026-01, planned: 10000, actual: 9000}
      - {kind: human, period: 2026-01, planned: 120, actual: 100, rate: 80}
    returns:
      - {period: 2026-06, amount: 25000, kind: revenue}"""


@org_view(min_role=Role.ADMIN)
def plan_file(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    form = PlanImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "example": EXAMPLE, "max_bytes": MAX_FILE_BYTES}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "plans/plan_file.html", context, status=422)
        upload = form.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            form.add_error("file", "This file is too big for a plan; split it into several.")
            return render(request, "plans/plan_file.html", context, status=422)
        if upload.size > settings.EXECUTION2_IMPORT_INLINE_BYTES:
            job = job_submit(
                organization=organization,
                kind="plans.import",
                label=f"Import the plan from {upload.name}",
                params={"back_url": request.path},
                actor=request.user,
                upload=upload,
            )
            return redirect("orgs:job", org_slug=organization.slug, job_id=job.pk)
        try:
            result = plan_import(
                organization=organization,
                source=upload.read(),
                file_name=upload.name,
                actor=request.user,
            )
        except ImportRefused as refused:
            context["problems"] = [str(p) for p in refused.problems]
            context["refused_file"] = upload.name
            return render(request, "plans/plan_file.html", context, status=422)
        messages.success(request, result.summary())
        return redirect("plans:tree", org_slug=organization.slug)
    return render(request, "plans/plan_file.html", context)


@org_view(min_role=Role.ADMIN)
def plan_download(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    text = plan_export(organization=organization, actor=request.user)
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{organization.slug}-plan.yaml"'
    response["Cache-Control"] = "no-store"
    return response


@org_view(min_role=Role.EXECUTIVE)
def plan_version_save(request: OrgRequest) -> HttpResponse:
    """Save the plan as it is now as a version (a GET shows the versions)."""
    organization = request.organization
    if request.method != "POST":
        return _versions_page(request)
    label = request.POST.get("label", "")[:200]
    version = plan_version_create(organization=organization, actor=request.user, label=label)
    messages.success(request, f"Saved the plan as version {version.number}.")
    return redirect("plans:versions", org_slug=organization.slug)


@org_view(min_role=Role.EXECUTIVE)
def plan_versions(request: OrgRequest) -> HttpResponse:
    return _versions_page(request)


def _versions_page(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    versions = list(
        PlanVersion.objects.filter(organization=organization)
        .select_related("created_by")
        .defer("snapshot")[:100]
    )
    numbers = {v.number for v in versions}
    older = id_param(request.GET.get("from"))
    newer = id_param(request.GET.get("to"))
    if len(versions) >= 2:
        if newer not in numbers:
            newer = versions[0].number
        if older not in numbers or older == newer:
            older = next((v.number for v in versions if v.number < newer), versions[-1].number)  # type: ignore[operator]
    changes = None
    if older and newer and older != newer:
        pair = dict(
            PlanVersion.objects.filter(
                organization=organization, number__in=[older, newer]
            ).values_list("number", "snapshot")
        )
        changes = plan_diff(pair[older], pair[newer])
    return render(
        request,
        "plans/versions.html",
        {
            "versions": versions,
            "older": older,
            "newer": newer,
            "changes": changes,
        },
    )
