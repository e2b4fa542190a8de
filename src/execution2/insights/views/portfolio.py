"""The consultant view: every organization where the signed-in user is an admin or executive,
side by side, with percentile benchmarks against the whole installation once enough
organizations have an index. Other organizations appear only inside percentiles and quartiles."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from execution2.analytics.index import COMPONENTS, TITLES
from execution2.analytics.index.portfolio import MIN_ORGANIZATIONS
from execution2.insights.benchmarking import (
    SHORT_TITLES,
    field_summary,
    installation_field,
    portfolio_rows,
    portfolio_trend_spec,
)
from execution2.orgs.choices import Role
from execution2.orgs.tenancy import OrgRequest, org_view


@org_view(Role.ADMIN)
def portfolio(request: OrgRequest) -> HttpResponse:
    installation = installation_field()
    rows = portfolio_rows(user=request.user, installation=installation)
    with_index = [row for row in rows if row.index is not None]
    context = {
        "rows": rows,
        "with_index": with_index,
        "columns": [(SHORT_TITLES[key], TITLES[key]) for key in COMPONENTS],
        "installation": installation,
        "minimum": MIN_ORGANIZATIONS,
        "summary": (
            field_summary(installation, own=len(with_index)) if installation.enough else None
        ),
        "trend_chart": portfolio_trend_spec(rows),
    }
    return render(request, "insights/portfolio.html", context)
