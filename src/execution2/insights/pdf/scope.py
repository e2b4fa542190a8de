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

from execution2.analytics.assessment.instrument import ATTRIBUTES, BUY_IN
from execution2.insights import charts
from execution2.insights.models import IndexRun, ScopeIndex
from execution2.insights.pdf import words as w
from execution2.insights.pdf.render import chart_svg, render_pdf
from execution2.insights.selectors import child_indexes, scope_index
from execution2.orgs.models import Organization, Unit

# As on the dashboard: beyond this many units directly below, the heatmap shows the lowest.
HEATMAP_ROWS = 40
# The table of units below lists at most this many (lowest index first when cut).
UNIT_TABLE_ROWS = 80
TOP_THEMES = 5
# Cronbach's alpha reading (DESIGN 4.1; the unreliable-scale risk uses 0.7 and 0.5).
ALPHA_GOOD = 0.7
ALPHA_POOR = 0.5
SHARE_THRESHOLDS = {"low_response_rate", "overspending"}
SEVERITY = {"high": "High", "medium": "Medium"}
PART_TITLES = {
    "cross_unit": "cross-unit ties",
    "isolates": "people not isolated",
    "leadership_reach": "leadership reach",
    "initiative_breadth": "initiative breadth",
    "on_time": "on-time completion",
    "progress": "progress against plan",
}
EVIDENCE_LABELS = {
    "initiatives": "Initiatives judged",
    "trapped": "Initiatives carried by one unit",
    "min_breadth": "Breadth below which an initiative is trapped",
    "max_top_share": "Largest-unit share above which it is trapped",
    "trapped_initiatives": "Initiatives carried by one unit",
    "unit_modularity": "Modularity of the unit partition",
    "modularity_threshold": "Modularity above which the org chart walls people in",
    "ei_threshold": "E-I index at or below which a unit is walled in",
    "units_measured": "Units measured (5 people or more)",
    "walled_units": "Walled-in units",
    "buy_in": "Plan buy-in score",
    "n": "Respondents",
    "threshold": "Threshold",
    "invited": "Invited",
    "responded": "Answered",
    "rate": "Response rate",
    "alpha": "Cronbach's alpha per scale",
    "unreliable": "Unreliable scales",
    "reach_p90": "Hops from the executive team, 90th percentile",
    "reach_p90_threshold": "Threshold (hops)",
    "reach_mean": "Hops from the executive team, mean",
    "reach_share": "Share of people the executive team reaches",
    "reach_share_threshold": "Threshold (share reached)",
    "involved_share": "Share of people working on an initiative",
    "involved_share_threshold": "Threshold (share involved)",
    "planned_to_date": "Planned spend to date",
    "actual_to_date": "Actual spend to date",
    "portfolio_variance_share": "Portfolio over (+) or under (-) plan to date",
    "overspending": "Initiatives over plan",
}
COLUMN_LABELS = {
    "key": "Key",
    "title": "Title",
    "participants": "Participants",
    "breadth": "Breadth",
    "top_unit": "Largest unit",
    "top_share": "Its share",
    "unit": "Unit",
    "ei_index": "E-I index",
    "people": "People",
    "scale": "Scale",
    "alpha": "Alpha",
    "planned_to_date": "Planned to date",
    "actual_to_date": "Actual to date",
    "variance_share": "Over plan",
}


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
    listening = _listening(organization)
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
        "components": _components(payload),
        "components_chart": (
            chart_svg(charts.components_spec(payload))
            if any(c["score"] is not None for c in payload["components"])
            else None
        ),
        "trend": _trend(payload),
        "priorities": _priorities(payload),
        "recommendations": _recommendations(payload),
        "risks": _risks(payload),
        "attributes": _attributes(payload),
        "survey": _survey(payload),
        "network": _network(run, payload, unit),
        "plan": _plan(run, payload, unit),
        "listening": listening,
        "units": _units(children, unit),
        "method": _method(run, payload, organization),
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
                "summary": _without_title(r["title"], r["summary"]),
            }
            for r in fired
        ],
    }


# --- index, components, priorities -----------------------------------------------------------


def _parts(parts: dict[str, float] | None) -> str:
    if not parts:
        return ""
    return " · ".join(
        f"{PART_TITLES.get(k, w.humanised(k))} {w.score(v)}" for k, v in parts.items()
    )


def _components(payload: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for c in payload["components"]:
        rows.append(
            {
                "key": c["key"],
                "title": c["title"],
                "score": w.score(c["score"]),
                "missing": c["missing"] or c["score"] is None,
                "weight": w.percent(c["weight"]),
                "effective_weight": w.percent(c.get("effective_weight")),
                "reweighted": payload.get("reweighted")
                and abs((c.get("effective_weight") or 0) - c["weight"]) > 1e-6,
                "n": w.count(c["n"]) if c["n"] else w.NONE,
                "sources": c.get("sources") or [],
                "parts": _parts(c.get("parts")),
                "gap": w.gap(c.get("gap")),
                "below": (c.get("gap") or 0) > 0,
            }
        )
    return rows


def _trend(payload: dict[str, Any]) -> dict[str, Any] | None:
    steps = [s for s in payload.get("trend") or [] if s["point"].get("index") is not None]
    if not steps:
        return None
    rows = [
        {
            "label": s["point"]["label"],
            "date": w.day(s["point"]["date"]),
            "index": w.score(s["point"]["index"]),
            "interval": w.interval(s["point"].get("low"), s["point"].get("high")),
            "change": w.signed(s.get("change")),
            "clear": {True: "clear", False: "within the uncertainty"}.get(s.get("clear"), ""),
        }
        for s in steps
    ]
    return {
        "rows": rows,
        "chart": chart_svg(charts.trend_spec(steps)) if len(steps) >= 2 else None,
    }


def _priorities(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "rank": position,
            "title": p["title"],
            "score": w.score(p["score"]),
            "gap": w.gap(p["gap"]),
            "weight": w.percent(p["weight"]),
            "points": f"{p['priority']:.1f}",
        }
        for position, p in enumerate(payload.get("priorities") or [], start=1)
    ]


def _initiative_titles(payload: dict[str, Any]) -> dict[str, str]:
    plan = (payload.get("inputs") or {}).get("plan") or {}
    return {i["key"]: i["title"] for i in plan.get("initiatives") or []}


def _recommendations(payload: dict[str, Any]) -> list[dict[str, Any]]:
    titles = _initiative_titles(payload)
    risk_titles = {r["key"]: r["title"] for r in payload.get("risks") or []}
    component_titles = {c["key"]: c["title"] for c in payload["components"]}
    out = []
    for r in payload.get("recommendations") or []:
        about = (
            f"Risk: {risk_titles.get(r['key'], w.humanised(r['key']))}"
            if r["kind"] == "risk"
            else f"Priority: {component_titles.get(r['key'], w.humanised(r['key']))}"
        )
        where = [
            {
                "kind": "Manager" if place["kind"] == "manager" else "Unit",
                "label": place["label"],
                "gap": w.gap(place.get("gap")),
                "n": w.count(place.get("n")),
            }
            for place in r.get("where") or []
        ]
        concerned = [titles.get(s, s) for s in r.get("subjects") or []]
        out.append(
            {
                "title": r["title"],
                "about": about,
                "reason": r["reason"],
                "actions": r.get("actions") or [],
                "where": where,
                "concerned": concerned if not where else [],
            }
        )
    return out


# --- risks ----------------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _evidence(risk_key: str, evidence: dict[str, Any]) -> dict[str, Any]:
    """A risk's evidence as labelled figures and small tables, whatever its keys."""
    figures: list[tuple[str, str]] = []
    tables: list[dict[str, Any]] = []
    for key, value in evidence.items():
        label = EVIDENCE_LABELS.get(key, w.humanised(key))
        # A threshold reads as the quantity it bounds: a share for these rules.
        name = f"{key}_share" if key == "threshold" and risk_key in SHARE_THRESHOLDS else key
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            columns = list(value[0])
            tables.append(
                {
                    "label": label,
                    "columns": [
                        {
                            "label": COLUMN_LABELS.get(c, w.humanised(c)),
                            "num": _is_number(value[0].get(c)),
                        }
                        for c in columns
                    ],
                    "rows": [
                        [
                            {"text": w.value_text(c, row.get(c)), "num": _is_number(row.get(c))}
                            for c in columns
                        ]
                        for row in value
                    ],
                }
            )
        elif isinstance(value, list) and not value:
            figures.append((label, "none"))
        elif isinstance(value, dict):
            tables.append(
                {
                    "label": label,
                    "columns": [{"label": "", "num": False}, {"label": "Value", "num": True}],
                    "rows": [
                        [
                            {"text": w.humanised(k), "num": False},
                            {"text": w.value_text(key, v), "num": True},
                        ]
                        for k, v in value.items()
                    ],
                }
            )
        else:
            figures.append((label, w.value_text(name, value)))
    return {"figures": figures, "tables": tables}


def _without_title(title: str, summary: str) -> str:
    """ "Silos: the org chart..." under the heading "Silos" reads "The org chart..."."""
    prefix = f"{title}:"
    if summary.casefold().startswith(prefix.casefold()):
        return w.capitalised(summary[len(prefix) :].strip())
    return summary


def _risks(payload: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    fired, cleared, unassessed = [], [], []
    for r in payload.get("risks") or []:
        entry = {
            "title": r["title"],
            "severity": SEVERITY.get(r.get("severity", ""), ""),
            "summary": _without_title(r["title"], r["summary"]),
            "evidence": _evidence(r["key"], r.get("evidence") or {}),
        }
        if r.get("fired"):
            fired.append(entry)
        elif r.get("assessed"):
            cleared.append(entry)
        else:
            unassessed.append(entry)
    return {"fired": fired, "cleared": cleared, "unassessed": unassessed}


# --- the six attributes --------------------------------------------------------------------


def _alpha_reading(alpha: float | None) -> str:
    if alpha is None:
        return ""
    if alpha >= ALPHA_GOOD:
        return "reliable"
    if alpha >= ALPHA_POOR:
        return "read with care"
    return "unreliable"


def _attributes(payload: dict[str, Any]) -> dict[str, Any]:
    survey = (payload.get("inputs") or {}).get("survey") or {}
    alphas = survey.get("alpha") or {}
    by_key = {c["key"]: c for c in payload["components"]}
    trend = [s for s in payload.get("trend") or [] if s["point"].get("index") is not None]
    changes = trend[-1].get("component_changes") or {} if len(trend) >= 2 else {}
    rows = []
    for key in (*ATTRIBUTES, BUY_IN):
        c = by_key.get(key)
        if c is None:
            continue
        alpha = alphas.get(key)
        rows.append(
            {
                "title": c["title"],
                "is_buy_in": key == BUY_IN,
                "score": w.score(c["score"]),
                "n": w.count(c["n"]) if c["n"] else w.NONE,
                "gap": w.gap(c.get("gap")),
                "below": (c.get("gap") or 0) > 0,
                "alpha": w.decimal(alpha, 2) if alpha is not None else w.NONE,
                "reading": _alpha_reading(alpha),
                "change": w.signed(changes.get(key)),
            }
        )
    scored = [
        by_key[key] for key in ATTRIBUTES if key in by_key and by_key[key]["score"] is not None
    ]
    sentence = ""
    if len(scored) >= 2:
        high = max(scored, key=lambda c: c["score"])
        low = min(scored, key=lambda c: c["score"])
        sentence = (
            f"The strongest attribute is {high['title'].lower()} ({w.score(high['score'])}), "
            f"the weakest {low['title'].lower()} ({w.score(low['score'])})."
        )
        if changes:
            moved = [c for c in scored if changes.get(c["key"]) is not None]
            if moved:
                most = max(moved, key=lambda c: abs(changes[c["key"]]))
                sentence += (
                    f" Since {trend[-2]['point']['label']}, {most['title'].lower()} moved most "
                    f"({w.signed(changes[most['key']])} points)."
                )
    return {
        "rows": rows,
        "sentence": sentence,
        "previous": trend[-2]["point"]["label"] if changes else "",
    }


def _survey(payload: dict[str, Any]) -> dict[str, Any] | None:
    survey = (payload.get("inputs") or {}).get("survey")
    if not survey:
        return None
    return {
        "cycle": survey.get("cycle", ""),
        "invited": w.count(survey.get("invited")) if survey.get("invited") else None,
        "responded": w.count(survey.get("responded")),
        "rate": w.percent(survey.get("response_rate")),
        "has_alpha": bool(survey.get("alpha")),
    }


# --- connectedness ------------------------------------------------------------------------------


def _network(run: IndexRun, payload: dict[str, Any], unit: Unit | None) -> dict[str, Any] | None:
    network = (payload.get("inputs") or {}).get("network")
    by_key = {c["key"]: c for c in payload["components"]}
    component = by_key.get("connectedness")
    if not network:
        return None
    figures = [
        ("People in the network", w.count(network.get("people"))),
        ("Ties that cross a unit boundary", w.percent(network.get("cross_unit_share"))),
        ("People with no tie (isolates)", w.percent(network.get("isolate_share"), 1)),
        ("Hops from the executive team, mean", w.decimal(network.get("reach_mean"), 1)),
        ("Hops from the executive team, 90th percentile", w.decimal(network.get("reach_p90"), 1)),
        ("Share the executive team reaches", w.percent(network.get("reach_share"))),
    ]
    if network.get("unit_modularity") is not None:
        figures.append(
            ("Modularity of the unit partition", w.decimal(network["unit_modularity"], 2))
        )
    units = sorted(network.get("unit_ei") or [], key=lambda u: (u["ei_index"], u["label"]))
    ei_rows = [
        {
            "label": u["label"],
            "ei": w.decimal(u["ei_index"], 2),
            "people": w.count(u["people"]),
            "walled": u["ei_index"] <= -0.8 and u["people"] >= 5,
        }
        for u in units
    ]
    return {
        "window": network.get("window", ""),
        "figures": figures,
        "score": w.score(component["score"]) if component else w.NONE,
        "parts": _parts(component.get("parts")) if component else "",
        "ei_rows": ei_rows,
        "silos": _silos(run, unit),
    }


def _silos(run: IndexRun, unit: Unit | None) -> list[dict[str, Any]]:
    """The network analysis's most walled-in units and where their few outside ties go; only
    for the organization, and only when it is the analysis the index used."""
    if unit is not None:
        return []
    from execution2.network.selectors import latest_snapshot

    snapshot = latest_snapshot(organization=run.organization)
    used = (run.summary or {}).get("network") or {}
    if snapshot is None or snapshot.as_of.isoformat() != used.get("as_of"):
        return []
    return [
        {
            "path": silo["path"],
            "people": w.count(silo["people"]),
            "ei": w.decimal(silo["ei_index"], 2),
            "partners": w.listing(
                f"{p['path']} ({w.plural(p['ties'], 'tie')})" for p in silo.get("partners") or []
            )
            or "none",
        }
        for silo in (snapshot.results or {}).get("silos", [])
    ]


# --- plan execution ------------------------------------------------------------------------


def _plan(run: IndexRun, payload: dict[str, Any], unit: Unit | None) -> dict[str, Any] | None:
    from execution2.plans.selectors import plan_status

    part = (payload.get("inputs") or {}).get("plan")
    summary = run.summary or {}
    as_of_text = summary.get("plan_as_of")
    if not as_of_text:
        return None
    as_of = datetime.date.fromisoformat(as_of_text)
    # Breadth comes from the payload (what the index judged), so the plan is read without it.
    status = plan_status(organization=run.organization, as_of=as_of, with_breadth=False)
    facts = {i["key"]: i for i in (part or {}).get("initiatives") or []}
    rows = []
    for initiative in status.ordered():
        if unit is not None and initiative.key not in facts:
            continue
        fact = facts.get(initiative.key) or {}
        flags = list(initiative.flags)
        trapped = (fact.get("breadth") is not None and fact["breadth"] < 0.5) or (
            fact.get("top_share") is not None and fact["top_share"] > 0.5
        )
        if trapped and fact.get("participants"):
            flags.append("carried by one unit")
        finance = initiative.finance
        rows.append(
            {
                "key": initiative.key,
                "title": initiative.title,
                "owner": initiative.owner_name or w.NONE,
                "status": initiative.status_label,
                "progress": w.percent(initiative.progress),
                "schedule": w.decimal(initiative.schedule, 2),
                "planned": w.money(finance.planned_to_date) if finance.planned_cost else w.NONE,
                "actual": w.money(finance.actual_cost) if finance.planned_cost else w.NONE,
                "variance": (
                    w.percent(finance.budget_variance_share, 0).replace("-", w.MINUS)
                    if finance.planned_cost and finance.budget_variance_share is not None
                    else w.NONE
                ),
                "flags": flags,
                "participants": w.count(fact.get("participants")) if fact else w.NONE,
                "breadth": w.decimal(fact.get("breadth"), 2) if fact else w.NONE,
            }
        )
    portfolio = status.portfolio
    figures = []
    if part:
        figures.append(
            (
                "Assignments done by their due day",
                f"{w.percent(part.get('on_time_share'))} of {w.count(part.get('on_time_base'))}"
                if part.get("on_time_share") is not None
                else w.NONE,
            )
        )
        figures.append(
            (
                "Progress against plan (active initiatives, 1 = on schedule)",
                w.decimal(part.get("progress_spi"), 2),
            )
        )
        figures.append(
            ("People working on at least one initiative", w.percent(part.get("involved_share")))
        )
    if unit is None:
        figures.append(("Progress of the whole plan", w.percent(status.progress)))
        if portfolio.planned_cost:
            figures.append(
                (
                    "Spend to date against plan to date",
                    f"{w.money(portfolio.actual_cost)} of {w.money(portfolio.planned_to_date)}"
                    + (
                        f" ({w.percent(portfolio.budget_variance_share)} over)".replace(
                            "(-", f"({w.MINUS}"
                        )
                        if portfolio.budget_variance_share is not None
                        else ""
                    ),
                )
            )
    by_key = {c["key"]: c for c in payload["components"]}
    delivery = by_key.get("delivery")
    return {
        "as_of": w.day(as_of),
        "rows": rows,
        "figures": figures,
        "score": w.score(delivery["score"]) if delivery else w.NONE,
        "parts": _parts(delivery.get("parts")) if delivery else "",
    }


# --- market listening ---------------------------------------------------------------------


def _listening(organization: Organization) -> dict[str, Any] | None:
    from execution2.analytics.listening.sentiment import net_sentiment
    from execution2.listening.selectors import latest_run, theme_views

    run = latest_run(organization)
    if run is None:
        return None
    summary = run.summary or {}
    by_day = summary.get("by_day") or []
    positive = sum(int(d.get("positive", 0)) for d in by_day)
    negative = sum(int(d.get("negative", 0)) for d in by_day)
    brands = [
        {
            "name": b.get("name", ""),
            "own": bool(b.get("own")),
            "mentions": w.count(b.get("mentions")),
            "share": w.percent(b.get("share")),
            "net": w.ratio(b.get("net")),
        }
        for b in summary.get("brands") or []
    ]
    themes = [v for v in theme_views(organization, run) if v.found][:TOP_THEMES]
    return {
        "posts": run.posts,
        "analysed": w.day(timezone.localtime(run.created_at).date()),
        "period": (
            f"{w.day(summary.get('start'))} to {w.day(summary.get('end'))}"
            if summary.get("start") and summary.get("end")
            else ""
        ),
        "net": w.ratio(net_sentiment(positive, negative)),
        "positive": w.count(positive),
        "negative": w.count(negative),
        "brands": brands,
        "themes": [
            {
                "name": v.theme.name,
                "posts": w.count(v.size),
                "net": w.ratio(v.net),
                "negative": w.percent(v.share_negative),
                "opportunity": v.opportunity or "",
            }
            for v in themes
        ],
    }


# --- the units below, and the method ---------------------------------------------------------


def _units(children: list[ScopeIndex], unit: Unit | None) -> dict[str, Any]:
    payloads = [child.payload for child in children]
    shown = payloads
    if len(shown) > HEATMAP_ROWS:
        shown = sorted(shown, key=lambda p: (p["index"] is None, p["index"] or 0))[:HEATMAP_ROWS]
    listed = payloads
    if len(listed) > UNIT_TABLE_ROWS:
        listed = sorted(listed, key=lambda p: (p["index"] is None, p["index"] or 0))[
            :UNIT_TABLE_ROWS
        ]
    rows = []
    for p in listed:
        interval = p.get("interval") or {}
        scored = [c for c in p["components"] if c["score"] is not None]
        weakest = min(scored, key=lambda c: c["score"]) if scored else None
        rows.append(
            {
                "label": p["scope"]["label"],
                "people": w.count(p["scope"].get("people")),
                "index": w.score(p.get("index")),
                "interval": w.interval(interval.get("low"), interval.get("high")),
                "weakest": (
                    f"{weakest['title']} ({w.score(weakest['score'])})" if weakest else w.NONE
                ),
                "missing": len(p.get("missing") or []),
                "hidden": bool(p.get("survey_note")),
            }
        )
    return {
        "count": len(payloads),
        "chart": chart_svg(charts.heatmap_spec(shown, link=False), width=430) if shown else None,
        "shown": len(shown),
        "rows": rows,
        "listed": len(listed),
    }


def _method(run: IndexRun, payload: dict[str, Any], organization: Organization) -> dict[str, Any]:
    summary = run.summary or {}
    anonymity = organization.effective_settings.get("anonymity", {})
    interval = payload.get("interval") or {}
    survey = (payload.get("inputs") or {}).get("survey") or {}
    alphas = [a for a in (survey.get("alpha") or {}).values() if a is not None]
    network = summary.get("network") or {}
    return {
        "replicates": w.count(interval.get("replicates") or summary.get("replicates")),
        "confidence": w.percent(interval.get("confidence", 0.9)),
        "interval_note": payload.get("interval_note") or "",
        "target": f"{payload['target']:g}",
        "min_group": anonymity.get("min_group", 5),
        "min_direct_reports": anonymity.get("min_direct_reports", 5),
        "min_comments": anonymity.get("min_comments", 5),
        "alpha_range": (
            f"{w.decimal(min(alphas), 2)} to {w.decimal(max(alphas), 2)}" if alphas else ""
        ),
        "network_days": network.get("window_days"),
        "network_end": w.day(network.get("as_of")) if network else "",
        "plan_as_of": w.day(summary.get("plan_as_of")) if summary.get("plan_as_of") else "",
        "computed": w.day(timezone.localtime(run.created_at).date()),
        "seconds": f"{run.seconds:.1f}",
        "reweighted": bool(payload.get("reweighted")),
        "note": payload.get("note") or "",
    }
