"""Report pages: the organization or a unit, and one manager's own report."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from execution2.analytics.assessment.instrument import ATTRIBUTES
from execution2.assessments import charts
from execution2.assessments.forms import ActionItemForm
from execution2.assessments.models import ActionItem, Subject
from execution2.assessments.results import GroupResult, cycle_result, response_rates
from execution2.assessments.selectors import (
    actions_of,
    cycle_get,
    subject_get,
    trend_cycles,
    unit_get,
)
from execution2.assessments.services import action_item_add, action_item_close
from execution2.orgs.choices import Role, role_at_least
from execution2.orgs.models import Person, Unit
from execution2.orgs.selectors import unit_subtree_filter
from execution2.orgs.tenancy import OrgRequest, org_view

GROUP_COLUMNS = (
    ("all", "Everyone but self"),
    ("direct", "Direct reports"),
    ("peer", "Peers"),
    ("manager", "Manager"),
    ("self", "Self"),
)


def _reliability(group: GroupResult | None) -> list[dict[str, Any]]:
    if group is None or group.suppressed:
        return []
    rows = []
    for scale in group.scales:
        item_totals = [
            i.item_total for i in group.items if i.scale == scale.key and i.item_total is not None
        ]
        rows.append(
            {
                "scale": scale,
                "lowest_item_total": min(item_totals) if item_totals else None,
            }
        )
    return rows


@org_view(min_role=Role.EXECUTIVE)
def report(request: OrgRequest, cycle_id: int) -> HttpResponse:
    organization = request.organization
    found = cycle_get(organization=organization, cycle_id=cycle_id)
    result = cycle_result(found)
    scope = unit_get(organization=organization, unit_id=request.GET.get("unit"))
    if scope is None:
        group = result.group("organization", None)
        children = list(Unit.objects.filter(organization=organization, parent__isnull=True))
    else:
        group = result.group("unit", scope.pk)
        children = list(Unit.objects.filter(organization=organization, parent=scope))
    attribute_titles = [(key, found.instrument.parsed().scale(key).title) for key in ATTRIBUTES]
    heat_rows: list[dict[str, Any]] = []
    table_rows = []
    for unit in children:
        unit_group = result.group("unit", unit.pk)
        if unit_group is None:
            continue
        cells = []
        for key, title in attribute_titles:
            scale = None if unit_group.suppressed else unit_group.scale(key)
            cells.append(scale)
            if scale is not None and scale.score is not None:
                heat_rows.append(
                    {"unit": unit.name, "attribute": title, "score": round(scale.score, 1)}
                )
        table_rows.append({"unit": unit, "group": unit_group, "cells": cells})
    trend_rows = []
    for earlier in trend_cycles(cycle=found):
        earlier_result = cycle_result(earlier, with_previous=False)
        earlier_group = (
            earlier_result.group("organization", None)
            if scope is None
            else earlier_result.group("unit", scope.pk)
        )
        if earlier_group is None or earlier_group.suppressed:
            continue
        for scale in earlier_group.scales:
            if scale.score is not None:
                trend_rows.append(
                    {
                        "cycle": earlier.name,
                        "attribute": scale.title,
                        "score": round(scale.score, 1),
                    }
                )
    subjects = Subject.objects.filter(cycle=found).select_related("person", "unit")
    if scope is not None:
        subjects = subjects.filter(unit_subtree_filter(scope))
    managers = []
    for subject in subjects[:200]:
        managers.append({"subject": subject, "group": result.group("subject", subject.pk)})
    depth = scope.depth + 1 if scope is not None else 0
    rates = [
        r
        for r in response_rates(found)
        if (scope is None and r.unit.depth == 0)
        or (scope is not None and (r.unit.pk == scope.pk or r.unit.parent_id == scope.pk))
    ]
    return render(
        request,
        "assessments/report.html",
        {
            "cycle": found,
            "scope": scope,
            "group": group,
            "attribute_titles": attribute_titles,
            "table_rows": table_rows,
            "trend": charts.trend(trend_rows),
            "trend_cycles": len({r["cycle"] for r in trend_rows}),
            "reliability": _reliability(group),
            "managers": managers,
            "manager_count": subjects.count(),
            "rates": rates,
            "depth": depth,
            "thresholds": result.thresholds,
            "ancestors": _ancestors(scope),
        },
    )


def _ancestors(unit: Unit | None) -> list[Unit]:
    chain: list[Unit] = []
    current = unit.parent if unit is not None else None
    while current is not None:
        chain.insert(0, current)
        current = current.parent
    return chain


def _owners(subject: Subject) -> list[tuple[str, str]]:
    team = Person.objects.filter(
        organization_id=subject.cycle.organization_id, manager=subject.person, active=True
    ).order_by("name")
    return [(str(p.pk), p.name) for p in team[:200]]


# Managers read their own report (design.md 2: the manager role); executives and admins read all.
@org_view(min_role=Role.MANAGER)
def subject_report(request: OrgRequest, cycle_id: int, subject_id: int) -> HttpResponse:
    organization = request.organization
    membership = request.membership
    found = cycle_get(organization=organization, cycle_id=cycle_id)
    subject = subject_get(membership=membership, cycle=found, subject_id=subject_id)
    owners = _owners(subject)
    form = ActionItemForm(owners=owners)
    if request.method == "POST":
        response = _action_post(request, subject, owners)
        if response is not None:
            return response
        form = ActionItemForm(request.POST, owners=owners)
        form.is_valid()
    result = cycle_result(found)
    groups = {rg: result.group("subject", subject.pk, rg) for rg, _ in GROUP_COLUMNS}
    unit_group = result.group("unit", subject.unit_id)
    org_group = result.group("organization", None)
    overall = groups["all"]
    spec = found.instrument.parsed()
    rows = []
    comparison_rows = []
    for scale in spec.scales:
        cells = []
        for rg, _ in GROUP_COLUMNS:
            g = groups[rg]
            cells.append(None if g is None else ("hidden" if g.suppressed else g.scale(scale.key)))
        unit_scale = (
            None if unit_group is None or unit_group.suppressed else unit_group.scale(scale.key)
        )
        org_scale = (
            None if org_group is None or org_group.suppressed else org_group.scale(scale.key)
        )
        rows.append({"scale": scale, "cells": cells, "unit": unit_scale, "org": org_scale})
        for label, value in (
            ("This manager", cells[0]),
            (subject.unit.name, unit_scale),
            ("Organization", org_scale),
        ):
            if value not in (None, "hidden") and getattr(value, "score", None) is not None:
                comparison_rows.append(
                    {"attribute": scale.title, "group": label, "score": round(value.score, 1)}  # type: ignore[union-attr]
                )
    strongest: list[Any] = []
    weakest: list[Any] = []
    if overall is not None and not overall.suppressed:
        rated = sorted(
            (i for i in overall.items if i.mean is not None and i.scale in ATTRIBUTES),
            key=lambda i: i.mean or 0,
        )
        weakest = rated[:3]
        strongest = list(reversed(rated[-3:]))
    comments = result.comments(subject_id=subject.pk)
    questions = {q.key: q.text("observer") for q in spec.open_questions}
    return render(
        request,
        "assessments/subject.html",
        {
            "cycle": found,
            "subject": subject,
            "columns": GROUP_COLUMNS,
            "groups": groups,
            "overall": overall,
            "rows": rows,
            "unit_group": unit_group,
            "org_group": org_group,
            "comparison": charts.comparison(comparison_rows),
            "has_comparison": bool(comparison_rows),
            "strongest": strongest,
            "weakest": weakest,
            "comments": [
                (questions.get(q, q), text)
                for q, text in sorted(
                    comments, key=lambda c: list(questions).index(c[0]) if c[0] in questions else 99
                )
            ],
            "comment_threshold": result.thresholds["comments"],
            "actions": actions_of(subject=subject),
            "form": form,
            "previous": result.previous.cycle if result.previous else None,
            "can_see_all": role_at_least(membership.role, Role.EXECUTIVE),
        },
        status=422 if request.method == "POST" else 200,
    )


def _action_post(
    request: OrgRequest, subject: Subject, owners: list[tuple[str, str]]
) -> HttpResponse | None:
    """Add or close an action item; None means: show the form again with its errors."""
    organization = request.organization
    target = redirect(
        "assessments:subject",
        org_slug=organization.slug,
        cycle_id=subject.cycle_id,
        subject_id=subject.pk,
    )
    if request.POST.get("action") == "close":
        item_id = request.POST.get("item", "")
        item = (
            ActionItem.objects.filter(subject=subject, pk=int(item_id)).first()
            if item_id.isdigit()
            else None
        )
        if item is None:
            messages.error(request, "That action item no longer exists.")
        else:
            action_item_close(item=item, day=datetime.date.today())
            messages.success(request, f"Closed “{item.text}”.")
        return target
    form = ActionItemForm(request.POST, owners=owners)
    if not form.is_valid():
        return None
    owner_id = form.cleaned_data.get("owner")
    owner = (
        Person.objects.filter(organization=organization, pk=int(owner_id)).first()
        if owner_id
        else subject.person
    )
    try:
        action_item_add(
            subject=subject,
            text=form.cleaned_data["text"],
            owner=owner,
            due_on=form.cleaned_data.get("due_on"),
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Added to the action plan.")
    return target
