"""Running an analysis and carrying themes over to its topics."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.db import transaction

from execution2.analytics.listening.analysis import AnalysisConfig, analyze_posts
from execution2.analytics.listening.posts import store_table as read_store
from execution2.analytics.listening.sentiment import (
    SentimentClassifier,
)
from execution2.analytics.listening.themes import match_topics
from execution2.listening import store
from execution2.listening.models import (
    AnalysisRun,
    SentimentModel,
    Theme,
)
from execution2.listening.services.brands import brand_specs
from execution2.orgs.models import Organization

Progress = Callable[[str, int, int], None]


def _noop(phase: str, done: int, total: int) -> None:
    return None


def _since_filter(table: pa.Table, since: datetime.date | None) -> pa.Table:
    if since is None or table.num_rows == 0:
        return table
    start = datetime.datetime.combine(since, datetime.time(), datetime.UTC)
    return table.filter(
        pc.greater_equal(table.column("ts"), pa.scalar(start, table.schema.field("ts").type))
    )


def classifier_in_use(organization: Organization) -> SentimentModel | None:
    latest = SentimentModel.objects.filter(organization=organization).first()
    return latest if latest is not None and latest.in_use else None


def analysis_run(
    *,
    organization: Organization,
    since: datetime.date | None = None,
    n_themes: int = 20,
    actor: Any = None,
    progress: Progress | None = None,
) -> AnalysisRun:
    """Tag brands, score sentiment, find themes and spikes over the stored posts."""
    progress = progress or _noop
    posts = _since_filter(read_store(store.folder(organization)), since)
    brands = brand_specs(organization)
    model = classifier_in_use(organization)
    classifier = None
    if model is not None:
        path = store.classifier_path(organization, model.file_name)
        if path.exists():
            classifier = SentimentClassifier.from_bytes(path.read_bytes())
    result = analyze_posts(
        posts,
        brands,
        classifier=classifier,
        config=AnalysisConfig(n_themes=n_themes),
        progress=progress,
    )
    store.write_atomically(result.scored, store.scored_path(organization))
    with transaction.atomic():
        run = AnalysisRun.objects.create(
            organization=organization,
            created_by=actor if actor is not None and actor.is_authenticated else None,
            since=since,
            posts=posts.num_rows,
            sentiment_source=result.summary.get("sentiment_source", "lexicon"),
            brands=[b.name for b in brands],
            summary=result.summary,
            timings={k: round(v, 3) for k, v in result.timings.items()},
        )
        _themes_update(organization, result.summary.get("themes", []))
    return run


def _themes_update(organization: Organization, topics: list[dict[str, Any]]) -> None:
    """Carry themes over to the new topics; new topics become new themes."""
    themes = list(Theme.objects.filter(organization=organization).order_by("pk"))
    mapping = match_topics(
        [t.term_weights or {} for t in themes],
        [dict(zip(t["terms"], t["weights"], strict=True)) for t in topics],
    )
    matched: set[int] = set()
    for topic in topics:
        old = mapping.get(topic["index"])
        weights = dict(zip(topic["terms"], topic["weights"], strict=True))
        if old is None:
            Theme.objects.create(
                organization=organization,
                name=topic["name"][:120],
                terms=topic["terms"],
                term_weights=weights,
                topic_index=topic["index"],
            )
            continue
        theme = themes[old]
        matched.add(theme.pk)
        theme.terms = topic["terms"]
        theme.term_weights = weights
        theme.topic_index = topic["index"]
        fields = ["terms", "term_weights", "topic_index"]
        if not theme.renamed:
            theme.name = topic["name"][:120]
            fields.append("name")
        theme.save(update_fields=fields)
    for theme in themes:
        if theme.pk in matched:
            continue
        keep = (
            theme.pinned
            or theme.renamed
            or theme.opportunity_id is not None
            or theme.merged.exists()  # type: ignore[attr-defined]
        )
        if keep:
            theme.topic_index = None
            theme.save(update_fields=["topic_index"])
        else:
            theme.delete()
