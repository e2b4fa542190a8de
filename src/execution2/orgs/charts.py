"""Vega-Lite specifications for the organization pages."""

from __future__ import annotations

from typing import Any


def people_by_location_spec(rows: list[tuple[str, int]]) -> dict[str, Any]:
    return {
        "width": "container",
        "height": {"step": 22},
        "data": {"values": [{"location": name, "people": count} for name, count in rows]},
        "mark": {"type": "bar", "cornerRadiusEnd": 3, "tooltip": True},
        "encoding": {
            "y": {"field": "location", "type": "nominal", "sort": "-x", "title": None},
            "x": {
                "field": "people",
                "type": "quantitative",
                "title": "Active people",
                "axis": {"tickMinStep": 1, "format": "d"},
            },
        },
    }
