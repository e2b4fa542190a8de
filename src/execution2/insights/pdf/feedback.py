"""A manager's own feedback report as a PDF: what the manager report page shows
(`assessments.views.reports.subject_report`), on paper.

Every value comes through `cycle_result(cycle).group(...)`, the anonymity gate: a hidden group
is printed as "hidden" with no number, comments come from `CycleResult.comments` (already
thresholded and shuffled, without time or rater group). Who may read it is the caller's
check (`assessments.selectors.subject_get`).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from execution2.analytics.assessment.instrument import ATTRIBUTES
from execution2.assessments import charts as assessment_charts
from execution2.assessments.models import Subject
from execution2.assessments.results import GroupResult, ScaleResult, cycle_result
from execution2.assessments.selectors import actions_of
from execution2.insights.pdf import words as w
from execution2.insights.pdf.render import chart_svg, render_pdf

ALL = "all"
# Rater groups as the manager report page names them; self and manager are one known person.
GROUP_LABELS = {
    "all": "Everyone but self",
    "direct": "Direct reports",
    "peer": "Peers",
    "manager": "Their manager",
    "self": "Self-rating",
    "member": "Everyone",
}
STRONGEST = 3


def feedback_report_pdf(*, subject: Subject) -> bytes:
    return render_pdf("insights/report/feedback.html", feedback_report_context(subject=subject))


def _cell(group: GroupResult | None, key: str) -> dict[str, Any]:
    if group is None:
        return {"state": "none", "text": w.NONE}
    if group.suppressed:
        return {"state": "hidden", "text": "hidden"}
    scale = group.scale(key)
    if scale is None or scale.score is None:
        return {"state": "none", "text": w.NONE}
    return {"state": "shown", "text": w.score(scale.score), "n": scale.n}


def _shown(group: GroupResult | None) -> GroupResult | None:
    return group if group is not None and not group.suppressed else None


def feedback_report_context(*, subject: Subject) -> dict[str, Any]:
    cycle = subject.cycle
    result = cycle_result(cycle)
    spec = cycle.instrument.parsed()
    rater_groups = [
        ALL,
        *[g for g in ("direct", "peer", "manager", "self") if g in cycle.rater_groups],
    ]
    groups = {rg: result.group("subject", subject.pk, rg) for rg in rater_groups}
    unit_group = result.group("unit", subject.unit_id, ALL)
    org_group = result.group("organization", None, ALL)
    overall = _shown(groups[ALL])
    columns = [
        {
            "key": rg,
            "label": GROUP_LABELS.get(rg, rg),
            "identified": rg in ("self", "manager"),
            "state": (
                "none" if groups[rg] is None else "hidden" if groups[rg].suppressed else "shown"  # type: ignore[union-attr]
            ),
            "n": groups[rg].n if _shown(groups[rg]) is not None else None,  # type: ignore[union-attr]
        }
        for rg in rater_groups
    ]
    rows = []
    comparison_rows = []
    for scale in spec.scales:
        cells = [_cell(groups[rg], scale.key) for rg in rater_groups]
        unit_cell = _cell(unit_group, scale.key)
        org_cell = _cell(org_group, scale.key)
        overall_scale: ScaleResult | None = overall.scale(scale.key) if overall else None
        rows.append(
            {
                "title": scale.title,
                "is_attribute": scale.key in ATTRIBUTES,
                "cells": cells,
                "unit": unit_cell,
                "org": org_cell,
                "favourable": (
                    w.percent(overall_scale.favourable / 100)
                    if overall_scale is not None and overall_scale.favourable is not None
                    else w.NONE
                ),
                "change": (
                    w.signed(overall_scale.change)
                    if overall_scale is not None and overall_scale.change is not None
                    else ""
                ),
            }
        )
        for label, group in (
            ("This manager", overall),
            (subject.unit.name, _shown(unit_group)),
            ("Organization", _shown(org_group)),
        ):
            value = group.scale(scale.key) if group is not None else None
            if value is not None and value.score is not None:
                comparison_rows.append(
                    {"attribute": scale.title, "group": label, "score": round(value.score, 1)}
                )
    items: list[dict[str, Any]] = []
    strongest: list[dict[str, Any]] = []
    weakest: list[dict[str, Any]] = []
    if overall is not None:
        titles = {s.key: s.title for s in spec.scales}
        for item in overall.items:
            items.append(
                {
                    "scale": titles.get(item.scale, item.scale),
                    "text": item.text,
                    "mean": w.decimal(item.mean, 1),
                    "n": w.count(item.n),
                }
            )
        rated = sorted(
            (i for i in overall.items if i.mean is not None and i.scale in ATTRIBUTES),
            key=lambda i: i.mean or 0,
        )

        def entry(i: Any) -> dict[str, Any]:
            return {"text": i.text, "mean": w.decimal(i.mean, 1), "n": w.count(i.n)}

        weakest = [entry(i) for i in rated[:STRONGEST]]
        strongest = [entry(i) for i in reversed(rated[-STRONGEST:])]
    questions = {q.key: q.text("observer") for q in spec.open_questions}
    order = list(questions)
    comments = sorted(
        result.comments(subject_id=subject.pk),
        key=lambda c: order.index(c[0]) if c[0] in questions else len(order),
    )
    actions = [
        {
            "text": a.text,
            "owner": a.owner.name if a.owner else w.NONE,
            "due": w.day(a.due_on) if a.due_on else w.NONE,
            "done": w.day(a.closed_on) if a.closed_on else "",
        }
        for a in actions_of(subject=subject).order_by("closed_on", "due_on", "pk")
    ]
    return {
        "subject": subject,
        "cycle": cycle,
        "closes_on": w.day(cycle.closes_on),
        "prepared": w.day(timezone.localdate()),
        "columns": columns,
        "rows": rows,
        "unit_n": unit_group.n if _shown(unit_group) is not None else None,  # type: ignore[union-attr]
        "org_n": org_group.n if _shown(org_group) is not None else None,  # type: ignore[union-attr]
        "unit_state": "none" if unit_group is None else "hidden" if unit_group.suppressed else "",
        "overall": overall,
        "overall_state": columns[0]["state"],
        "previous": result.previous.cycle if result.previous is not None else None,
        "chart": (
            chart_svg(assessment_charts.comparison(comparison_rows), width=400, height=330)
            if comparison_rows and overall is not None
            else None
        ),
        "items": items,
        "strongest": strongest,
        "weakest": weakest,
        "comments": [(questions.get(q, q), text) for q, text in comments],
        "comment_threshold": result.thresholds["comments"],
        "min_group": result.thresholds["min_group"],
        "min_direct_reports": result.thresholds["min_direct_reports"],
        "actions": actions,
    }
