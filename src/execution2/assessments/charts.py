"""Vega-Lite specifications of the assessment pages, as plain dicts with inline data."""

from __future__ import annotations

from typing import Any


def heatmap(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Units x attributes, coloured by score (0-100); suppressed cells are absent."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "data": {"values": rows},
        "width": "container",
        "mark": {"type": "rect", "tooltip": True},
        "encoding": {
            "x": {"field": "attribute", "type": "nominal", "title": None, "sort": None},
            "y": {"field": "unit", "type": "nominal", "title": None, "sort": None},
            "color": {
                "field": "score",
                "type": "quantitative",
                "title": "Score",
                "scale": {"domain": [30, 90], "scheme": "redyellowgreen"},
            },
        },
    }


def trend(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Attribute scores per cycle."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "data": {"values": rows},
        "width": "container",
        "mark": {"type": "line", "point": True, "tooltip": True},
        "encoding": {
            "x": {"field": "cycle", "type": "ordinal", "title": None, "sort": None},
            "y": {
                "field": "score",
                "type": "quantitative",
                "title": "Score (0-100)",
                "scale": {"domain": [0, 100]},
            },
            "color": {"field": "attribute", "type": "nominal", "title": "Attribute"},
        },
    }


def comparison(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A manager's attribute scores beside their unit and the organization."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "data": {"values": rows},
        "width": "container",
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "y": {"field": "attribute", "type": "nominal", "title": None, "sort": None},
            "yOffset": {"field": "group", "sort": None},
            "x": {
                "field": "score",
                "type": "quantitative",
                "title": "Score (0-100)",
                "scale": {"domain": [0, 100]},
            },
            "color": {"field": "group", "type": "nominal", "title": None, "sort": None},
        },
    }
