"""The network part of each scope: the latest analysis by the day, or that month's figures."""

from __future__ import annotations

import datetime

import numpy as np

from execution2.analytics.index import (
    NetworkPart,
    UnitEI,
)
from execution2.insights.inputs.scopes import Scope, subtree_sums
from execution2.network.models import NetworkSnapshot
from execution2.network.selectors import snapshot_people
from execution2.orgs.models import Organization


def snapshot_as_of(*, organization: Organization, as_of: datetime.date) -> NetworkSnapshot | None:
    return (
        NetworkSnapshot.objects.filter(organization=organization, as_of__lte=as_of)
        .order_by("-as_of", "-created_at", "-pk")
        .first()
    )


def window_label(snapshot: NetworkSnapshot) -> str:
    start = snapshot.as_of - datetime.timedelta(days=snapshot.window_days - 1)
    return f"{start:%Y-%m-%d} to {snapshot.as_of:%Y-%m-%d}"


def unit_reach_share(snapshot: NetworkSnapshot, scopes: list[Scope]) -> dict[int, float]:
    """Per unit (subtree): the share of its people outside the executive team that the team
    reaches at all; from the analysis's per-person file (only this aggregate leaves it)."""
    people = snapshot_people(snapshot=snapshot)
    if people is None or "reach" not in people or "unit_ids" not in people:
        return {}
    row_of = {s.unit_id: s.row for s in scopes if s.unit_id is not None}
    rows = np.array([row_of.get(int(u), 0) for u in people["unit_ids"].tolist()], dtype=np.int64)
    reach = people["reach"]
    outside = reach != 0
    reached = reach > 0
    count = len(scopes)
    parent = [s.parent_row - 1 if s.parent_row > 0 else -1 for s in scopes[1:]]
    own_outside = np.bincount(rows, weights=outside, minlength=count)[1:]
    own_reached = np.bincount(rows, weights=reached, minlength=count)[1:]
    outside_total = subtree_sums(own_outside.tolist(), parent)
    reached_total = subtree_sums(own_reached.tolist(), parent)
    return {
        scopes[position + 1].unit_id or 0: float(reached_total[position] / outside_total[position])
        for position in range(len(parent))
        if outside_total[position] > 0
    }


def network_parts(snapshot: NetworkSnapshot, scopes: list[Scope]) -> list[NetworkPart | None]:
    results = snapshot.results or {}
    window = window_label(snapshot)
    summary = results.get("summary") or {}
    units = {u["unit_id"]: u for u in results.get("units", []) if "unit_id" in u}
    children: dict[int, list[Scope]] = {}
    for scope in scopes[1:]:
        children.setdefault(scope.parent_row, []).append(scope)

    def unit_ei(row: int) -> tuple[UnitEI, ...]:
        out = []
        for child in children.get(row, []):
            figures = units.get(child.unit_id)
            if figures and figures.get("ei_index") is not None:
                out.append(UnitEI(child.path, figures["ei_index"], int(figures.get("people") or 0)))
        return tuple(out)

    reach_share = unit_reach_share(snapshot, scopes)
    parts: list[NetworkPart | None] = []
    for scope in scopes:
        figures = summary if scope.unit_id is None else units.get(scope.unit_id)
        if not figures or not figures.get("people"):
            parts.append(None)
            continue
        parts.append(
            NetworkPart(
                window=window,
                people=int(figures["people"]),
                cross_unit_share=figures.get("cross_unit_share"),
                isolate_share=figures.get("isolate_share"),
                reach_mean=figures.get("reach_mean"),
                reach_p90=figures.get("reach_p90"),
                reach_share=(
                    figures.get("reach_share")
                    if scope.unit_id is None
                    else reach_share.get(scope.unit_id)
                ),
                unit_modularity=summary.get("unit_modularity") if scope.unit_id is None else None,
                unit_ei=unit_ei(scope.row),
            )
        )
    return parts


def network_parts_of_month(
    organization: Organization, as_of: datetime.date, scopes: list[Scope]
) -> list[NetworkPart | None]:
    """For a day before every analysis's window (a past cycle in the trend): the month-by-month
    figures a later analysis keeps, for the month of that day. The organization gets all of
    them but leadership reach's share; units the cross-unit and isolate shares kept for the top
    two levels."""
    month = f"{as_of:%Y-%m}"
    for snapshot in NetworkSnapshot.objects.filter(organization=organization).order_by(
        "-as_of", "-created_at"
    )[:3]:
        results = snapshot.results or {}
        row = next((r for r in results.get("trends") or [] if r.get("month") == month), None)
        if row is None or not row.get("people"):
            continue
        window = f"the month {month}"
        unit_trends = (results.get("unit_trends") or {}).get("units") or {}
        parts: list[NetworkPart | None] = []
        for scope in scopes:
            if scope.unit_id is None:
                parts.append(
                    NetworkPart(
                        window=window,
                        people=int(row["people"]),
                        cross_unit_share=row.get("cross_unit_share"),
                        isolate_share=row.get("isolate_share"),
                        reach_mean=row.get("reach_mean"),
                        reach_p90=row.get("reach_p90"),
                        reach_share=row.get("reach_share"),
                        unit_modularity=row.get("unit_modularity"),
                    )
                )
                continue
            entry = unit_trends.get(str(scope.unit_id)) or {}
            cross = (entry.get("cross_unit_share") or {}).get(month)
            isolates = (entry.get("isolate_share") or {}).get(month)
            if cross is None and isolates is None:
                parts.append(None)
                continue
            parts.append(
                NetworkPart(
                    window=window,
                    people=scope.people,
                    cross_unit_share=cross,
                    isolate_share=isolates,
                )
            )
        return parts
    return [None] * len(scopes)
