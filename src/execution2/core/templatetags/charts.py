"""`{% vega_chart spec label="..." %}`: one chart definition for the page (and later the PDF).

The spec is a Vega-Lite dict with inline `data.values`. The page gets a canvas drawn by the
vendored vega-embed (loaded only on pages that have a chart) and, for screen readers and for
anyone who wants the numbers, a table of the same values.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from django import template
from django.templatetags.static import static
from django.utils.html import json_script
from django.utils.safestring import SafeString

register = template.Library()
_counter = itertools.count(1)
TABLE_ROW_LIMIT = 500

VEGA_LIBRARIES = (
    "core/vendor/vega/vega-6.4.0.min.js",
    "core/vendor/vega/vega-lite-6.5.0.min.js",
    "core/vendor/vega/vega-embed-7.3.0.min.js",
    "core/vendor/vega/vega-interpreter-2.3.2.min.js",
)


def chart_values(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The first inline data values in the spec, looking into layers and concatenations."""
    data = spec.get("data")
    if isinstance(data, dict) and isinstance(data.get("values"), list):
        return [row for row in data["values"] if isinstance(row, dict)]
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for part in spec.get(key, []) or []:
            if isinstance(part, dict) and (values := chart_values(part)):
                return values
    for key in ("spec",):
        if isinstance(spec.get(key), dict) and (values := chart_values(spec[key])):
            return values
    return []


def _columns(values: list[dict[str, Any]]) -> list[str]:
    columns: dict[str, None] = {}
    for row in values[:TABLE_ROW_LIMIT]:
        for key in row:
            columns.setdefault(key, None)
    return list(columns)


def _mark_type(unit: dict[str, Any]) -> str:
    mark = unit.get("mark")
    return str(mark.get("type", "")) if isinstance(mark, dict) else str(mark or "")


def with_patterns(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with series told apart by more than colour (WCAG 1.4.1): lines coloured by a
    category get a dash pattern per category, points a shape, both in the same legend.

    Bars and areas keep their colour alone: their legend and the table of numbers name them.
    """
    out = dict(spec)
    encoding = spec.get("encoding")
    if isinstance(encoding, dict):
        colour = encoding.get("color")
        categorical = isinstance(colour, dict) and colour.get("type") in ("nominal", "ordinal")
        mark = _mark_type(spec)
        channel = {"line": "strokeDash", "point": "shape"}.get(mark)
        if categorical and channel and channel not in encoding and "field" in colour:
            same = {k: v for k, v in colour.items() if k in ("field", "type", "title", "sort")}
            out["encoding"] = {**encoding, channel: same}
    for key in ("layer", "hconcat", "vconcat", "concat"):
        if isinstance(spec.get(key), list):
            out[key] = [
                with_patterns(part) if isinstance(part, dict) else part for part in spec[key]
            ]
    if isinstance(spec.get("spec"), dict):
        out["spec"] = with_patterns(spec["spec"])
    return out


@register.inclusion_tag("core/_chart.html")
def vega_chart(spec: dict[str, Any], label: str, table: bool = True) -> dict[str, Any]:
    chart_id = f"vega-chart-{next(_counter)}"
    spec = with_patterns(spec)
    values = chart_values(spec)
    columns = _columns(values)
    return {
        "chart_id": chart_id,
        "label": label,
        "spec_script": json_script(spec, f"{chart_id}-spec"),
        "libraries": SafeString(
            json.dumps([static(path) for path in VEGA_LIBRARIES]).replace("'", "&#x27;")
        ),
        "show_table": table and bool(values),
        "columns": columns,
        "rows": [[row.get(c, "") for c in columns] for row in values[:TABLE_ROW_LIMIT]],
        "truncated": max(0, len(values) - TABLE_ROW_LIMIT),
    }
