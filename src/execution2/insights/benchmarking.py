"""The index judged beyond one organization: against the recorded outcomes of the whole
installation (AUC, suggested weights) and against the other organizations (percentiles).

Both look at every organization of the installation, so both return **aggregates only**: counts,
an AUC, fitted weights, percentile ranks and quartiles. Nothing here returns another
organization's name, outcome or value; the pages show what these functions return and the
organizations the signed-in user belongs to.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import OuterRef, QuerySet, Subquery

from execution2.analytics.index import (
    COMPONENTS,
    OUTCOMES,
    TITLES,
    Auc,
    WeightSuggestion,
    outcome_auc,
    suggest_weights,
)
from execution2.analytics.index.portfolio import (
    MIN_ORGANIZATIONS,
    Benchmark,
    Quartiles,
    benchmark,
    component_matrix,
    field_quartiles,
)
from execution2.insights.charts import CYCLE_DATE_AXIS
from execution2.insights.models import IndexRun, RunStatus, ScopeIndex
from execution2.insights.selectors import installation_outcomes, latest_run, scope_index
from execution2.insights.services import index_settings
from execution2.orgs.choices import Role
from execution2.orgs.models import Membership, Organization

# Who sees an organization in the consultant view: the roles that may read its dashboard.
PORTFOLIO_ROLES = (Role.ADMIN, Role.EXECUTIVE)
# Column headings of the wide tables (the full title is the tooltip and what screen readers say).
SHORT_TITLES = {
    "leadership": "Lead",
    "delegation": "Deleg",
    "stewardship": "Stew",
    "conflict": "Confl",
    "motivation": "Motiv",
    "consideration": "Consid",
    "connectedness": "Conn",
    "delivery": "Deliv",
    "buy_in": "Buy-in",
}


# --- outcomes: how well the index separated successes from failures -------------------------


@dataclass(frozen=True)
class WeightRow:
    key: str
    title: str
    current: float
    suggested: float | None
    coefficient: float | None

    @property
    def current_percent(self) -> float:
        return round(self.current * 100, 1)

    @property
    def suggested_percent(self) -> float | None:
        return round(self.suggested * 100, 1) if self.suggested is not None else None

    @property
    def change(self) -> float | None:
        """Suggested minus current, in percentage points."""
        if self.suggested is None:
            return None
        return round((self.suggested - self.current) * 100, 1)


@dataclass(frozen=True)
class Evaluation:
    auc: Auc
    suggestion: WeightSuggestion
    outcomes: int
    """Every usable outcome recorded in the installation."""
    organizations: int
    """How many organizations recorded them."""
    own: int
    """How many of them are this organization's."""
    weights: list[WeightRow]
    fingerprint: str
    """Identifies the suggested weights, so "adopt" adopts what the admin saw."""


def weights_fingerprint(weights: Mapping[str, float] | None) -> str:
    if weights is None:
        return ""
    rounded = {key: round(float(weights[key]), 6) for key in COMPONENTS}
    return hashlib.sha256(json.dumps(rounded, sort_keys=True).encode()).hexdigest()[:16]


def outcome_evaluation(*, organization: Organization) -> Evaluation:
    """The AUC of the recorded index values and the suggested weights, over every outcome of
    the installation, compared with this organization's current weights."""
    rows = list(
        installation_outcomes()
        .filter(result__in=OUTCOMES)
        .values_list("organization_id", "index", "result", "components")
    )
    index = np.array(
        [value if value is not None else math.nan for _, value, _, _ in rows], dtype=np.float64
    )
    results = [result for _, _, result, _ in rows]
    components = component_matrix(
        [stored if isinstance(stored, dict) else {} for _, _, _, stored in rows]
    )
    current, _target = index_settings(organization)
    auc = outcome_auc(index, results)
    suggestion = suggest_weights(components, results, weights=current)
    suggested = suggestion.weights
    weights = [
        WeightRow(
            key=key,
            title=TITLES[key],
            current=current[key],
            suggested=suggested[key] if suggested is not None else None,
            coefficient=suggestion.coefficients.get(key),
        )
        for key in COMPONENTS
    ]
    return Evaluation(
        auc=auc,
        suggestion=suggestion,
        outcomes=len(rows),
        organizations=len({org_id for org_id, _, _, _ in rows}),
        own=sum(1 for org_id, _, _, _ in rows if org_id == organization.pk),
        weights=weights,
        fingerprint=weights_fingerprint(suggested),
    )


# --- the consultant view: the user's organizations side by side -----------------------------


def _latest_runs() -> QuerySet[Organization]:
    """Every organization with the id of its current run (the ordering of
    `selectors.latest_run`), in one query."""
    latest = (
        IndexRun.objects.filter(organization=OuterRef("pk"), status=RunStatus.DONE)
        .order_by("-as_of", "-created_at", "-pk")
        .values("pk")[:1]
    )
    return Organization.objects.annotate(current_run=Subquery(latest)).filter(
        current_run__isnull=False
    )


@dataclass(frozen=True)
class Field:
    """The installation's current indexes, without names: what percentiles are taken against."""

    index: list[float]
    components: dict[str, list[float | None]]

    @property
    def organizations(self) -> int:
        return len(self.index)

    @property
    def enough(self) -> bool:
        return self.organizations >= MIN_ORGANIZATIONS

    @property
    def missing(self) -> int:
        return max(0, MIN_ORGANIZATIONS - self.organizations)


def installation_field() -> Field:
    """The current index and component scores of every organization that has one."""
    run_ids = list(_latest_runs().values_list("current_run", flat=True))
    rows = ScopeIndex.objects.filter(
        run_id__in=run_ids, unit__isnull=True, index__isnull=False
    ).values_list("index", "payload__components")
    index: list[float] = []
    components: dict[str, list[float | None]] = {key: [] for key in COMPONENTS}
    for value, stored in rows:
        index.append(float(value))
        scores = {
            c.get("key"): c.get("score")
            for c in (stored if isinstance(stored, list) else [])
            if isinstance(c, dict)
        }
        for key in COMPONENTS:
            score = scores.get(key)
            components[key].append(float(score) if isinstance(score, int | float) else None)
    return Field(index=index, components=components)


@dataclass(frozen=True)
class Cell:
    key: str
    title: str
    score: float | None
    benchmark: Benchmark | None = None


@dataclass
class PortfolioRow:
    organization: Organization
    role: str
    run: IndexRun | None = None
    index: float | None = None
    low: float | None = None
    high: float | None = None
    target: float | None = None
    respondents: int | None = None
    change: float | None = None
    clear: bool | None = None
    previous_label: str = ""
    fired_risks: int = 0
    risk_titles: list[str] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    trend: list[dict[str, Any]] = field(default_factory=list)
    index_benchmark: Benchmark | None = None


def portfolio_memberships(*, user: object) -> list[Membership]:
    """The user's memberships where the role may read the index, by organization name."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Membership.objects.filter(user=user, role__in=PORTFOLIO_ROLES)
        .select_related("organization")
        .order_by("organization__name", "organization__slug")
    )


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def portfolio_row(membership: Membership, installation: Field | None) -> PortfolioRow:
    organization = membership.organization
    row = PortfolioRow(organization=organization, role=membership.role)
    run = latest_run(organization=organization)
    scope = scope_index(run=run, unit=None) if run is not None else None
    if run is None or scope is None:
        return row
    payload = scope.payload if isinstance(scope.payload, dict) else {}
    row.run = run
    row.index = _number(scope.index)
    row.low = _number(scope.low)
    row.high = _number(scope.high)
    row.target = _number(payload.get("target"))
    row.respondents = (payload.get("interval") or {}).get("respondents")
    scores = {
        c.get("key"): _number(c.get("score"))
        for c in payload.get("components") or []
        if isinstance(c, dict)
    }
    risks = [r for r in payload.get("risks") or [] if isinstance(r, dict) and r.get("fired")]
    row.fired_risks = len(risks)
    row.risk_titles = [str(r.get("title", "")) for r in risks]
    trend = [s for s in payload.get("trend") or [] if isinstance(s, dict)]
    row.trend = trend
    if trend:
        last = trend[-1]
        row.change = _number(last.get("change"))
        row.clear = last.get("clear")
        if len(trend) >= 2:
            row.previous_label = str((trend[-2].get("point") or {}).get("label", ""))
    enough = installation is not None and installation.enough
    row.index_benchmark = (
        benchmark(row.index, installation.index) if enough and installation else None
    )
    row.cells = [
        Cell(
            key=key,
            title=TITLES[key],
            score=scores.get(key),
            benchmark=(
                benchmark(scores.get(key), installation.components[key])
                if enough and installation
                else None
            ),
        )
        for key in COMPONENTS
    ]
    return row


def portfolio_rows(*, user: object, installation: Field | None) -> list[PortfolioRow]:
    return [portfolio_row(m, installation) for m in portfolio_memberships(user=user)]


@dataclass(frozen=True)
class FieldSummary:
    """The installation's quartiles of the index and of each component (None below the
    minimum number of organizations with a value)."""

    index: Quartiles | None
    components: list[tuple[str, str, Quartiles | None]]


def field_summary(installation: Field, *, own: int = 0) -> FieldSummary:
    """`own`: how many of the organizations in the field the viewer belongs to. Quartiles need
    `MIN_ORGANIZATIONS` values besides those: with exactly five, the median is one of them, and a
    viewer who knows four could tell which organization it is and so read its index."""
    minimum = MIN_ORGANIZATIONS + own
    return FieldSummary(
        index=field_quartiles(installation.index, minimum=minimum),
        components=[
            (key, TITLES[key], field_quartiles(installation.components[key], minimum=minimum))
            for key in COMPONENTS
        ],
    )


def portfolio_trend_spec(rows: Sequence[PortfolioRow]) -> dict[str, Any] | None:
    """The user's organizations' index over their closed cycles in one chart, one coloured
    line each; None when no organization has two points to join."""
    values: list[dict[str, Any]] = []
    joined = False
    for row in rows:
        points = [
            s["point"]
            for s in row.trend
            if isinstance(s.get("point"), dict) and _number(s["point"].get("index")) is not None
        ]
        joined = joined or len(points) >= 2
        for point in points:
            values.append(
                {
                    "organization": row.organization.name,
                    "cycle": str(point.get("label", "")),
                    "date": str(point.get("date", "")),
                    "index": round(float(point["index"]), 1),
                    "low": _rounded(point.get("low")),
                    "high": _rounded(point.get("high")),
                }
            )
    if not joined:
        return None
    x = CYCLE_DATE_AXIS
    return {
        "width": "container",
        "height": 220,
        "data": {"values": values},
        "mark": {"type": "line", "point": True, "tooltip": True},
        "encoding": {
            "x": x,
            "y": {
                "field": "index",
                "type": "quantitative",
                "title": "Execution Index",
                "scale": {"zero": False},
            },
            "color": {
                "field": "organization",
                "type": "nominal",
                "title": None,
                "scale": {"scheme": "tableau10"},
                "legend": {"orient": "bottom", "columns": 3},
            },
            "tooltip": [
                {"field": "organization"},
                {"field": "cycle"},
                {"field": "index"},
                {"field": "low", "title": "90% low"},
                {"field": "high", "title": "90% high"},
            ],
        },
    }


def _rounded(value: Any) -> float | None:
    number = _number(value)
    return round(number, 1) if number is not None else None
