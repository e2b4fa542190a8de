"""The listening pages every member reads: overview, themes, a theme, spikes."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from execution2.listening import charts, selectors, services
from execution2.listening.forms import (
    ThemeLinkForm,
    ThemeMergeForm,
    ThemeRenameForm,
)
from execution2.listening.links import opportunities_for, opportunity_get, opportunity_url
from execution2.listening.models import Brand, Theme
from execution2.listening.views.common import (
    run_context,
)
from execution2.orgs.choices import Role
from execution2.orgs.tenancy import OrgRequest, org_view


@org_view(min_role=Role.MEMBER)
def overview(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    context = run_context(request)
    run = context["run"]
    if run is not None:
        summary = run.summary
        by_day = summary.get("by_day", [])
        totals = {k: sum(d[k] for d in by_day) for k in ("positive", "neutral", "negative")}
        found_themes = [v for v in selectors.theme_views(organization, run) if v.found]
        from execution2.analytics.listening.sentiment import net_sentiment

        context.update(
            summary=summary,
            totals=totals,
            net=net_sentiment(totals["positive"], totals["negative"]),
            volume_chart=charts.volume_spec(by_day),
            share_chart=charts.share_of_voice_spec(summary.get("brand_by_week", [])),
            weighted_share_chart=charts.share_of_voice_spec(
                summary.get("brand_by_week", []), weighted=True
            ),
            net_chart=charts.net_sentiment_spec(summary.get("brand_by_week", [])),
            mentions_chart=charts.brand_mentions_spec(summary.get("brand_by_day", [])),
            spikes=selectors.spikes(organization, run)[:3],
            themes=found_themes[:6],
            theme_count=len(found_themes),
            spike_count=len(selectors.spikes(organization, run)),
            channels=summary.get("share_by_channel", []),
        )
    context["brands"] = list(Brand.objects.filter(organization=organization))
    return render(request, "listening/overview.html", context)


@org_view(min_role=Role.MEMBER)
def themes(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    context = run_context(request)
    views = selectors.theme_views(organization)
    found = [v for v in views if v.found]
    rows = [
        {"theme": v.theme.name, "sentiment": name, "posts": getattr(v, name)}
        for v in found[:25]
        for name in ("negative", "neutral", "positive")
    ]
    context.update(
        views=found,
        missing=[v for v in views if not v.found],
        sizes_chart=charts.theme_sizes_spec(rows) if rows else None,
        plan_available=bool(opportunities_for(organization)),
    )
    return render(request, "listening/themes.html", context)


def _theme_or_404(organization: Any, theme_id: int) -> Theme:
    theme = Theme.objects.filter(organization=organization, pk=theme_id).first()
    if theme is None:
        raise Http404("No such theme")
    return theme


@org_view(min_role=Role.MEMBER)
def theme(request: OrgRequest, theme_id: int) -> HttpResponse:
    organization = request.organization
    item = _theme_or_404(organization, theme_id)
    if item.merged_into_id is not None and request.method != "POST":
        return redirect("listening:theme", org_slug=organization.slug, theme_id=item.merged_into_id)
    others = [
        (t.pk, t.name)
        for t in Theme.objects.filter(organization=organization, merged_into__isnull=True)
        .exclude(pk=item.pk)
        .order_by("name")
    ]
    opportunities = [(o.pk, str(o)) for o in opportunities_for(organization)]
    rename_form = ThemeRenameForm(initial={"name": item.name})
    merge_form = ThemeMergeForm(choices=others)
    link_form = ThemeLinkForm(choices=opportunities, initial={"opportunity": item.opportunity_id})
    status = 200
    if request.method == "POST":
        if not request.is_admin:
            return HttpResponse("Only admins can change themes.", status=403)
        action = request.POST.get("action")
        try:
            if action == "rename":
                rename_form = ThemeRenameForm(request.POST)
                if rename_form.is_valid():
                    services.theme_rename(
                        organization=organization, theme=item, name=rename_form.cleaned_data["name"]
                    )
                    messages.success(request, "Renamed the theme.")
                    return redirect(request.path)
            elif action in ("pin", "unpin"):
                services.theme_pin(organization=organization, theme=item, pinned=action == "pin")
                messages.success(
                    request,
                    "Pinned: the theme is kept through later analyses."
                    if action == "pin"
                    else "Unpinned the theme.",
                )
                return redirect(request.path)
            elif action == "merge":
                merge_form = ThemeMergeForm(request.POST, choices=others)
                if merge_form.is_valid():
                    into = _theme_or_404(organization, merge_form.cleaned_data["into"])
                    services.theme_merge(organization=organization, theme=item, into=into)
                    messages.success(request, f"Merged {item.name} into {into.name}.")
                    return redirect("listening:theme", org_slug=organization.slug, theme_id=into.pk)
            elif action == "unmerge":
                child = _theme_or_404(organization, int(request.POST.get("child") or 0))
                if child.merged_into_id != item.pk:
                    raise Http404("No such merged theme")
                services.theme_merge(organization=organization, theme=child, into=None)
                messages.success(request, f"{child.name} is a theme of its own again.")
                return redirect(request.path)
            elif action == "link":
                link_form = ThemeLinkForm(request.POST, choices=opportunities)
                if link_form.is_valid():
                    services.theme_link(
                        organization=organization,
                        theme=item,
                        opportunity_id=link_form.cleaned_data["opportunity"],
                    )
                    messages.success(request, "Saved the link to the plan.")
                    return redirect(request.path)
            else:
                messages.error(request, "That change is not one this page knows.")
                return redirect(request.path)
        except (ValidationError, ValueError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect(request.path)
        status = 422
    context = run_context(request)
    view = selectors.theme_view(organization, item)
    run = context["run"]
    trend = None
    if run is not None and view is not None and view.by_day:
        first = datetime.date.fromisoformat(run.summary["first_day"])
        days = [(first + datetime.timedelta(days=i)).isoformat() for i in range(len(view.by_day))]
        trend = charts.theme_trend_spec(days, view.by_day)
    sentiment_chart = (
        charts.theme_sentiment_spec(view.by_week) if view is not None and view.by_week else None
    )
    opportunity = opportunity_get(organization, item.opportunity_id)
    brand_rows = []
    if run is not None and view is not None and view.brands:
        brand_rows = [
            {"name": name, "mentions": count}
            for name, count in zip(run.brands, view.brands, strict=False)
        ]
    context.update(
        theme=item,
        view=view,
        trend_chart=trend,
        sentiment_chart=sentiment_chart,
        brand_rows=brand_rows,
        opportunity=opportunity,
        opportunity_link=opportunity_url(organization, opportunity) if opportunity else None,
        rename_form=rename_form,
        merge_form=merge_form,
        link_form=link_form,
        plan_available=bool(opportunities),
        has_others=bool(others),
    )
    return render(request, "listening/theme.html", context, status=status)


@org_view(min_role=Role.MEMBER)
def spikes(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    context = run_context(request)
    run = context["run"]
    found = selectors.spikes(organization, run)
    for spike in found:
        spike["chart"] = charts.spike_window_spec(spike.get("window", []))
    context["spikes"] = found
    context["level_shifts"] = run.summary.get("level_shifts", []) if run else []
    return render(request, "listening/spikes.html", context)
