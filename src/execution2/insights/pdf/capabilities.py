"""The report's sections on each capability (the six attributes, connectedness, plan
execution, market listening), the units below and the method notes."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from execution2.analytics.assessment.instrument import ATTRIBUTES, BUY_IN
from execution2.insights import charts
from execution2.insights.models import IndexRun, ScopeIndex
from execution2.insights.pdf import words as w
from execution2.insights.pdf.judgement import parts_text
from execution2.insights.pdf.render import chart_svg
from execution2.orgs.models import Organization, Unit

# As on the dashboard: beyond this many units directly below, the heatmap shows the lowest.
HEATMAP_ROWS = 40
# The table of units below lists at most this many (lowest index first when cut).
UNIT_TABLE_ROWS = 80
TOP_THEMES = 5
# Cronbach's alpha reading (design.md 4.1; the unreliable-scale risk uses 0.7 and 0.5).
ALPHA_GOOD = 0.7
ALPHA_POOR = 0.5


# --- the six attributes --------------------------------------------------------------------


def _alpha_reading(alpha: float | None) -> str:
    if alpha is None:
        return ""
    if alpha >= ALPHA_GOOD:
        return "reliable"
    if alpha >= ALPHA_POOR:
        return "read with care"
    return "unreliable"


def attributes_section(payload: dict[str, Any]) -> dict[str, Any]:
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


def survey_section(payload: dict[str, Any]) -> dict[str, Any] | None:
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


def network_section(
    run: IndexRun, payload: dict[str, Any], unit: Unit | None
) -> dict[str, Any] | None:
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
        "parts": parts_text(component.get("parts")) if component else "",
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


def plan_section(
    run: IndexRun, payload: dict[str, Any], unit: Unit | None
) -> dict[str, Any] | None:
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
        "parts": parts_text(delivery.get("parts")) if delivery else "",
    }


# --- market listening ---------------------------------------------------------------------


def listening_section(organization: Organization) -> dict[str, Any] | None:
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


def units_section(children: list[ScopeIndex], unit: Unit | None) -> dict[str, Any]:
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


def method_section(
    run: IndexRun, payload: dict[str, Any], organization: Organization
) -> dict[str, Any]:
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
