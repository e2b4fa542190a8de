"""Vega-Lite specifications of the Execution Index, shared by the pages (vega-embed) and the
PDF (vl-convert to SVG): one definition per chart. Inputs are the stored payloads."""

from __future__ import annotations

from typing import Any

# Fixed colours, so the PDF (rendered without the page's theme) reads like the page.
BELOW = "#c2410c"
ABOVE = "#15803d"
NEUTRAL = "#64748b"
TARGET = "#0f172a"


# The x of a chart over cycles: one tick per month at most (short spans would otherwise repeat
# the month under several ticks).
CYCLE_DATE_AXIS: dict[str, Any] = {
    "field": "date",
    "type": "temporal",
    "title": None,
    "axis": {"format": "%b %Y", "tickCount": {"interval": "month", "step": 1}},
}


def components_spec(payload: dict[str, Any]) -> dict[str, Any]:
    """One bar per component with data, coloured by whether it reaches the target, and the
    target as a rule."""
    target = payload["target"]
    values = [
        {
            "component": c["title"],
            "score": round(c["score"], 1),
            "target": target,
            "people": c["n"],
            "weight": f"{c['weight']:.0%}",
            "status": "at or above target" if c["score"] >= target else "below target",
        }
        for c in payload["components"]
        if c["score"] is not None
    ]
    order = [v["component"] for v in values]
    return {
        "width": "container",
        "height": {"step": 26},
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "bar", "cornerRadiusEnd": 3, "tooltip": True},
                "encoding": {
                    "y": {"field": "component", "type": "nominal", "sort": order, "title": None},
                    "x": {
                        "field": "score",
                        "type": "quantitative",
                        "title": "Score (0-100)",
                        "scale": {"domain": [0, 100]},
                    },
                    "color": {
                        "field": "status",
                        "type": "nominal",
                        "title": None,
                        "scale": {
                            "domain": ["below target", "at or above target"],
                            "range": [BELOW, ABOVE],
                        },
                        "legend": {"orient": "bottom"},
                    },
                    "tooltip": [
                        {"field": "component"},
                        {"field": "score"},
                        {"field": "target"},
                        {"field": "people", "title": "rests on (n)"},
                        {"field": "weight"},
                    ],
                },
            },
            {
                "mark": {"type": "rule", "color": TARGET, "strokeDash": [4, 3], "strokeWidth": 2},
                "encoding": {"x": {"datum": target}},
            },
        ],
    }


def trend_spec(steps: list[dict[str, Any]]) -> dict[str, Any]:
    """The index at each closed cycle with its 90% interval as a band."""
    values = [
        {
            "cycle": step["point"]["label"],
            "date": step["point"]["date"],
            "index": round(step["point"]["index"], 1),
            "low": round(step["point"]["low"], 1) if step["point"]["low"] is not None else None,
            "high": round(step["point"]["high"], 1) if step["point"]["high"] is not None else None,
        }
        for step in steps
        if step["point"]["index"] is not None
    ]
    x = CYCLE_DATE_AXIS
    return {
        "width": "container",
        "height": 180,
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "area", "opacity": 0.25, "color": NEUTRAL},
                "encoding": {
                    "x": x,
                    "y": {"field": "low", "type": "quantitative"},
                    "y2": {"field": "high"},
                },
            },
            {
                "mark": {"type": "line", "point": True, "tooltip": True, "color": TARGET},
                "encoding": {
                    "x": x,
                    "y": {
                        "field": "index",
                        "type": "quantitative",
                        "title": "Execution Index",
                        "scale": {"zero": False},
                    },
                    "tooltip": [
                        {"field": "cycle"},
                        {"field": "index"},
                        {"field": "low", "title": "90% low"},
                        {"field": "high", "title": "90% high"},
                    ],
                },
            },
        ],
    }


def heatmap_spec(rows: list[dict[str, Any]], *, link: bool = True) -> dict[str, Any]:
    """Units x components, coloured by score; `rows` are scope payloads. Missing cells stay
    empty. With `link`, each cell carries the unit's drill-down address in `href`."""
    values = []
    for payload in rows:
        scope = payload["scope"]
        cells = [("Index", payload["index"])] + [
            (c["title"], c["score"]) for c in payload["components"]
        ]
        for title, score in cells:
            if score is None:
                continue
            value = {
                "unit": scope["label"],
                "component": title,
                "score": round(score, 1),
            }
            if link and payload.get("href"):
                value["href"] = payload["href"]
            values.append(value)
    order = ["Index"] + [c["title"] for c in rows[0]["components"]] if rows else []
    encoding: dict[str, Any] = {
        "x": {
            "field": "component",
            "type": "nominal",
            "sort": order,
            "title": None,
            "axis": {"labelAngle": -35, "orient": "top"},
        },
        "y": {"field": "unit", "type": "nominal", "title": None},
    }
    if link:
        encoding["href"] = {"field": "href"}
    return {
        "width": "container",
        "height": {"step": 26},
        "data": {"values": values},
        "layer": [
            {
                "mark": {
                    "type": "rect",
                    "tooltip": True,
                    "cursor": "pointer" if link else "default",
                },
                "encoding": {
                    **encoding,
                    "color": {
                        "field": "score",
                        "type": "quantitative",
                        "title": "Score",
                        "scale": {"domain": [40, 100], "scheme": "redyellowgreen", "clamp": True},
                    },
                },
            },
            {
                "mark": {"type": "text", "fontSize": 11},
                "encoding": {**encoding, "text": {"field": "score", "format": ".0f"}},
            },
        ],
    }
