"""The Execution Index report of the organization or one unit, as a PDF.

Everything about the index comes from the stored run (`ScopeIndex.payload`, already through
the anonymity gate when it was computed); the report adds what the payload only summarises:
the plan's initiatives (`plans.selectors.plan_status`), the network's silos
(`network.selectors.latest_snapshot`, when it is the analysis the run used) and market
listening (`listening.selectors`). Work is limited to the scope and the units directly
below it, so the report costs the same for 600 people as for 100,000.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from execution2.insights import charts
from execution2.insights.models import IndexRun
from execution2.insights.pdf import words as w
from execution2.insights.pdf.capabilities import (
    attributes_section,
    listening_section,
    method_section,
    network_section,
    plan_section,
    survey_section,
    units_section,
)
from execution2.insights.pdf.judgement import (
    SEVERITY,
    components_section,
    priorities_section,
    recommendations_section,
    risks_section,
    trend_section,
    without_title,
)
from execution2.insights.pdf.render import chart_svg, render_pdf
from execution2.insights.selectors import child_indexes, scope_index
from execution2.orgs.models import Unit


class ScopeNotInRun(LookupError):
    """The run has no row for the unit (it was added after the index was computed)."""


def index_report_pdf(*, run: IndexRun, unit: Unit | None = None) -> bytes:
    """The report of the organization (unit None) or a unit, from a finished run."""
    return render_pdf("insights/report/index.html", index_report_context(run=run, unit=unit))


def index_report_context(*, run: IndexRun, unit: Unit | None = None) -> dict[str, Any]:
    row = scope_index(run=run, unit=unit)
    if row is None:
        raise ScopeNotInRun(unit.path if unit is not None else "")
    organization = run.organization
    payload = row.payload
    summary = run.summary or {}
    inputs = payload.get("inputs") or {}
    children = child_indexes(run=run, unit=unit)
    listening = listening_section(organization)
    context: dict[str, Any] = {
        "organization": organization,
        "unit": unit,
        "run": run,
        "payload": payload,
        "scope_name": payload["scope"]["label"],
        "as_of": w.day(run.as_of),
        "prepared": w.day(timezone.localdate()),
        "headline": _headline(payload),
        "sources": _sources(run, payload, listening),
        "summary": _summary(payload),
        "components": components_section(payload),
        "components_chart": (
            chart_svg(charts.components_spec(payload))
            if any(c["score"] is not None for c in payload["components"])
            else None
        ),
        "trend": trend_section(payload),
        "priorities": priorities_section(payload),
        "recommendations": recommendations_section(payload),
        "risks": risks_section(payload),
        "attributes": attributes_section(payload),
        "survey": survey_section(payload),
        "network": network_section(run, payload, unit),
        "plan": plan_section(run, payload, unit),
        "listening": listening,
        "units": units_section(children, unit),
        "method": method_section(run, payload, organization),
        "weights": [
            (c["title"], w.percent(summary.get("weights", {}).get(c["key"], c["weight"])))
            for c in payload["components"]
        ],
        "has_inputs": inputs,
    }
    return context


# --- the cover and the summary -----------------------------------------------------------------


def _headline(payload: dict[str, Any]) -> dict[str, str]:
    interval = payload.get("interval") or {}
    return {
        "index": w.score(payload.get("index")),
        "interval": w.interval(interval.get("low"), interval.get("high")),
        "confidence": w.percent(interval.get("confidence", 0.9)),
        "target": f"{payload['target']:g}",
        "gap": w.gap(payload.get("gap")),
        "respondents": w.count(_respondents(payload)),
        "people": w.count(payload["scope"].get("people")),
    }


def _respondents(payload: dict[str, Any]) -> int | None:
    interval = payload.get("interval") or {}
    if interval.get("respondents"):
        return int(interval["respondents"])
    if payload.get("respondents"):
        return int(payload["respondents"])
    survey = (payload.get("inputs") or {}).get("survey") or {}
    return survey.get("responded")


def _sources(
    run: IndexRun, payload: dict[str, Any], listening: dict[str, Any] | None
) -> list[tuple[str, str]]:
    summary = run.summary or {}
    inputs = payload.get("inputs") or {}
    rows = []
    cycle = summary.get("cycle")
    survey = inputs.get("survey")
    if cycle:
        text = f"{cycle['name']}, closed {w.day(cycle.get('closes_on'))}"
        if survey and survey.get("invited"):
            text += (
                f"; {w.count(survey.get('responded'))} of {w.count(survey['invited'])} invited "
                f"answered ({w.percent(survey.get('response_rate'))})"
            )
        rows.append(("Feedback survey", text))
    else:
        rows.append(("Feedback survey", "no closed cycle yet"))
    network = summary.get("network")
    if network:
        end = datetime.date.fromisoformat(network["as_of"])
        start = end - datetime.timedelta(days=int(network["window_days"]) - 1)
        rows.append(
            (
                "Collaboration network",
                f"{network['window_days']} days, {w.day(start)} to {w.day(end)}",
            )
        )
    else:
        rows.append(("Collaboration network", "no analysis yet"))
    plan_as_of = summary.get("plan_as_of")
    rows.append(("Plan and execution", f"as of {w.day(plan_as_of)}" if plan_as_of else "no plan"))
    if listening is not None:
        rows.append(
            (
                "Market listening",
                f"{w.count(listening['posts'])} posts, analysed {listening['analysed']}",
            )
        )
    else:
        rows.append(("Market listening", "no analysis yet"))
    return rows


def _summary(payload: dict[str, Any]) -> dict[str, Any]:
    """The executive summary as sentences made from the numbers."""
    name = payload["scope"]["label"]
    index = payload.get("index")
    target = payload["target"]
    sentences: list[str] = []
    if index is None:
        sentences.append(
            f"There is not enough data yet for an Execution Index of {name}. "
            + (payload.get("note") or "")
        )
    else:
        interval = payload.get("interval")
        text = f"The Execution Index of {name} is {w.score(index)} out of 100"
        if interval:
            respondents = _respondents(payload)
            text += f" (90% interval {w.interval(interval['low'], interval['high'])}"
            text += f", from {w.count(respondents)} respondents)" if respondents else ")"
        gap = payload.get("gap") or 0.0
        if abs(gap) < 0.05:
            text += f", on its target of {target:g}."
        else:
            side = "below" if gap > 0 else "above"
            text += f", {abs(gap):.1f} points {side} the target of {target:g}."
        sentences.append(text)
        trend = [s for s in payload.get("trend") or [] if s["point"].get("index") is not None]
        if len(trend) >= 2 and trend[-1].get("change") is not None:
            change = trend[-1]["change"]
            before = trend[-2]["point"]["label"]
            moved = "risen" if change > 0 else "fallen"
            text = f"Since {before} it has {moved} by {abs(change):.1f} points"
            if trend[-1].get("clear") is True:
                text += ", more than the uncertainty of either measurement."
            elif trend[-1].get("clear") is False:
                text += ", within the uncertainty of the measurements: not yet a clear change."
            else:
                text += "."
            sentences.append(text)
        if payload.get("reweighted") and payload.get("note"):
            sentences.append(payload["note"])
    if payload.get("survey_note"):
        sentences.append(payload["survey_note"])
    strong = [c for c in payload["components"] if c["score"] is not None and c["score"] >= target]
    if strong:
        names = w.listing(f"{c['title'].lower()} ({w.score(c['score'])})" for c in strong)
        verb = "reaches" if len(strong) == 1 else "reach"
        sentences.append(f"{w.capitalised(names)} {verb} the target.")
    priorities = payload.get("priorities") or []
    top = priorities[:3]
    if top:
        names = w.listing(
            f"{p['title'].lower()} ({w.score(p['score'])}, {w.gap(p['gap'])} target)" for p in top
        )
        sentences.append(
            f"The {'priority' if len(top) == 1 else f'{w.number_word(len(top))} priorities'}, "
            f"where weight times gap costs the index most, "
            f"{'is' if len(top) == 1 else 'are'} {names}."
        )
    elif index is not None:
        sentences.append("No component is below target.")
    risks = payload.get("risks") or []
    fired = [r for r in risks if r.get("fired")]
    assessed = [r for r in risks if r.get("assessed")]
    if fired:
        named = w.listing(
            f"{r['title'].lower()} ({SEVERITY.get(r.get('severity', ''), '').lower()})"
            for r in fired
        )
        sentences.append(
            f"{w.capitalised(w.number_word(len(fired)))} of the {w.number_word(len(risks))} "
            f"risk rules fired: {named}."
        )
    elif assessed:
        sentences.append(
            f"None of the {w.number_word(len(assessed))} risk rules that could be checked fired."
        )
    unassessed = len(risks) - len(assessed)
    if unassessed:
        sentences.append(
            f"{w.capitalised(w.plural(unassessed, 'rule'))} could not be checked for lack of data "
            "(see Risks and evidence)."
        )
    recommendations = payload.get("recommendations") or []
    if recommendations:
        first = w.listing(f"“{r['title']}”" for r in recommendations[:2])
        sentences.append(f"Start with {first}: the recommended actions follow in section 3.")
    return {
        "sentences": sentences,
        "fired": [
            {
                "title": r["title"],
                "severity": SEVERITY.get(r.get("severity", ""), ""),
                "summary": without_title(r["title"], r["summary"]),
            }
            for r in fired
        ],
    }
