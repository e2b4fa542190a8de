"""Vega-Lite specifications of the listening pages (plain dicts with inline data)."""

from __future__ import annotations

from typing import Any

from execution2.analytics.listening.sentiment import net_sentiment

SENTIMENT_COLORS = {
    "domain": ["negative", "neutral", "positive"],
    "range": ["#c2410c", "#94a3b8", "#15803d"],
}


def volume_spec(by_day: list[dict[str, Any]]) -> dict[str, Any]:
    values = [
        {"day": d["day"], "sentiment": name, "posts": d[name]}
        for d in by_day
        for name in ("negative", "neutral", "positive")
    ]
    return {
        "width": "container",
        "height": 220,
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {"field": "day", "type": "temporal", "title": None},
            "y": {
                "field": "posts",
                "type": "quantitative",
                "stack": True,
                "title": "Posts per day",
            },
            "color": {
                "field": "sentiment",
                "type": "nominal",
                "scale": SENTIMENT_COLORS,
                "title": "Sentiment",
            },
            "order": {"field": "sentiment"},
        },
    }


def share_of_voice_spec(by_week: list[dict[str, Any]], weighted: bool = False) -> dict[str, Any]:
    field = "weighted_share" if weighted else "share"
    values = [
        {
            "week": row["week"],
            "brand": row["brand"],
            "share": row[field],
            "mentions": row["mentions"],
        }
        for row in by_week
        if row[field] is not None
    ]
    return {
        "width": "container",
        "height": 220,
        "data": {"values": values},
        "mark": {"type": "area", "tooltip": True},
        "encoding": {
            "x": {"field": "week", "type": "temporal", "title": "Week"},
            "y": {
                "field": "share",
                "type": "quantitative",
                "stack": "normalize",
                "title": "Share of voice",
                "axis": {"format": "%"},
            },
            "color": {"field": "brand", "type": "nominal", "title": "Brand"},
        },
    }


def net_sentiment_spec(by_week: list[dict[str, Any]]) -> dict[str, Any]:
    values = [
        {"week": row["week"], "brand": row["brand"], "net sentiment": row["net"]}
        for row in by_week
        if row["net"] is not None
    ]
    return {
        "width": "container",
        "height": 200,
        "data": {"values": values},
        "mark": {"type": "line", "point": True, "tooltip": True},
        "encoding": {
            "x": {"field": "week", "type": "temporal", "title": "Week"},
            "y": {
                "field": "net sentiment",
                "type": "quantitative",
                "scale": {"domain": [-1, 1]},
                "title": "Net sentiment",
            },
            "color": {"field": "brand", "type": "nominal", "title": "Brand"},
        },
    }


def theme_trend_spec(days: list[str], counts: list[int]) -> dict[str, Any]:
    return {
        "width": "container",
        "height": 160,
        "data": {"values": [{"day": d, "posts": c} for d, c in zip(days, counts, strict=False)]},
        "mark": {"type": "area", "line": True, "tooltip": True, "opacity": 0.4},
        "encoding": {
            "x": {"field": "day", "type": "temporal", "title": None},
            "y": {"field": "posts", "type": "quantitative", "title": "Posts per day"},
        },
    }


def theme_sentiment_spec(weeks: list[dict[str, Any]]) -> dict[str, Any]:
    """Net sentiment, (positive - negative) / (positive + negative), per week; weeks with no
    opinionated post are left out rather than drawn as zero."""
    values = []
    for week in weeks:
        net = net_sentiment(week["positive"], week["negative"])
        if net is not None:
            values.append({"week": week["week"], "net": round(net, 3), "posts": week["posts"]})
    return {
        "width": "container",
        "height": 160,
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "rule", "strokeDash": [4, 3], "opacity": 0.5},
                "encoding": {"y": {"datum": 0}},
            },
            {
                "mark": {"type": "line", "point": True, "tooltip": True},
                "encoding": {
                    "x": {"field": "week", "type": "temporal", "title": "Week"},
                    "y": {
                        "field": "net",
                        "type": "quantitative",
                        "title": "Net sentiment",
                        "scale": {"domain": [-1, 1]},
                    },
                },
            },
        ],
    }


def theme_sizes_spec(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "width": "container",
        "height": {"step": 22},
        "data": {"values": rows},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "y": {"field": "theme", "type": "nominal", "sort": None, "title": None},
            "x": {"field": "posts", "type": "quantitative", "stack": True, "title": "Posts"},
            "color": {
                "field": "sentiment",
                "type": "nominal",
                "scale": SENTIMENT_COLORS,
                "title": "Sentiment",
            },
        },
    }


def brand_mentions_spec(by_day: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "width": "container",
        "height": 200,
        "data": {"values": by_day},
        "mark": {"type": "line", "tooltip": True, "interpolate": "monotone"},
        "encoding": {
            "x": {"field": "day", "type": "temporal", "title": None},
            "y": {"field": "mentions", "type": "quantitative", "title": "Mentions per day"},
            "color": {"field": "brand", "type": "nominal", "title": "Brand"},
        },
    }


def spike_window_spec(window: list[dict[str, Any]]) -> dict[str, Any]:
    values = [
        {"hour": row["hour"], "series": name, "posts": row[key]}
        for row in window
        for key, name in (("posts", "posts"), ("usual", "usual for the hour of the week"))
    ]
    return {
        "width": "container",
        "height": 140,
        "data": {"values": values},
        "mark": {"type": "line", "tooltip": True},
        "encoding": {
            "x": {"field": "hour", "type": "temporal", "title": None},
            "y": {"field": "posts", "type": "quantitative", "title": "Posts per hour"},
            "color": {"field": "series", "type": "nominal", "title": None},
            "strokeDash": {"field": "series", "type": "nominal", "title": None},
        },
    }
