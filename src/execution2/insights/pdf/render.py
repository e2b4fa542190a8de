"""From a template and Vega-Lite specifications to PDF bytes: vl-convert draws each chart as SVG
(the same specification the pages give vega-embed), WeasyPrint lays out the HTML.

Both libraries are imported inside the functions: WeasyPrint alone takes most of a second to
import, which the rest of the application (and every command) should not pay.
"""

from __future__ import annotations

import base64
import copy
import re
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "insights" / "report"
STYLESHEET = TEMPLATES / "report.css"
# The printable width of an A4 page between the margins of report.css, in CSS pixels.
PAGE_WIDTH = 640


# Vega draws a gradient legend as a path from the origin filled with a linear gradient in
# bounding-box units; WeasyPrint 70 draws such gradients as nothing. The same gradient in
# user-space units (the path's own coordinates) draws correctly.
_GRADIENT_FILL = re.compile(r'<path d="M0,0h([\d.]+)v([\d.]+)h-[\d.]+Z" fill="url\(#([\w-]+)\)"')
_GRADIENT = re.compile(
    r'<linearGradient id="([\w-]+)" x1="([\d.]+)" x2="([\d.]+)" y1="([\d.]+)" y2="([\d.]+)">'
)


def _gradients_in_user_space(svg: str) -> str:
    sizes = {m[3]: (float(m[1]), float(m[2])) for m in _GRADIENT_FILL.finditer(svg)}

    def rewrite(m: re.Match[str]) -> str:
        if m[1] not in sizes:
            return m[0]
        width, height = sizes[m[1]]
        x1, x2, y1, y2 = (float(v) for v in m.groups()[1:])
        return (
            f'<linearGradient id="{m[1]}" gradientUnits="userSpaceOnUse" x1="{x1 * width:g}" '
            f'x2="{x2 * width:g}" y1="{y1 * height:g}" y2="{y2 * height:g}">'
        )

    return _GRADIENT.sub(rewrite, svg)


class ChartError(RuntimeError):
    """vl-convert could not draw a chart."""


def chart_svg(
    spec: dict[str, Any], *, width: int = PAGE_WIDTH - 150, height: int | None = None
) -> str:
    """A data URI of the chart as SVG. A specification sized to its container on the page
    gets a fixed width here (vl-convert has no container); `width` is the plot area's.
    `height` replaces the specification's (for a chart that would be too tall on paper)."""
    import vl_convert as vlc

    fixed = copy.deepcopy(spec)
    if fixed.get("width") == "container" or "width" not in fixed:
        fixed["width"] = width
    if height is not None:
        fixed["height"] = height
    fixed.setdefault("config", {})
    # The PDF's type, at a size that reads on paper beside 9.5pt body text.
    fixed["config"] = {
        **fixed["config"],
        "font": "DejaVu Sans",
        "axis": {"labelFontSize": 10, "titleFontSize": 10, **fixed["config"].get("axis", {})},
        "legend": {"labelFontSize": 10, "titleFontSize": 10, **fixed["config"].get("legend", {})},
        "view": {"stroke": None, **fixed["config"].get("view", {})},
    }
    try:
        svg = _gradients_in_user_space(vlc.vegalite_to_svg(fixed))
    except Exception as error:  # vl-convert raises plain ValueError/RuntimeError
        raise ChartError(str(error)) from error
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    # data: URIs (our charts) and nothing else: report text comes from the organization's
    # data, and no name or title may make the server fetch a URL or read a file.
    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=html, url_fetcher=fetcher, base_url=None)
    stylesheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=[stylesheet])
    assert pdf is not None
    return bytes(pdf)


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string(template, context))
