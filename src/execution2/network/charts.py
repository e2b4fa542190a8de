"""Vega-Lite specifications for the network pages (plain dicts with inline data)."""

from __future__ import annotations

from typing import Any

TREND_METRICS = (
    ("density", "Density"),
    ("average_degree", "Average degree"),
    ("isolate_share", "Isolate share"),
    ("largest_component_share", "Largest component share"),
    ("cross_unit_share", "Cross-unit tie share"),
    ("ei_index", "E-I index"),
    ("unit_modularity", "Modularity of the units"),
    ("reach_mean", "Leadership reach (mean hops)"),
)
UNIT_TREND_METRICS = (
    ("ei_index", "E-I index"),
    ("cross_unit_share", "Cross-unit tie share"),
    ("density", "Density"),
    ("isolate_share", "Isolate share"),
)


def trends_spec(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One small line chart per metric, month by month."""
    values = [
        {"month": row["month"], "metric": label, "value": row.get(key)}
        for row in rows
        for key, label in TREND_METRICS
        if row.get(key) is not None
    ]
    return _small_multiples(values, [label for _k, label in TREND_METRICS])


def unit_trends_spec(
    entry: dict[str, dict[str, float | None]], months: list[str]
) -> dict[str, Any]:
    values = [
        {"month": month, "metric": label, "value": entry.get(key, {}).get(month)}
        for key, label in UNIT_TREND_METRICS
        for month in months
        if entry.get(key, {}).get(month) is not None
    ]
    return _small_multiples(values, [label for _k, label in UNIT_TREND_METRICS])


def _small_multiples(values: list[dict[str, Any]], order: list[str]) -> dict[str, Any]:
    """One small line chart per metric (a facet), each with its own scale."""
    return {
        "data": {"values": values},
        "facet": {
            "field": "metric",
            "type": "nominal",
            "sort": order,
            "title": None,
            # The page theme doesn't style facet headers: a grey that reads on light and dark.
            "header": {"labelFontWeight": "bold", "labelAnchor": "start", "labelColor": "#8a94a3"},
        },
        "columns": 4,
        "spec": {
            "width": 170,
            "height": 110,
            "mark": {"type": "line", "point": True, "tooltip": True},
            "encoding": {
                "x": {
                    "field": "month",
                    "type": "ordinal",
                    "title": None,
                    "axis": {"labelAngle": -45},
                },
                "y": {
                    "field": "value",
                    "type": "quantitative",
                    "title": None,
                    "scale": {"zero": False},
                },
            },
        },
        "resolve": {"scale": {"y": "independent"}},
    }


def matrix_spec(matrix: dict[str, Any]) -> dict[str, Any]:
    """Unit x unit heatmap: the share of a unit's ties (row) that go to each unit (column)."""
    names = [path.split(" / ")[-1] for path in matrix["paths"]]
    values = []
    for i, row in enumerate(matrix["ties"]):
        total = sum(row)
        for j, ties in enumerate(row):
            values.append(
                {
                    "from": names[i],
                    "to": names[j],
                    "ties": ties,
                    "share": round(ties / total, 4) if total else 0.0,
                }
            )
    return {
        "width": "container",
        "height": {"step": 26},
        "data": {"values": values},
        "mark": {"type": "rect", "tooltip": True},
        "encoding": {
            "y": {"field": "from", "type": "nominal", "sort": names, "title": "Ties of"},
            "x": {
                "field": "to",
                "type": "nominal",
                "sort": names,
                "title": "with",
                "axis": {"labelAngle": -40},
            },
            "color": {
                "field": "share",
                "type": "quantitative",
                "title": "Share of the row's ties",
                "scale": {"scheme": "blues", "domain": [0, 1]},
            },
        },
    }


def reach_spec(rows: list[dict[str, Any]]) -> dict[str, Any]:
    values = [
        {"unit": row["path"], "mean hops": row["reach_mean"], "90th percentile": row["reach_p90"]}
        for row in rows
        if row.get("reach_mean") is not None
    ]
    return {
        "width": "container",
        "height": {"step": 22},
        "data": {"values": values},
        "mark": {"type": "bar", "cornerRadiusEnd": 3, "tooltip": True},
        "encoding": {
            "y": {"field": "unit", "type": "nominal", "sort": "-x", "title": None},
            "x": {
                "field": "mean hops",
                "type": "quantitative",
                "title": "Mean hops from the executive team",
            },
        },
    }
