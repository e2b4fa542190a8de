"""Reads of the Execution Index, always scoped by organization."""

from __future__ import annotations

from django.db.models import QuerySet

from execution2.insights.models import IndexRun, Outcome, RunStatus, ScopeIndex
from execution2.orgs.models import Organization, Unit


def latest_run(*, organization: Organization) -> IndexRun | None:
    """The current index: the latest finished run."""
    return (
        IndexRun.objects.filter(organization=organization, status=RunStatus.DONE)
        .order_by("-as_of", "-created_at", "-pk")
        .defer("trend_points")
        .first()
    )


def runs_of(*, organization: Organization) -> QuerySet[IndexRun]:
    return IndexRun.objects.filter(organization=organization, status=RunStatus.DONE).order_by(
        "-as_of", "-created_at"
    )


def scope_index(*, run: IndexRun, unit: Unit | None = None) -> ScopeIndex | None:
    """The organization's row (unit None) or a unit's row of a run."""
    return ScopeIndex.objects.filter(run=run, unit=unit).first()


def child_indexes(*, run: IndexRun, unit: Unit | None = None) -> list[ScopeIndex]:
    """The rows of the units directly below a scope (the top-level units for the organization),
    by path."""
    rows = ScopeIndex.objects.filter(run=run)
    if unit is None:
        rows = rows.filter(depth=1)
    else:
        rows = rows.filter(depth=unit.depth + 2, parent_unit_id=unit.pk)
    return sorted(rows, key=lambda row: row.payload["scope"]["path"].casefold())


def unit_by_id(*, organization: Organization, unit_id: int) -> Unit | None:
    return Unit.objects.filter(organization=organization, pk=unit_id).first()


def unit_by_path(*, organization: Organization, path: str) -> Unit | None:
    """A unit by its path ("Sales / EMEA"), ignoring case and the spaces around slashes."""
    wanted = " / ".join(part.strip() for part in path.split("/") if part.strip()).casefold()
    for pk, stored in Unit.objects.filter(organization=organization).values_list("pk", "path"):
        if stored.casefold() == wanted:
            return Unit.objects.get(pk=pk)
    return None


def outcomes_of(*, organization: Organization) -> QuerySet[Outcome]:
    return Outcome.objects.filter(organization=organization).select_related("initiative")


def installation_outcomes() -> QuerySet[Outcome]:
    """Every recorded outcome in the installation: the AUC and weight suggestion are about how
    well the index works, judged over all organizations (only aggregates are shown)."""
    return Outcome.objects.all()
