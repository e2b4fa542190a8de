"""Reads of market listening, always for one organization."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from execution2.analytics.listening.sentiment import net_sentiment
from execution2.listening import store
from execution2.listening.links import opportunity_titles
from execution2.listening.models import AnalysisRun, SentimentLabel, SentimentModel, Theme
from execution2.orgs.models import Organization


def latest_run(organization: Organization) -> AnalysisRun | None:
    return AnalysisRun.objects.filter(organization=organization).first()


def latest_classifier(organization: Organization) -> SentimentModel | None:
    return SentimentModel.objects.filter(organization=organization).first()


@dataclass
class ThemeView:
    theme: Theme
    size: int = 0
    positive: int = 0
    neutral: int = 0
    negative: int = 0
    by_day: list[int] = field(default_factory=list)
    # Per week: {"week", "posts", "positive", "neutral", "negative"}, merged themes summed.
    by_week: list[dict[str, Any]] = field(default_factory=list)
    brands: list[int] = field(default_factory=list)
    examples: list[dict[str, Any]] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    merged: list[Theme] = field(default_factory=list)
    opportunity: str | None = None
    found: bool = False

    @property
    def net(self) -> float | None:
        return net_sentiment(self.positive, self.negative)

    @property
    def share_negative(self) -> float | None:
        return self.negative / self.size if self.size else None


def theme_views(organization: Organization, run: AnalysisRun | None = None) -> list[ThemeView]:
    """Every theme that is not merged into another, with the latest run's numbers summed over
    the themes merged into it; largest first, pinned themes before the rest."""
    run = run if run is not None else latest_run(organization)
    topics = {t["index"]: t for t in (run.summary.get("themes", []) if run else [])}
    themes = list(Theme.objects.filter(organization=organization).order_by("pk"))
    titles = opportunity_titles(organization)
    views: dict[int, ThemeView] = {
        t.pk: ThemeView(theme=t, opportunity=titles.get(t.opportunity_id or -1))
        for t in themes
        if t.merged_into_id is None
    }
    for theme in themes:
        target = views.get(theme.merged_into_id or theme.pk)
        if target is None:
            continue
        if theme.merged_into_id is not None:
            target.merged.append(theme)
        topic = topics.get(theme.topic_index) if theme.topic_index is not None else None
        if topic is None:
            continue
        target.found = True
        target.size += int(topic["size"])
        target.positive += int(topic["positive"])
        target.neutral += int(topic["neutral"])
        target.negative += int(topic["negative"])
        days = topic.get("by_day", [])
        target.by_day = (
            [a + b for a, b in zip(target.by_day, days, strict=True)]
            if target.by_day
            else list(days)
        )
        weeks = topic.get("by_week", [])
        target.by_week = (
            [_add_week(a, b) for a, b in zip(target.by_week, weeks, strict=True)]
            if target.by_week
            else [dict(w) for w in weeks]
        )
        brands = topic.get("brands", [])
        target.brands = (
            [a + b for a, b in zip(target.brands, brands, strict=True)]
            if target.brands
            else list(brands)
        )
        target.examples.extend(topic.get("examples", []))
        target.terms.extend(t for t in topic.get("terms", []) if t not in target.terms)
    return sorted(views.values(), key=lambda v: (not v.theme.pinned, -v.size, v.theme.name))


def _add_week(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    summed = {k: a[k] + b[k] for k in ("posts", "positive", "neutral", "negative")}
    return {"week": a["week"], **summed}


def theme_view(organization: Organization, theme: Theme) -> ThemeView | None:
    for view in theme_views(organization):
        if view.theme.pk == theme.pk:
            return view
    return None


def theme_names_by_topic(organization: Organization) -> dict[int, Theme]:
    """Topic index of the latest run -> the theme its posts count for (after merges)."""
    themes = {t.pk: t for t in Theme.objects.filter(organization=organization)}
    result: dict[int, Theme] = {}
    for theme in themes.values():
        if theme.topic_index is None:
            continue
        target = themes.get(theme.merged_into_id) if theme.merged_into_id else theme
        result[theme.topic_index] = target or theme
    return result


def spikes(organization: Organization, run: AnalysisRun | None = None) -> list[dict[str, Any]]:
    """The latest run's spikes, with their driving themes named as the themes are now."""
    run = run if run is not None else latest_run(organization)
    if run is None:
        return []
    by_topic = theme_names_by_topic(organization)
    brands = run.brands
    result = []
    for spike in run.summary.get("spikes", []):
        label = spike["label"]
        series = spike["series"]
        if series.startswith("theme:"):
            theme = by_topic.get(int(series.split(":", 1)[1]))
            label = f"Theme: {theme.name}" if theme else label
        elif series.startswith("brand:"):
            label = f"Brand: {label}"
        drivers: dict[Any, dict[str, Any]] = {}
        for driver in spike.get("drivers", []):
            theme = by_topic.get(driver["theme"])
            slot = drivers.setdefault(
                theme.pk if theme else f"topic-{driver['theme']}",
                {
                    "name": theme.name if theme else "(a theme no longer kept)",
                    "theme_obj": theme,
                    "count": 0,
                    "expected": 0.0,
                },
            )
            slot["count"] += driver["count"]
            slot["expected"] += driver["expected"]
        for slot in drivers.values():
            slot["lift"] = round(slot["count"] / slot["expected"], 2) if slot["expected"] else None
        mentioned = [
            {"brand": brands[b["brand"]], "count": b["count"]}
            for b in spike.get("brands", [])
            if b["count"] and b["brand"] < len(brands)
        ]
        result.append(
            {
                **spike,
                "label": label,
                "drivers": list(drivers.values()),
                "mentioned": mentioned,
                "also": [],
            }
        )
    return _grouped(result)


def _grouped(spikes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One event per burst: spikes of several series (all posts, a brand, its themes) that
    overlap in time are one event, told by its largest series and naming the others."""
    events: list[dict[str, Any]] = []
    for spike in sorted(spikes, key=lambda s: -s["excess"]):
        for event in events:
            if spike["start"] < event["end"] and event["start"] < spike["end"]:
                if spike["label"] not in event["also"] and spike["label"] != event["label"]:
                    event["also"].append(spike["label"])
                break
        else:
            events.append(spike)
    return events


def evidence_for_opportunity(organization: Organization, opportunity_id: int) -> list[ThemeView]:
    """The listening themes linked to one of the plan's opportunities, with their numbers."""
    return [v for v in theme_views(organization) if v.theme.opportunity_id == opportunity_id]


def label_counts(organization: Organization) -> dict[str, int]:
    counts = {"negative": 0, "neutral": 0, "positive": 0}
    for label in SentimentLabel.objects.filter(organization=organization).values_list(
        "label", flat=True
    ):
        counts[label] = counts.get(label, 0) + 1
    return counts


def posts_to_label(
    organization: Organization, *, limit: int = 8, offset: int = 0
) -> list[dict[str, Any]]:
    """Posts worth labelling next: those the current model is least sure of, from every theme
    and channel (a random draw among the least confident), never ones already labelled."""
    scored = store.scored_path(organization)
    posts = store.posts_path(organization)
    if not scored.exists() or not posts.exists():
        return []
    labelled = list(
        SentimentLabel.objects.filter(organization=organization).values_list("key", flat=True)
    )
    with store.connect() as connection:
        rows = connection.execute(
            """
            WITH candidates AS (
                SELECT s.key, s.sentiment, s.confidence
                FROM read_parquet(?) s
                WHERE s.key NOT IN (SELECT unnest(?::VARCHAR[]))
                ORDER BY s.confidence, hash(s.key)
                LIMIT 400
            )
            SELECT c.key, p.text, p.channel, p.ts, c.sentiment
            FROM candidates c JOIN read_parquet(?) p USING (key)
            ORDER BY hash(c.key)
            LIMIT ? OFFSET ?
            """,
            [str(scored), labelled, str(posts), limit, offset],
        ).fetchall()
    names = {-1: "negative", 0: "neutral", 1: "positive"}
    return [
        {
            "key": key,
            "text": text,
            "channel": channel,
            "ts": ts,
            "guess": names.get(int(guess), "neutral"),
        }
        for key, text, channel, ts, guess in rows
    ]


def recent_labels(organization: Organization, limit: int = 10) -> list[SentimentLabel]:
    return list(SentimentLabel.objects.filter(organization=organization)[:limit])
