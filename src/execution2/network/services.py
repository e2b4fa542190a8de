"""Writes of the network capability: importing event files and saving analyses."""

from __future__ import annotations

import datetime
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

import numpy as np
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from execution2.analytics.network import (
    NetworkAnalysis,
    NetworkSettings,
    read_events,
)
from execution2.analytics.network.chart import ties_from_undirected
from execution2.analytics.network.formats import FORMAT_LABELS, FormatReport
from execution2.analytics.problems import ImportRefused, Problem
from execution2.network import store
from execution2.network.models import EventImport, EventStore, NetworkSnapshot
from execution2.network.selectors import ChartHistory, chart_history, people_keys
from execution2.orgs.models import Organization
from execution2.orgs.services import audit_record

Progress = Callable[[str, int, int], None]
Actor = AbstractBaseUser | AnonymousUser | None
DEFAULT_WINDOW_DAYS = 90
TREND_MONTHS = 12
UNIT_TREND_MAX_DEPTH = 2
KEEP_SNAPSHOTS = 10


def _no_progress(phase: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True, slots=True)
class EventImportResult:
    record: EventImport
    interactions_total: int
    source: FormatReport | None = None

    def summary(self) -> str:
        r = self.record
        text = (
            f"{r.events:,} events in {r.file_name}: {r.interactions_added:,} new interactions "
            f"stored ({r.interactions_read - r.interactions_added:,} were exact duplicates), "
            f"{self.interactions_total:,} in all."
        )
        if self.source is not None:
            source = self.source
            text = (
                f"Read as {FORMAT_LABELS[source.source_format]} ({source.items_read:,} items"
                + "".join(f"; {what}: {n:,}" for what, n in sorted(source.counts.items()))
                + f"). Read: {'; '.join(source.read_fields)}. Ignored: "
                + f"{', '.join(source.ignored_fields) or 'nothing'}. "
                + text
            )
        if r.unknown_people:
            sample = ", ".join(str(s) for s in r.unknown_sample)
            text += (
                f" {r.unknown_people:,} unknown people left out "
                f"({r.events_with_unknown_sender:,} events with an unknown sender), e.g. {sample}."
            )
        if r.outside_employment:
            text += (
                f" {r.outside_employment:,} events fall outside someone's employment dates "
                "(kept; check the people file's start and end dates)."
            )
        return text


def events_import(
    *,
    organization: Organization,
    source: str | Path | IO[bytes],
    file_name: str | None = None,
    actor: Actor = None,
    pseudonym_key: bytes | None = None,
    progress: Progress | None = None,
    source_format: str | None = None,
) -> EventImportResult:
    """Add an event file to the organization's events; all or nothing.

    The file is validated and matched in batches into a staging file, merged with the
    current events into a new generation of Parquet files (exact duplicates dropped, so a
    re-import adds nothing), and only then does the database switch to the new generation.
    Raises ImportRefused with every problem; then nothing changed.
    """
    report = progress or _no_progress
    scratch = store.scratch_dir(organization.pk)
    name = file_name or str(getattr(source, "name", None) or source)
    try:
        if isinstance(source, str | Path):
            path = Path(source)
        else:
            path = scratch / Path(name).name
            with path.open("wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)
        report("read", 0, 1)
        keys = people_keys(organization=organization)
        if len(keys.person_ids) == 0:
            raise ImportRefused(
                [Problem(name, 0, "-", "import the people first: nobody to match events to")]
            )
        staging = scratch / "staging"
        read = read_events(
            path,
            people=keys,
            staging=staging,
            file_name=name,
            pseudonym_key=pseudonym_key,
            source_format=source_format,
        )
        report("read", 1, 1)
        report("write", 0, 1)
        current = EventStore.objects.filter(organization=organization).first()
        before = current.generation if current else None
        merged = store.merge(organization.pk, before, staging, scratch)
        try:
            with transaction.atomic():
                locked = (
                    EventStore.objects.select_for_update().filter(organization=organization).first()
                )
                if (locked.generation if locked else None) != before:
                    raise ValidationError(
                        "Another event import finished while this one ran; import the file again."
                    )
                if locked is None:
                    locked = EventStore(organization=organization)
                locked.generation = merged.generation
                locked.interactions = merged.interactions
                locked.first_at = _moment(merged.first_ts)
                locked.last_at = _moment(merged.last_ts)
                locked.full_clean()
                locked.save()
                record = EventImport(
                    organization=organization,
                    file_name=Path(name).name[:255],
                    events=read.events,
                    interactions_read=read.interactions,
                    interactions_added=merged.added,
                    unknown_people=read.unknown_people,
                    unknown_sample=list(read.unknown_sample),
                    events_with_unknown_sender=read.events_with_unknown_sender,
                    outside_employment=read.outside_employment,
                    pseudonymised=pseudonym_key is not None,
                    actor=actor if actor is not None and actor.is_authenticated else None,
                )
                record.full_clean()
                record.save()
                audit_record(
                    organization=organization,
                    actor=actor,
                    action="network.import",
                    detail={
                        "file": record.file_name,
                        "events": read.events,
                        "added": merged.added,
                        "unknown_people": read.unknown_people,
                        "pseudonymised": record.pseudonymised,
                    },
                )
                if before:
                    transaction.on_commit(lambda: store.remove_generation(organization.pk, before))
        except BaseException:
            store.remove_generation(organization.pk, merged.generation)
            raise
        report("write", 1, 1)
        return EventImportResult(record, merged.interactions, read.source)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _moment(ts: int | None) -> datetime.datetime | None:
    if ts is None:
        return None
    return datetime.datetime.fromtimestamp(ts, tz=datetime.UTC)


def events_clear(*, organization: Organization, actor: Actor = None) -> int:
    """Forget the organization's events (e.g. before importing a corrected export)."""
    with transaction.atomic():
        current = EventStore.objects.select_for_update().filter(organization=organization).first()
        if current is None:
            return 0
        removed, generation = current.interactions, current.generation
        current.delete()
        audit_record(
            organization=organization,
            actor=actor,
            action="network.clear",
            detail={"interactions": removed},
        )
        transaction.on_commit(lambda: store.remove_generation(organization.pk, generation))
    return removed


# --- analysis ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    as_of: datetime.date
    days: int

    @property
    def start(self) -> datetime.date:
        return self.as_of - datetime.timedelta(days=self.days - 1)

    @property
    def end(self) -> datetime.date:
        """The day after the window (exclusive)."""
        return self.as_of + datetime.timedelta(days=1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "days": self.days,
            "start": self.start.isoformat(),
            "end": self.as_of.isoformat(),
        }


@dataclass(frozen=True)
class AnalysisOutcome:
    window: Window
    analysis: NetworkAnalysis
    trends: list[dict[str, Any]]
    unit_trends: dict[str, Any]
    snapshot: NetworkSnapshot | None
    seconds: dict[str, float]

    def results(self) -> dict[str, Any]:
        data = self.analysis.to_dict()
        data["window"] = self.window.to_dict()
        data["trends"] = self.trends
        data["unit_trends"] = self.unit_trends
        return data


def default_as_of(*, organization: Organization) -> datetime.date:
    """The day of the latest stored event (an export is analysed up to its end), else today."""
    current = EventStore.objects.filter(organization=organization).first()
    today = timezone.localdate()
    if current is None or current.last_at is None:
        return today
    return min(current.last_at.astimezone(datetime.UTC).date(), today)


def _months_back(as_of: datetime.date, count: int) -> list[tuple[datetime.date, datetime.date]]:
    """(first day, day after the last) of the `count` calendar months ending with as_of's."""
    months = []
    year, month = as_of.year, as_of.month
    for _ in range(count):
        first = datetime.date(year, month, 1)
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        months.append((first, min(following, as_of + datetime.timedelta(days=1))))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def network_analyze(
    *,
    organization: Organization,
    as_of: datetime.date | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    scope_unit_id: int | None = None,
    settings: NetworkSettings | None = None,
    trends: bool = True,
    save: bool = True,
    actor: Actor = None,
    progress: Progress | None = None,
) -> AnalysisOutcome:
    """Every metric for the window ending on `as_of`, for the organization or one unit.

    Saves a NetworkSnapshot (organization scope only) unless `save` is False.
    """
    report = progress or _no_progress
    settings = settings or NetworkSettings()
    if window_days < 1:
        raise ValidationError("The window must be at least one day.")
    if settings.min_interactions < 1:
        raise ValidationError("A tie needs at least one interaction.")
    started = time.perf_counter()
    seconds: dict[str, float] = {}
    current = EventStore.objects.filter(organization=organization).first()
    generation = current.generation if current else ""
    day = as_of or default_as_of(organization=organization)
    window = Window(day, window_days)
    report("analyse", 0, 3)
    history = chart_history(organization=organization)
    seconds["load_chart_s"] = time.perf_counter() - started
    analysis = _analyze(organization, history, generation, window, scope_unit_id, settings)
    seconds.update(analysis.seconds)
    report("analyse", 1, 3)
    trend_rows: list[dict[str, Any]] = []
    unit_trends: dict[str, Any] = {"months": [], "units": {}}
    if trends and current is not None and current.first_at is not None:
        clock = time.perf_counter()
        first_day = current.first_at.astimezone(datetime.UTC).date()
        cheap = replace(settings, communities=False, brokers=False, unit_components=False)
        months = [(start, end) for start, end in _months_back(day, TREND_MONTHS) if end > first_day]
        for month_start, month_end in months:
            month_window = Window(
                month_end - datetime.timedelta(days=1), (month_end - month_start).days
            )
            monthly = _analyze(
                organization, history, generation, month_window, scope_unit_id, cheap
            )
            label = f"{month_start:%Y-%m}"
            row = {"month": label, **monthly.to_dict()["summary"]}
            row.pop("leiden", None)
            row.pop("louvain", None)
            trend_rows.append(row)
            unit_trends["months"].append(label)
            for unit in monthly.units:
                if unit.depth > UNIT_TREND_MAX_DEPTH:
                    continue
                entry = unit_trends["units"].setdefault(str(unit.unit_id), {})
                for key in ("ei_index", "cross_unit_share", "density", "isolate_share"):
                    value = getattr(unit, key)
                    entry.setdefault(key, {})[label] = (
                        round(value, 6) if value is not None else None
                    )
        seconds["trends_s"] = time.perf_counter() - clock
    report("analyse", 2, 3)
    snapshot = None
    seconds["total_s"] = time.perf_counter() - started
    outcome = AnalysisOutcome(window, analysis, trend_rows, unit_trends, None, seconds)
    if save and scope_unit_id is None:
        sensitive = analysis.to_dict(sensitive=True)
        isolates = analysis.people.person_ids[analysis.people.degree == 0]
        with transaction.atomic():
            snapshot = NetworkSnapshot(
                organization=organization,
                as_of=window.as_of,
                window_days=window.days,
                min_interactions=settings.min_interactions,
                generation=generation,
                people=analysis.summary.people,
                ties=analysis.summary.ties,
                results=outcome.results(),
                brokers={
                    "brokers": sensitive.get("brokers", []),
                    "unit_brokers": sensitive.get("unit_brokers", {}),
                    "isolates": [int(p) for p in isolates],
                },
                people_file=_save_people(organization, analysis),
                seconds=seconds["total_s"],
            )
            snapshot.full_clean()
            snapshot.save()
            audit_record(
                organization=organization,
                actor=actor,
                action="network.analyze",
                detail={
                    "as_of": window.as_of.isoformat(),
                    "window_days": window.days,
                    "people": snapshot.people,
                    "ties": snapshot.ties,
                },
            )
        outcome = replace(outcome, snapshot=snapshot)
        _prune_snapshots(organization)
    report("analyse", 3, 3)
    return outcome


def _analyze(
    organization: Organization,
    history: ChartHistory,
    generation: str,
    window: Window,
    scope_unit_id: int | None,
    settings: NetworkSettings,
) -> NetworkAnalysis:
    from execution2.analytics.network import analyze_network

    chart = history.as_of(window.as_of)
    low, high, interactions, arcs = store.tie_counts(
        organization.pk, generation, window.start, window.end, settings.min_interactions
    )
    ties = ties_from_undirected(
        chart.person_ids, low, high, interactions, arcs, settings.min_interactions
    )
    scope = None
    if scope_unit_id is not None:
        scope = chart.unit_index(scope_unit_id)
        if scope is None:
            raise ValidationError("That unit is not part of the organization.")
    return analyze_network(chart, ties, scope=scope, settings=settings)


def _prune_snapshots(organization: Organization) -> None:
    """Keep the latest KEEP_SNAPSHOTS analyses; older ones and their files go."""
    old = list(
        NetworkSnapshot.objects.filter(organization=organization)
        .order_by("-created_at", "-id")
        .values_list("pk", "people_file")[KEEP_SNAPSHOTS:]
    )
    if not old:
        return
    NetworkSnapshot.objects.filter(pk__in=[pk for pk, _f in old]).delete()
    for _pk, name in old:
        if name:
            (store.network_dir(organization.pk) / name).unlink(missing_ok=True)


def _save_people(organization: Organization, analysis: NetworkAnalysis) -> str:
    folder = store.network_dir(organization.pk) / "snapshots"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"snapshots/{timezone.now():%Y%m%d%H%M%S%f}.npz"
    people = analysis.people
    np.savez_compressed(
        store.network_dir(organization.pk) / name,
        person_ids=people.person_ids,
        unit_ids=people.unit_ids,
        degree=people.degree,
        betweenness=people.betweenness,
        reach=people.reach,
    )
    return name
