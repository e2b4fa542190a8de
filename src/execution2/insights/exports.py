"""The tables of the index pages as rows for CSV/XLSX. They are read from the stored payloads,
which were built only from groups the anonymity gate disclosed (and managers named only with
enough respondents), so an export shows exactly what the page shows, nothing more."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from execution2.analytics.index import COMPONENTS
from execution2.insights.benchmarking import installation_field, portfolio_rows
from execution2.insights.models import IndexRun, ScopeIndex
from execution2.insights.selectors import child_indexes, outcomes_of
from execution2.orgs.models import Organization

Rows = tuple[list[str], list[list[Any]]]


def _round(value: Any, digits: int = 1) -> Any:
    return round(value, digits) if isinstance(value, float) else value


def components_table(run: IndexRun, row: ScopeIndex) -> Rows:
    columns = ["component", "score", "gap", "weight", "effective_weight", "n", "missing", "sources"]
    rows = [
        [
            c["title"],
            _round(c["score"]),
            _round(c["gap"]),
            _round(c["weight"], 4),
            _round(c["effective_weight"], 4),
            c["n"],
            "yes" if c["missing"] else "no",
            "; ".join(c["sources"]),
        ]
        for c in row.payload["components"]
    ]
    payload = row.payload
    interval = payload.get("interval") or {}
    rows.append(
        [
            "Execution Index",
            _round(payload["index"]),
            _round(payload["gap"]),
            1.0,
            1.0,
            payload["respondents"],
            "yes" if payload["index"] is None else "no",
            f"90% interval {_round(interval.get('low'))}-{_round(interval.get('high'))}"
            if interval
            else payload.get("interval_note", ""),
        ]
    )
    return columns, rows


def risks_table(run: IndexRun, row: ScopeIndex) -> Rows:
    columns = ["risk", "fired", "judged", "severity", "summary", "concerns", "evidence"]
    rows = [
        [
            r["title"],
            "yes" if r["fired"] else "no",
            "yes" if r["assessed"] else "no",
            r["severity"] if r["fired"] else "",
            r["summary"],
            "; ".join(r["subjects"]),
            json.dumps(r["evidence"], ensure_ascii=False, sort_keys=True),
        ]
        for r in row.payload["risks"]
    ]
    return columns, rows


def recommendations_table(run: IndexRun, row: ScopeIndex) -> Rows:
    columns = ["order", "kind", "title", "reason", "action", "where", "concerns"]
    rows = []
    for order, r in enumerate(row.payload["recommendations"], start=1):
        where = "; ".join(
            f"{p['label']} ({_round(p['gap'])} under target, n {p['n']})" for p in r["where"]
        )
        for action in r["actions"]:
            rows.append(
                [order, r["kind"], r["title"], r["reason"], action, where, "; ".join(r["subjects"])]
            )
    return columns, rows


def trend_table(run: IndexRun, row: ScopeIndex) -> Rows:
    keys = [c["key"] for c in row.payload["components"]]
    columns = ["cycle", "closed", "index", "low", "high", "change", "clear", *keys]
    rows = []
    for step in row.payload["trend"]:
        point = step["point"]
        rows.append(
            [
                point["label"],
                point["date"],
                _round(point["index"]),
                _round(point["low"]),
                _round(point["high"]),
                _round(step["change"]),
                "" if step["clear"] is None else ("yes" if step["clear"] else "no"),
                *[_round(point["components"].get(key)) for key in keys],
            ]
        )
    return columns, rows


def units_table(run: IndexRun, row: ScopeIndex) -> Rows:
    children = child_indexes(run=run, unit=row.unit)
    keys = [c["key"] for c in row.payload["components"]]
    columns = ["unit", "people", "index", "low", "high", *keys, "risks"]
    rows = []
    for child in children:
        p = child.payload
        interval = p.get("interval") or {}
        scores = {c["key"]: c["score"] for c in p["components"]}
        rows.append(
            [
                p["scope"]["path"],
                p["scope"]["people"],
                _round(p["index"]),
                _round(interval.get("low")),
                _round(interval.get("high")),
                *[_round(scores.get(key)) for key in keys],
                "; ".join(r["title"] for r in p["risks"] if r["fired"]),
            ]
        )
    return columns, rows


def portfolio_table(user: Any) -> Rows:
    """The consultant view's table: the user's organizations, with percentiles only where the
    page shows them (five organizations or more in the installation)."""
    installation = installation_field()
    rows_of = portfolio_rows(user=user, installation=installation)
    columns = ["organization", "as_of", "index", "low", "high", "index_percentile"]
    for key in COMPONENTS:
        columns += [key, f"{key}_percentile"]
    columns += ["change", "risks"]
    rows = []
    for row in rows_of:
        cells = []
        for cell in row.cells:
            cells += [
                _round(cell.score),
                _round(cell.benchmark.percentile) if cell.benchmark is not None else None,
            ]
        rows.append(
            [
                row.organization.name,
                row.run.as_of.isoformat() if row.run is not None else None,
                _round(row.index),
                _round(row.low),
                _round(row.high),
                _round(row.index_benchmark.percentile) if row.index_benchmark else None,
                *cells,
                _round(row.change),
                "; ".join(row.risk_titles),
            ]
        )
    return columns, rows


def outcomes_table(organization: Organization) -> Rows:
    """The organization's recorded outcomes with the index each had when it closed."""
    columns = ["outcome_of", "initiative_key", "result", "closed_on", "index", *COMPONENTS, "note"]
    rows = [
        [
            outcome.label,
            outcome.initiative.key if outcome.initiative is not None else "",
            outcome.result,
            outcome.closed_on.isoformat(),
            _round(outcome.index),
            *[_round(outcome.components.get(key)) for key in COMPONENTS],
            outcome.note,
        ]
        for outcome in outcomes_of(organization=organization)
    ]
    return columns, rows


TABLES: dict[str, Callable[[IndexRun, ScopeIndex], Rows]] = {
    "components": components_table,
    "risks": risks_table,
    "recommendations": recommendations_table,
    "trend": trend_table,
    "units": units_table,
}
