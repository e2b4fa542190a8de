"""Vega-Lite specs of the plan pages, as plain dicts with inline data."""

from __future__ import annotations

from typing import Any

WIDTH = "container"


def kpi_chart(
    *, name: str, unit: str, values: list[tuple[str, float]], target: float, baseline: float
) -> dict[str, Any]:
    rows = [{"date": day, "value": value} for day, value in values]
    title = f"{name} ({unit})" if unit else name
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": WIDTH,
        "height": 180,
        "data": {"values": rows},
        "layer": [
            {
                "mark": {"type": "line", "point": True},
                "encoding": {
                    "x": {"field": "date", "type": "temporal", "title": None},
                    "y": {"field": "value", "type": "quantitative", "title": title},
                },
            },
            {
                "data": {"values": [{"target": target, "label": "target"}]},
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#16a34a"},
                "encoding": {"y": {"field": "target", "type": "quantitative"}},
            },
            {
                "data": {"values": [{"baseline": baseline}]},
                "mark": {"type": "rule", "strokeDash": [2, 2], "color": "#94a3b8"},
                "encoding": {"y": {"field": "baseline", "type": "quantitative"}},
            },
        ],
    }


def spend_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Cost per month, planned against actual, with returns; rows: month, series, amount."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": WIDTH,
        "height": 200,
        "data": {"values": rows},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "month", "type": "ordinal", "title": None},
            "y": {"field": "amount", "type": "quantitative", "title": "Money per month"},
            "color": {"field": "series", "type": "nominal", "title": None},
        },
    }


def portfolio_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Initiatives by progress (x) and schedule performance (y), sized by actual cost."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": WIDTH,
        "height": 260,
        "data": {"values": rows},
        "mark": {"type": "circle", "opacity": 0.75},
        "encoding": {
            "x": {
                "field": "progress",
                "type": "quantitative",
                "title": "Progress (%)",
                "scale": {"domain": [0, 100]},
            },
            "y": {"field": "schedule", "type": "quantitative", "title": "Schedule performance"},
            "size": {"field": "spent", "type": "quantitative", "title": "Spent"},
            "color": {
                "field": "roi_band",
                "type": "nominal",
                "title": "ROI",
                "scale": {
                    "domain": ["positive", "negative", "no spend yet"],
                    "range": ["#1d7048", "#b42318", "#8a94a3"],
                },
            },
            "tooltip": [
                {"field": "initiative", "type": "nominal"},
                {"field": "progress", "type": "quantitative"},
                {"field": "schedule", "type": "quantitative"},
                {"field": "roi", "type": "nominal"},
            ],
        },
    }
