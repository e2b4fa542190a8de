"""Charts for everyone: series told apart by more than colour, and the table of the chart's
numbers named as its text alternative."""

from __future__ import annotations

import re

from django.template import Context, Template

from execution2.core.templatetags.charts import with_patterns

LINES = {
    "data": {"values": [{"month": "2026-01", "metric": "density", "value": 0.1}]},
    "mark": {"type": "line", "point": True},
    "encoding": {
        "x": {"field": "month", "type": "temporal"},
        "y": {"field": "value", "type": "quantitative"},
        "color": {"field": "metric", "type": "nominal", "title": "Metric", "legend": None},
    },
}


def test_lines_coloured_by_a_category_get_a_dash_pattern_per_category() -> None:
    patterned = with_patterns(LINES)
    assert patterned["encoding"]["strokeDash"] == {
        "field": "metric",
        "type": "nominal",
        "title": "Metric",
    }
    assert "strokeDash" not in LINES["encoding"], "the caller's spec is left as it was"


def test_points_get_a_shape_and_layers_are_looked_into() -> None:
    points = {**LINES, "mark": "point"}
    bars = {**LINES, "mark": "bar"}
    patterned = with_patterns({"layer": [points, bars]})
    assert patterned["layer"][0]["encoding"]["shape"]["field"] == "metric"
    assert set(patterned["layer"][1]["encoding"]) == {"x", "y", "color"}


def test_a_pattern_the_chart_chose_itself_is_kept() -> None:
    own = {**LINES, "encoding": {**LINES["encoding"], "strokeDash": {"field": "other"}}}
    assert with_patterns(own)["encoding"]["strokeDash"] == {"field": "other"}


def test_a_chart_names_its_table_as_its_text_alternative() -> None:
    rendered = Template('{% load charts %}{% vega_chart spec label="Metrics per month" %}').render(
        Context({"spec": LINES})
    )
    image = re.search(r'<div class="chart-canvas"[^>]*>', rendered)
    assert image is not None
    assert 'role="img"' in image.group(0)
    details = re.search(r'aria-details="([\w-]+)"', image.group(0))
    assert details is not None
    assert f'<details class="chart-table" id="{details.group(1)}">' in rendered
    assert "Metrics per month</caption>" in rendered
    assert '"strokeDash"' in rendered, "the page draws the patterned spec"
