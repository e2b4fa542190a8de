"""The PDF reports: the Execution Index of the organization or a unit (`index_report_pdf`) and a
manager's own feedback (`feedback_report_pdf`). Charts are the pages' Vega-Lite
specifications drawn to SVG by vl-convert; WeasyPrint lays out the pages."""

from execution2.insights.pdf.feedback import feedback_report_pdf
from execution2.insights.pdf.scope import ScopeNotInRun, index_report_pdf

__all__ = ["ScopeNotInRun", "feedback_report_pdf", "index_report_pdf"]
