"""The report's judgement: index and components, trend, priorities with their actions,
risks with their evidence; every number from the stored payload."""

from __future__ import annotations

from typing import Any

from execution2.insights import charts
from execution2.insights.pdf import words as w
from execution2.insights.pdf.render import chart_svg

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


# --- index, components, priorities -----------------------------------------------------------


def parts_text(parts: dict[str, float] | None) -> str:
    if not parts:
        return ""
    return " · ".join(
        f"{PART_TITLES.get(k, w.humanised(k))} {w.score(v)}" for k, v in parts.items()
    )


def components_section(payload: dict[str, Any]) -> list[dict[str, Any]]:
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
                "parts": parts_text(c.get("parts")),
                "gap": w.gap(c.get("gap")),
                "below": (c.get("gap") or 0) > 0,
            }
        )
    return rows


def trend_section(payload: dict[str, Any]) -> dict[str, Any] | None:
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


def priorities_section(payload: dict[str, Any]) -> list[dict[str, Any]]:
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


def recommendations_section(payload: dict[str, Any]) -> list[dict[str, Any]]:
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


def without_title(title: str, summary: str) -> str:
    """ "Silos: the org chart..." under the heading "Silos" reads "The org chart..."."""
    prefix = f"{title}:"
    if summary.casefold().startswith(prefix.casefold()):
        return w.capitalised(summary[len(prefix) :].strip())
    return summary


def risks_section(payload: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    fired, cleared, unassessed = [], [], []
    for r in payload.get("risks") or []:
        entry = {
            "title": r["title"],
            "severity": SEVERITY.get(r.get("severity", ""), ""),
            "summary": without_title(r["title"], r["summary"]),
            "evidence": _evidence(r["key"], r.get("evidence") or {}),
        }
        if r.get("fired"):
            fired.append(entry)
        elif r.get("assessed"):
            cleared.append(entry)
        else:
            unassessed.append(entry)
    return {"fired": fired, "cleared": cleared, "unassessed": unassessed}
