"""One analysis of a store of posts: brands, sentiment, themes, spikes, and their summary.

`analyze_posts` takes the posts as an Arrow table (the store's columns) and returns the
per-post results (to keep as Parquet beside the store) and a JSON-ready summary (to keep in the
database and show). Every number in the summary is a count, so themes merged later are summed.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from execution2.analytics.listening.brands import BrandSpec, brand_codes, share_of_voice, tag_brands
from execution2.analytics.listening.sentiment import (
    LexiconScoring,
    SentimentClassifier,
    lexicon_labels,
    net_sentiment,
)
from execution2.analytics.listening.spikes import (
    detect_spikes,
    explain,
    level_shifts,
    seasonal_baseline,
)
from execution2.analytics.listening.themes import ThemeModel, discover_themes

HOUR = 3600
DAY = 86400
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class AnalysisConfig:
    n_themes: int = 20
    seed: int = 0
    spike_threshold: float = 4.0
    spike_min_count: float = 10.0
    spike_cooldown_hours: int = 24
    workers: int | None = None
    examples: int = 5


@dataclass
class AnalysisResult:
    scored: pa.Table  # key, ts, channel, engagement, brands, sentiment, confidence, compound, theme
    summary: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)


SCORED_SCHEMA = pa.schema(
    [
        ("key", pa.string()),
        ("ts", pa.timestamp("us", tz="UTC")),
        ("channel", pa.string()),
        ("engagement", pa.int64()),
        ("brands", pa.int64()),
        ("sentiment", pa.int8()),
        ("confidence", pa.float32()),
        ("compound", pa.float32()),
        ("theme", pa.int16()),
    ]
)


def _counts3(sentiment: npt.NDArray[np.int8], groups: npt.NDArray[np.int64], size: int) -> Any:
    """Per group: (negative, neutral, positive) counts as a (size x 3) array."""
    combined = groups * 3 + (sentiment.astype(np.int64) + 1)
    keep = groups >= 0
    return np.bincount(combined[keep], minlength=size * 3)[: size * 3].reshape(size, 3)


def _sentiment_fields(row: Sequence[int]) -> dict[str, Any]:
    negative, neutral, positive = (int(x) for x in row)
    net = net_sentiment(positive, negative)
    return {
        "positive": positive,
        "neutral": neutral,
        "negative": negative,
        "net": None if net is None else round(net, 4),
    }


def analyze_posts(
    posts: pa.Table,
    brands: Sequence[BrandSpec],
    *,
    classifier: SentimentClassifier | None = None,
    config: AnalysisConfig | None = None,
    progress: Progress | None = None,
) -> AnalysisResult:
    config = config or AnalysisConfig()
    timings: dict[str, float] = {}
    n = posts.num_rows
    step = 0

    def tick(phase: str) -> None:
        nonlocal step
        step += 1
        if progress is not None:
            progress(phase, step, 5)

    clock = time.perf_counter()
    texts_column = posts.column("text")
    mentions = tag_brands(texts_column, brands)
    codes = brand_codes(mentions)
    timings["brands_s"] = time.perf_counter() - clock
    tick("brands")

    clock = time.perf_counter()
    texts: list[str] = texts_column.to_pylist()
    # VADER runs in worker processes while this process finds the themes (mostly one core).
    scoring = LexiconScoring(texts, workers=config.workers)
    stop_words = [term for brand in brands for term in brand.terms]
    themes = discover_themes(
        texts,
        n_themes=config.n_themes,
        seed=config.seed,
        stop_words=stop_words,
        examples=config.examples,
    )
    timings["themes_s"] = time.perf_counter() - clock
    tick("themes")
    lexicon = scoring.result()
    if classifier is not None and n:
        sentiment, confidence = classifier.predict_proba(texts, lexicon)
        source = "trained"
    else:
        sentiment = lexicon_labels(lexicon)
        confidence = np.abs(lexicon[:, 3]).astype(np.float32)
        source = "lexicon"
    timings["sentiment_s"] = time.perf_counter() - clock - timings["themes_s"]
    tick("sentiment")

    clock = time.perf_counter()
    ts = posts.column("ts")
    seconds = (
        pc.cast(ts, pa.int64()).to_numpy(zero_copy_only=False) // 1_000_000
        if n
        else np.zeros(0, dtype=np.int64)
    )
    engagement = posts.column("engagement").fill_null(0).to_numpy(zero_copy_only=False)
    channels = posts.column("channel").to_pylist()
    summary = summarize(
        seconds=seconds,
        channels=channels,
        engagement=engagement.astype(np.float64),
        mentions=mentions,
        brands=brands,
        sentiment=sentiment,
        themes=themes,
        texts=texts,
        keys=posts.column("key").to_pylist(),
        config=config,
    )
    summary["sentiment_source"] = source
    timings["spikes_s"] = time.perf_counter() - clock
    tick("summary")
    scored = pa.table(
        {
            "key": posts.column("key"),
            "ts": ts,
            "channel": posts.column("channel"),
            "engagement": posts.column("engagement").fill_null(0),
            "brands": pa.array(codes, pa.int64()),
            "sentiment": pa.array(sentiment, pa.int8()),
            "confidence": pa.array(confidence, pa.float32()),
            "compound": pa.array(lexicon[:, 3], pa.float32()),
            "theme": pa.array(themes.assignment, pa.int16()),
        },
        schema=SCORED_SCHEMA,
    )
    tick("done")
    return AnalysisResult(scored=scored, summary=summary, timings=timings)


def _iso(seconds: int) -> str:
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).isoformat().replace("+00:00", "Z")


def _day(seconds: int) -> str:
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).date().isoformat()


def summarize(
    *,
    seconds: npt.NDArray[np.int64],
    channels: Sequence[str],
    engagement: npt.NDArray[np.float64],
    mentions: npt.NDArray[np.bool_],
    brands: Sequence[BrandSpec],
    sentiment: npt.NDArray[np.int8],
    themes: ThemeModel,
    texts: Sequence[str],
    keys: Sequence[str],
    config: AnalysisConfig,
) -> dict[str, Any]:
    n = len(seconds)
    summary: dict[str, Any] = {"posts": n, "brands": [], "themes": [], "spikes": []}
    if n == 0:
        summary.update(
            by_day=[], brand_by_week=[], brand_by_day=[], share_by_channel=[], channels=[]
        )
        summary["level_shifts"] = []
        return summary
    start_day = int(seconds.min()) // DAY * DAY
    end = int(seconds.max())
    days = (end - start_day) // DAY + 1
    hours = days * 24
    day_index = (seconds - start_day) // DAY
    hour_index = (seconds - start_day) // HOUR
    week_start = (
        start_day - ((start_day // DAY + 3) % 7) * DAY
    )  # Monday (1970-01-01 was a Thursday)
    week_index = (seconds - week_start) // (7 * DAY)
    weeks = int(week_index.max()) + 1
    summary["start"] = _iso(int(seconds.min()))
    summary["end"] = _iso(end)

    by_day = _counts3(sentiment, day_index, days)
    summary["by_day"] = [
        {
            "day": _day(start_day + d * DAY),
            "posts": int(by_day[d].sum()),
            **_sentiment_fields(by_day[d]),
        }
        for d in range(days)
    ]

    # Brands: mentions, share of voice (plain and engagement-weighted), sentiment, per week.
    shares = share_of_voice(mentions)
    weighted = share_of_voice(mentions, engagement)
    for b, brand in enumerate(brands):
        rows = mentions[:, b]
        counts = _counts3(sentiment[rows], np.zeros(int(rows.sum()), dtype=np.int64), 1)[0]
        summary["brands"].append(
            {
                "index": b,
                "name": brand.name,
                "own": brand.own,
                "mentions": int(rows.sum()),
                "engagement": int(engagement[rows].sum()),
                "share": None if np.isnan(shares[b]) else round(float(shares[b]), 4),
                "weighted_share": None if np.isnan(weighted[b]) else round(float(weighted[b]), 4),
                **_sentiment_fields(counts),
            }
        )
    brand_by_week = []
    for w in range(weeks):
        in_week = week_index == w
        week_mentions = mentions[in_week]
        week_shares = share_of_voice(week_mentions)
        week_weighted = share_of_voice(week_mentions, engagement[in_week])
        for b, brand in enumerate(brands):
            rows = week_mentions[:, b]
            counts = _counts3(
                sentiment[in_week][rows], np.zeros(int(rows.sum()), dtype=np.int64), 1
            )[0]
            brand_by_week.append(
                {
                    "week": _day(week_start + w * 7 * DAY),
                    "brand": brand.name,
                    "mentions": int(rows.sum()),
                    "share": None if np.isnan(week_shares[b]) else round(float(week_shares[b]), 4),
                    "weighted_share": None
                    if np.isnan(week_weighted[b])
                    else round(float(week_weighted[b]), 4),
                    **_sentiment_fields(counts),
                }
            )
    summary["brand_by_week"] = brand_by_week
    brand_days = np.zeros((len(brands), days), dtype=np.int64)
    for b in range(len(brands)):
        brand_days[b] = np.bincount(day_index[mentions[:, b]], minlength=days)[:days]
    summary["brand_by_day"] = [
        {"day": _day(start_day + d * DAY), "brand": brand.name, "mentions": int(brand_days[b, d])}
        for b, brand in enumerate(brands)
        for d in range(days)
    ]
    channel_names = sorted(set(channels))
    channel_code = {c: i for i, c in enumerate(channel_names)}
    channel_index = np.fromiter((channel_code[c] for c in channels), dtype=np.int64, count=n)
    summary["channels"] = [
        {"channel": c, "posts": int(v)}
        for c, v in zip(
            channel_names, np.bincount(channel_index, minlength=len(channel_names)), strict=True
        )
    ]
    share_by_channel = []
    for c, name in enumerate(channel_names):
        rows = channel_index == c
        channel_shares = share_of_voice(mentions[rows])
        channel_weighted = share_of_voice(mentions[rows], engagement[rows])
        for b, brand in enumerate(brands):
            share_by_channel.append(
                {
                    "channel": name,
                    "brand": brand.name,
                    "mentions": int(mentions[rows, b].sum()),
                    "share": None
                    if np.isnan(channel_shares[b])
                    else round(float(channel_shares[b]), 4),
                    "weighted_share": None
                    if np.isnan(channel_weighted[b])
                    else round(float(channel_weighted[b]), 4),
                }
            )
    summary["share_by_channel"] = share_by_channel

    # Themes: size, sentiment, per day, examples.
    topic_count = len(themes.topics)
    assignment = themes.assignment.astype(np.int64)
    theme_sentiment = _counts3(sentiment, assignment, max(topic_count, 1))
    theme_days = np.bincount(
        (assignment * days + day_index)[assignment >= 0], minlength=max(topic_count, 1) * days
    )[: max(topic_count, 1) * days].reshape(max(topic_count, 1), days)
    # Sentiment per theme and week: (negative, neutral, positive) for every (theme, week).
    themed = assignment >= 0
    theme_weeks = _counts3(
        sentiment[themed],
        assignment[themed] * weeks + week_index[themed],
        max(topic_count, 1) * weeks,
    ).reshape(max(topic_count, 1), weeks, 3)
    for topic in themes.topics:
        summary["themes"].append(
            {
                "index": topic.index,
                "name": topic.name,
                "terms": list(topic.terms),
                "weights": list(topic.weights),
                "size": topic.size,
                "examples": [{"key": keys[i], "text": texts[i][:500]} for i in topic.examples],
                "by_day": [int(v) for v in theme_days[topic.index]],
                "by_week": [
                    {
                        "week": _day(week_start + w * 7 * DAY),
                        "posts": int(theme_weeks[topic.index, w].sum()),
                        **_sentiment_fields(theme_weeks[topic.index, w]),
                    }
                    for w in range(weeks)
                ],
                "brands": [
                    int(mentions[assignment == topic.index, b].sum()) for b in range(len(brands))
                ],
                **_sentiment_fields(theme_sentiment[topic.index]),
            }
        )
    summary["days"] = days
    summary["first_day"] = _day(start_day)

    # Spikes: hourly series of all posts, negative posts, each brand and each theme.
    series: list[tuple[str, str, npt.NDArray[np.bool_] | None]] = [("all", "All posts", None)]
    series.append(("negative", "Negative posts", sentiment < 0))
    for b, brand in enumerate(brands):
        series.append((f"brand:{b}", brand.name, mentions[:, b]))
    for topic in themes.topics:
        series.append((f"theme:{topic.index}", topic.name, assignment == topic.index))
    engagement_order = np.argsort(-engagement, kind="stable")
    spikes = []
    shifts = []
    for code, label, selection in series:
        chosen = hour_index if selection is None else hour_index[selection]
        counts = np.bincount(chosen, minlength=hours)[:hours].astype(np.float64)
        found = detect_spikes(
            counts,
            threshold=config.spike_threshold,
            min_count=config.spike_min_count,
            cooldown=config.spike_cooldown_hours,
        )
        expected = seasonal_baseline(counts, season=168)[0] if found else counts
        for spike in found:
            first_hour = max(0, spike.start - 48)
            last_hour = min(hours, spike.end + 25)
            window = [
                {
                    "hour": _iso(start_day + h * HOUR),
                    "posts": int(counts[h]),
                    "usual": round(float(expected[h]), 1),
                }
                for h in range(first_hour, last_hour)
            ]
            in_spike = (hour_index >= spike.start) & (hour_index <= spike.end)
            if selection is not None:
                in_spike &= selection
            before = (hour_index >= spike.start - 7 * 24) & (hour_index < spike.start)
            drivers = explain(
                assignment[in_spike], assignment[before], categories=max(topic_count, 1)
            )
            brand_lift = [
                {"brand": b, "count": int(mentions[in_spike, b].sum())} for b in range(len(brands))
            ]
            spike_sentiment = _counts3(
                sentiment[in_spike], np.zeros(int(in_spike.sum()), dtype=np.int64), 1
            )[0]
            before_sentiment = _counts3(
                sentiment[before], np.zeros(int(before.sum()), dtype=np.int64), 1
            )[0]
            top_selection = engagement_order[in_spike[engagement_order]][: config.examples]
            spikes.append(
                {
                    "series": code,
                    "label": label,
                    "start": _iso(start_day + spike.start * HOUR),
                    "end": _iso(start_day + (spike.end + 1) * HOUR),
                    "peak": _iso(start_day + spike.peak * HOUR),
                    "count": spike.count,
                    "expected": spike.expected,
                    "z": round(spike.z, 2),
                    "total": spike.total,
                    "excess": round(spike.excess, 1),
                    "drivers": [
                        {
                            "theme": d.index,
                            "count": d.count,
                            "expected": round(d.expected, 1),
                            "lift": round(d.lift, 2),
                        }
                        for d in drivers
                    ],
                    "brands": brand_lift,
                    "net": _sentiment_fields(spike_sentiment)["net"],
                    "net_before": _sentiment_fields(before_sentiment)["net"],
                    "posts": [{"key": keys[i], "text": texts[i][:500]} for i in top_selection],
                    "window": window,
                }
            )
        daily = np.bincount(
            day_index if selection is None else day_index[selection], minlength=days
        )[:days]
        if code in ("all", "negative") or code.startswith("brand:"):
            for index in level_shifts(daily.astype(np.float64)):
                before_mean = float(daily[max(0, index - 7) : index].mean())
                after_mean = float(daily[index : index + 7].mean())
                shifts.append(
                    {
                        "series": code,
                        "label": label,
                        "day": _day(start_day + index * DAY),
                        "before": round(before_mean, 1),
                        "after": round(after_mean, 1),
                    }
                )
    spikes.sort(key=lambda s: (-s["excess"], s["start"]))
    summary["spikes"] = spikes
    summary["level_shifts"] = shifts
    return summary
