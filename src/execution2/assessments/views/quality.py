"""Instrument quality of a cycle: does it measure six attributes, and which drive execution."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from execution2.analytics.assessment import validity as val
from execution2.analytics.assessment.instrument import ATTRIBUTES
from execution2.assessments import charts
from execution2.assessments.selectors import cycle_get
from execution2.assessments.validity import validity_get
from execution2.core.jobs import job_submit
from execution2.orgs.choices import Role
from execution2.orgs.tenancy import OrgRequest, org_view


def _driver_rows(entry: dict[str, Any] | None, titles: dict[str, str]) -> list[dict[str, Any]]:
    if not entry:
        return []
    r2 = entry["r2"] or 0
    rows = []
    for key, weight in entry["weights"].items():
        low, high = weight["ci90"]
        rows.append(
            {
                "attribute": titles.get(key, key),
                "share": weight["share"],
                "share_low": round(low / r2 * 100, 1) if r2 else None,
                "share_high": round(high / r2 * 100, 1) if r2 else None,
                "raw": weight["raw"],
            }
        )
    return rows


def quality_context(data: dict[str, Any], titles: dict[str, str]) -> dict[str, Any]:
    """What the page (and the PDF's method appendix) shows of a kept analysis."""
    structure = data.get("structure", {})
    factor_of = {}
    loadings = structure.get("loadings", {})
    for key in ATTRIBUTES:
        for item in loadings:
            if item.startswith(key + "_"):
                factor_of[item] = titles.get(key, key)
    loading_rows = [
        {"item": item, "attribute": factor_of.get(item, ""), "loading": value}
        for item, value in loadings.items()
    ]
    htmt_rows = []
    for pair, value in structure.get("htmt", {}).items():
        first, second = pair.split("~")
        htmt_rows.append(
            {"first": titles.get(first, first), "second": titles.get(second, second), "htmt": value}
        )
    drivers = data.get("drivers", {})
    outcomes = []
    for key, label in (("buy_in", "Plan buy-in"), ("delivery", "Delivery (on-time completion)")):
        found = drivers.get(key, {})
        org = found.get("organization")
        rows = _driver_rows(org, titles)
        outcomes.append(
            {
                "key": key,
                "label": label,
                "found": found,
                "organization": org,
                "rows": rows,
                "chart": charts.driver_weights(rows) if rows else None,
                "units": [
                    {"unit": u["unit"], "n": u["n"], "r2": u["r2"], "rows": _driver_rows(u, titles)}
                    for u in found.get("units", [])
                ],
            }
        )
    return {
        "structure": structure,
        "has_fit": "cfi" in structure,
        "loading_chart": charts.loadings(loading_rows, val.LOADING_MIN) if loading_rows else None,
        "htmt_chart": charts.htmt_matrix(htmt_rows) if htmt_rows else None,
        "invariance": structure.get("invariance", {}),
        "outcomes": outcomes,
        "cut": data.get("cut_points", {}),
        "estimator": val.ESTIMATOR,
    }


@org_view(min_role=Role.EXECUTIVE)
def quality(request: OrgRequest, cycle_id: int) -> HttpResponse:
    organization = request.organization
    found = cycle_get(organization=organization, cycle_id=cycle_id)
    is_admin = request.is_admin
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        job = job_submit(
            organization=organization,
            kind="assessments.validity",
            label=f"Instrument quality of {found.name}",
            params={
                "cycle": found.pk,
                "back_url": reverse(
                    "assessments:quality",
                    kwargs={"org_slug": organization.slug, "cycle_id": found.pk},
                ),
            },
            actor=request.user,
        )
        messages.success(request, "Computing the instrument quality; this page updates when done.")
        return redirect("orgs:job", org_slug=organization.slug, job_id=job.pk)
    kept = validity_get(cycle=found)
    titles = {scale.key: scale.title for scale in found.instrument.parsed().scales}
    context: dict[str, Any] = {"cycle": found, "kept": kept, "is_admin": is_admin}
    if kept is not None:
        context.update(quality_context(kept.data, titles))
    return render(request, "assessments/quality.html", context)
