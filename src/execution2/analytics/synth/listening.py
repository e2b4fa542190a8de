"""Synthetic market conversations: a brand, three competitors, themes, two spikes, labels.

    >>> talk = generate_conversations(seed=7, brand="Northwind", posts=2000)
    >>> talk.table.num_rows >= 2000
    True

Posts mention the brand, a competitor, two of them, or the market in general; each speaks
about one theme (delivery, the app, support, pricing, sustainability, product quality, the
brand's campaign) with a true sentiment. Part of the wording is easy for a lexicon ("love it",
"terrible") and part is not ("still waiting", "great, another delay", "no complaints"), as real
brand conversations are, so a classifier trained on labelled posts has something to learn.
Volume follows the hour of day and the day of week; a product-complaint spike (the brand's
product quality, negative) and a campaign spike (the brand's campaign, positive) are planted.
Every draw comes from the "listening" streams of the seed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from execution2.analytics.synth.random import stream

COMPETITOR_NAMES = (
    "Bluepeak",
    "Corvane",
    "Driftwell",
    "Elmstone",
    "Fernhall",
    "Greyfield",
    "Harrowgate",
    "Ironbridge",
)
CHANNELS = ("twitter", "forum", "review", "news", "instagram")
CHANNEL_WEIGHTS = (0.45, 0.2, 0.2, 0.05, 0.1)

# key, label, keywords an opportunity's title may share, phrases
THEMES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "delivery",
        "Delivery and shipping",
        ("delivery", "shipping", "logistics", "fulfilment", "fulfillment"),
        (
            "the delivery of my order",
            "shipping to my address",
            "the courier with my parcel",
            "order tracking for my package",
            "next day delivery",
            "the parcel locker pickup",
        ),
    ),
    (
        "app",
        "Mobile app",
        ("app", "mobile", "digital", "online", "self-service"),
        (
            "the mobile app",
            "the latest app update",
            "checkout in the app",
            "logging in to the app",
            "app notifications",
            "the app's loyalty wallet",
        ),
    ),
    (
        "support",
        "Customer support",
        ("support", "service", "customer", "care", "community"),
        (
            "customer service on the phone",
            "the support chat",
            "the helpline queue",
            "my refund request",
            "the support agent I spoke to",
            "a complaint ticket",
        ),
    ),
    (
        "pricing",
        "Pricing",
        ("price", "pricing", "value", "subscription", "premium"),
        (
            "the subscription fee",
            "the new pricing plan",
            "the monthly price",
            "a discount code",
            "the premium tier cost",
            "price match policy",
        ),
    ),
    (
        "sustainability",
        "Sustainability",
        ("sustainab", "green", "circular", "recycl", "climate"),
        (
            "the recycled packaging",
            "their carbon neutral pledge",
            "the repair and reuse scheme",
            "plastic free packaging",
            "the refill stations",
            "the sustainability report",
        ),
    ),
    (
        "quality",
        "Product quality",
        ("quality", "product", "reliab", "hardware", "device"),
        (
            "the battery life",
            "the charger cable",
            "the screen hinge",
            "build quality of the device",
            "the firmware update",
            "the device overheating",
        ),
    ),
    (
        "campaign",
        "Brand campaign",
        ("brand", "campaign", "awareness", "marketing", "social"),
        (
            "the new spring ad",
            "the {tag}Spring campaign",
            "their giveaway this week",
            "the ambassador video",
            "the pop up store",
            "the campaign song",
        ),
    ),
)
# The demo plan's opportunities (analytics.synth.plan) each theme is evidence for.
THEME_OPPORTUNITIES = {
    "sustainability": "green",
    "app": "smb",
    "support": "service",
    "campaign": "community",
}
THEME_WEIGHTS = (0.19, 0.17, 0.19, 0.13, 0.1, 0.13, 0.09)
# (negative, neutral, positive) per theme, before the brand's own lean
THEME_SENTIMENT = (
    (0.4, 0.25, 0.35),
    (0.35, 0.3, 0.35),
    (0.45, 0.25, 0.3),
    (0.4, 0.35, 0.25),
    (0.15, 0.3, 0.55),
    (0.45, 0.25, 0.3),
    (0.1, 0.3, 0.6),
)

POSITIVE_EASY = (
    "love it",
    "really great experience",
    "so happy with it",
    "excellent, thank you",
    "works perfectly",
    "absolutely amazing",
    "brilliant job",
)
POSITIVE_HARD = (
    "finally sorted in ten minutes",
    "no complaints at all",
    "exactly as promised",
    "saved me hours",
    "will order again",
    "10/10 would recommend",
    "not bad at all",
    "sorted on the first call",
)
NEGATIVE_EASY = (
    "terrible",
    "awful experience",
    "so disappointed",
    "worst ever",
    "really bad",
    "hate it",
    "useless",
)
NEGATIVE_HARD = (
    "still waiting after three weeks",
    "keeps crashing",
    "never again",
    "I want my money back",
    "great, another delay",
    "thanks for nothing",
    "second time this month it broke",
    "fine if you enjoy waiting on hold",
)
NEUTRAL_EASY = (
    "anyone know the opening hours",
    "question about",
    "just saw the news about",
    "comparing options for",
    "is it available in Canada",
    "what time does it update",
)
NEUTRAL_HARD = (
    "best way to reach someone about",
    "good morning, quick question about",
    "no idea yet how",
    "free to try? asking about",
    "anyone using",
)
OPENERS = ("",) * 12 + ("honestly", "ok so", "update:", "PSA", "lol", "hmm", "fyi", "so")
CLOSERS = ("",) * 12 + ("today", "tbh", "again", "this week", "just saying", "fwiw", "!!", "smh")
WORDS = (  # noqa: SIM905
    "morning evening weekend monday friday city town kitchen office family kids train bus coffee "
    "lunch dinner garden holiday summer winter rain sunshine neighbour friend sister brother "
    "colleague flat house street shop corner market station airport school gym park river bridge"
).split()


@dataclass(frozen=True, slots=True)
class Conversations:
    """An export file's columns, plus what the generator knows to be true."""

    table: pa.Table  # id, text, timestamp, channel, author, url, language, engagement, rating
    brand: str
    competitors: tuple[str, ...]
    theme_keys: tuple[str, ...]
    theme_labels: tuple[str, ...]
    theme_keywords: tuple[tuple[str, ...], ...]
    true_theme: npt.NDArray[np.int16]
    true_sentiment: npt.NDArray[np.int8]  # -1, 0, 1
    complaint_spike: tuple[datetime.datetime, datetime.datetime]
    campaign_spike: tuple[datetime.datetime, datetime.datetime]


def _pick(rng: np.random.Generator, options: tuple[str, ...], n: int) -> npt.NDArray[np.str_]:
    return np.asarray(options, dtype=object)[rng.integers(0, len(options), n)]


def generate_conversations(
    *,
    seed: int,
    brand: str,
    posts: int = 20_000,
    days: int = 120,
    end: datetime.date = datetime.date(2026, 11, 1),
    competitors: tuple[str, ...] | None = None,
) -> Conversations:
    rng = stream(seed, "listening", "posts")
    names = stream(seed, "listening", "competitors")
    if competitors is None:
        pool = [c for c in COMPETITOR_NAMES if c.casefold() != brand.casefold()]
        competitors = tuple(str(c) for c in names.choice(pool, 3, replace=False))
    brand_tag = "".join(ch for ch in brand if ch.isalnum())
    spike_share = 0.04
    base = int(posts * (1 - 2 * spike_share))
    n = base + 2 * int(posts * spike_share)
    start = datetime.datetime.combine(
        end - datetime.timedelta(days=days), datetime.time(), datetime.UTC
    )

    # When: day of the period (weekends quieter), hour of the day (evenings busiest).
    day_weights = np.array(
        [0.8 if (start + datetime.timedelta(d)).weekday() >= 5 else 1.0 for d in range(days)]
    )
    hour_profile = np.array(
        [2, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 9, 10, 9, 8, 8, 9, 10, 12, 13, 12, 9, 6, 4], dtype=float
    )
    day = rng.choice(days, base, p=day_weights / day_weights.sum())
    hour = rng.choice(24, base, p=hour_profile / hour_profile.sum())
    seconds = day * 86400 + hour * 3600 + rng.integers(0, 3600, base)

    theme = rng.choice(len(THEMES), base, p=THEME_WEIGHTS).astype(np.int16)
    # Who: 0 = the brand, 1..3 = competitors, 4 = the market, 5 = a comparison of two.
    who = rng.choice(6, base, p=(0.4, 0.14, 0.12, 0.1, 0.16, 0.08))
    # How people feel depends on the theme, and a little on the brand.
    feel = np.array(THEME_SENTIMENT)[theme]  # (negative, neutral, positive) per post
    feel[:, 2] += np.where(who == 1, 0.1, np.where(who == 0, -0.03, 0.0))
    feel[:, 0] -= np.where(who == 1, 0.1, np.where(who == 0, -0.03, 0.0))
    feel = np.clip(feel, 0.02, None)
    cumulative = np.cumsum(feel / feel.sum(axis=1, keepdims=True), axis=1)
    sentiment = ((rng.random(base)[:, None] > cumulative).sum(axis=1) - 1).astype(np.int8)

    # The complaint spike: the brand's product quality, negative, over ten hours.
    spike_n = int(posts * spike_share)
    complaint_day = int(days * 0.55)
    complaint_start = complaint_day * 86400 + 14 * 3600
    campaign_day = int(days * 0.8)
    campaign_start = campaign_day * 86400 + 17 * 3600
    extra_seconds = np.concatenate(
        [
            complaint_start + rng.exponential(3 * 3600, spike_n).clip(0, 10 * 3600 - 1),
            campaign_start + rng.exponential(3 * 3600, spike_n).clip(0, 10 * 3600 - 1),
        ]
    ).astype(np.int64)
    seconds = np.concatenate([seconds, extra_seconds])
    theme = np.concatenate(
        [theme, np.full(spike_n, 5, dtype=np.int16), np.full(spike_n, 6, dtype=np.int16)]
    )
    who = np.concatenate([who, np.zeros(2 * spike_n, dtype=who.dtype)])
    sentiment = np.concatenate(
        [
            sentiment,
            np.where(rng.random(spike_n) < 0.85, -1, 0).astype(np.int8),
            np.where(rng.random(spike_n) < 0.75, 1, 0).astype(np.int8),
        ]
    )

    # What: the brand reference, the theme phrase, a sentiment phrase (easy or hard for a
    # lexicon), some noise, in one of a few orders.
    competitor_of = np.where(who == 5, rng.integers(1, 4, n), who)
    all_brands = (brand, *competitors)
    handles = np.array([f"@{b.lower()}" for b in all_brands], dtype=object)
    tags = np.array([f"#{b.lower()}" for b in all_brands], dtype=object)
    plain = np.array(list(all_brands), dtype=object)
    form = rng.random(n)
    target = np.where(who == 5, 0, np.minimum(competitor_of, 3))
    target_idx = np.clip(target, 0, 3)
    reference = np.where(
        form < 0.6, plain[target_idx], np.where(form < 0.85, handles[target_idx], tags[target_idx])
    )
    market_words = _pick(rng, ("the shop", "my provider", "these companies", "the store"), n)
    reference = np.where(who == 4, market_words, reference)
    comparison = np.array([f"switched from {all_brands[c]} to" for c in range(4)], dtype=object)[
        np.clip(competitor_of, 0, 3)
    ]
    hard = rng.random(n) < 0.45
    phrase_sets = {
        (-1, False): NEGATIVE_EASY,
        (-1, True): NEGATIVE_HARD,
        (0, False): NEUTRAL_EASY,
        (0, True): NEUTRAL_HARD,
        (1, False): POSITIVE_EASY,
        (1, True): POSITIVE_HARD,
    }
    feeling = np.empty(n, dtype=object)
    for (label, is_hard), options in phrase_sets.items():
        rows = (sentiment == label) & (hard == is_hard)
        feeling[rows] = _pick(rng, options, int(rows.sum()))
    topic_phrase = np.empty(n, dtype=object)
    for index, (_, _, _, phrases) in enumerate(THEMES):
        rows = theme == index
        count = int(rows.sum())
        # Two of the theme's phrases, so a post says enough to tell what it is about.
        first = rng.integers(0, len(phrases), count)
        second = (first + rng.integers(1, len(phrases), count)) % len(phrases)
        topic_phrase[rows] = [
            f"{phrases[a]} and {phrases[b]}".replace("{tag}", f"#{brand_tag}")
            for a, b in zip(first, second, strict=True)
        ]
    opener = _pick(rng, OPENERS, n)
    closer = _pick(rng, CLOSERS, n)
    noise = _pick(rng, tuple(WORDS), n)
    order = rng.integers(0, 3, n)
    texts = []
    parts: tuple[str, ...]
    for i in range(n):
        ref = reference[i] if who[i] != 5 else f"{comparison[i]} {all_brands[0]}"
        if order[i] == 0:
            parts = (opener[i], ref, topic_phrase[i] + ":", feeling[i], closer[i])
        elif order[i] == 1:
            parts = (opener[i], feeling[i] + ",", topic_phrase[i], "from", ref, noise[i], closer[i])
        else:
            parts = (topic_phrase[i], "at", ref, "-", feeling[i], closer[i])
        texts.append(" ".join(p for p in parts if p))

    channel = np.asarray(CHANNELS, dtype=object)[rng.choice(len(CHANNELS), n, p=CHANNEL_WEIGHTS)]
    engagement = np.floor(rng.pareto(1.6, n) * 3).astype(np.int64)
    rating = np.where(
        channel == "review",
        np.clip(np.round(3 + 1.6 * sentiment + rng.normal(0, 0.6, n)), 1, 5),
        np.nan,
    )
    authors = np.char.add("user", rng.integers(1, max(1000, n // 4), n).astype(str))
    order_by_time = np.argsort(seconds, kind="stable")
    epoch = int(start.timestamp())
    timestamps = pa.array((epoch + seconds[order_by_time]) * 1_000_000, pa.int64()).cast(
        pa.timestamp("us", tz="UTC")
    )
    ids = np.char.add("p", np.arange(1, n + 1).astype(str))
    text_array = np.asarray(texts, dtype=object)[order_by_time]
    table = pa.table(
        {
            "id": pa.array(ids),
            "text": pa.array(text_array.tolist(), pa.string()),
            "timestamp": timestamps,
            "channel": pa.array(channel[order_by_time].tolist(), pa.string()),
            "author": pa.array(authors[order_by_time]),
            "url": pa.nulls(n, pa.string()),
            "language": pa.array(["en"] * n),
            "engagement": pa.array(engagement[order_by_time]),
            "rating": pa.array(rating[order_by_time], pa.float64(), from_pandas=True),
        }
    )
    return Conversations(
        table=table,
        brand=brand,
        competitors=competitors,
        theme_keys=tuple(t[0] for t in THEMES),
        theme_labels=tuple(t[1] for t in THEMES),
        theme_keywords=tuple(t[2] for t in THEMES),
        true_theme=theme[order_by_time],
        true_sentiment=sentiment[order_by_time],
        complaint_spike=(
            start + datetime.timedelta(seconds=complaint_start),
            start + datetime.timedelta(seconds=complaint_start + 10 * 3600),
        ),
        campaign_spike=(
            start + datetime.timedelta(seconds=campaign_start),
            start + datetime.timedelta(seconds=campaign_start + 10 * 3600),
        ),
    )
