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


def loadings(rows: list[dict[str, Any]], cut: float) -> dict[str, Any]:
    """Each item's standardised loading on its attribute, with the cut point as a rule."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "layer": [
            {
                "data": {"values": rows},
                "mark": {"type": "bar", "tooltip": True},
                "encoding": {
                    "y": {"field": "item", "type": "nominal", "title": None, "sort": None},
                    "x": {
                        "field": "loading",
                        "type": "quantitative",
                        "title": "Standardised loading",
                        "scale": {"domain": [0, 1]},
                    },
                    "color": {"field": "attribute", "type": "nominal", "title": "Attribute"},
                },
            },
            {
                "data": {"values": [{"cut": cut}]},
                "mark": {"type": "rule", "strokeDash": [4, 4]},
                "encoding": {"x": {"field": "cut", "type": "quantitative"}},
            },
        ],
    }


def htmt_matrix(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Heterotrait-monotrait ratios between attributes; above 0.85 they are not distinct."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "data": {"values": rows},
        "width": "container",
        "mark": {"type": "rect", "tooltip": True},
        "encoding": {
            "x": {"field": "first", "type": "nominal", "title": None, "sort": None},
            "y": {"field": "second", "type": "nominal", "title": None, "sort": None},
            "color": {
                "field": "htmt",
                "type": "quantitative",
                "title": "HTMT",
                "scale": {"domain": [0, 1], "scheme": "blues"},
            },
        },
    }


def driver_weights(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Each attribute's share of the explained variance, with its bootstrap 90% interval."""
    x = {"type": "quantitative", "title": "Relative weight (share of R², %)"}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "data": {"values": rows},
        "width": "container",
        "layer": [
            {
                "mark": {"type": "bar", "tooltip": True},
                "encoding": {
                    "y": {"field": "attribute", "type": "nominal", "title": None, "sort": "-x"},
                    "x": {"field": "share", **x},
                },
            },
            {
                "mark": {"type": "rule"},
                "encoding": {
                    "y": {"field": "attribute", "type": "nominal", "sort": "-x"},
                    "x": {"field": "share_low", **x},
                    "x2": {"field": "share_high"},
                },
            },
        ],
    }
