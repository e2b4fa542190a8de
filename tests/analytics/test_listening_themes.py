"""Theme discovery recovers topics planted in synthetic text, and themes keep their identity."""

from __future__ import annotations

import numpy as np

from execution2.analytics.listening.themes import discover_themes, match_topics

TOPICS = {
    "battery": ["battery", "charge", "charging", "drains", "charger", "overnight"],
    "shipping": ["delivery", "shipping", "package", "courier", "arrived", "parcel"],
    "price": ["price", "expensive", "discount", "subscription", "pricing", "refund"],
    "app": ["app", "login", "crash", "update", "screen", "notification"],
}
FILLER = [
    "the",
    "a",
    "really",
    "my",
    "this",
    "is",
    "so",
    "and",
    "it",
    "today",
    "just",
    "honestly",
    "with",
    "for",
]


def planted(n: int, seed: int) -> tuple[list[str], np.ndarray]:
    rng = np.random.default_rng(seed)
    names = list(TOPICS)
    truth = rng.integers(0, len(names), n)
    texts = []
    for topic in truth:
        words = list(rng.choice(TOPICS[names[topic]], 3)) + list(rng.choice(FILLER, 6))
        rng.shuffle(words)
        texts.append(" ".join(words))
    return texts, truth


def test_planted_topics_are_recovered_as_themes():
    texts, truth = planted(4000, seed=3)
    model = discover_themes(texts, n_themes=4, seed=0)
    assert len(model.topics) == 4
    # Each found theme is mostly one planted topic, and each planted topic gets its own theme.
    purity = []
    dominant = set()
    for topic in model.topics:
        members = truth[model.assignment == topic.index]
        counts = np.bincount(members, minlength=4)
        purity.append(counts.max() / max(1, counts.sum()))
        dominant.add(int(counts.argmax()))
        planted_words = set(TOPICS[list(TOPICS)[counts.argmax()]])
        assert set(topic.terms[:4]) <= planted_words
    assert min(purity) > 0.95
    assert dominant == {0, 1, 2, 3}
    assert (model.assignment >= 0).mean() > 0.95


def test_themes_name_themselves_and_show_distinct_examples():
    texts, _ = planted(1000, seed=4)
    texts += ["battery charge drains"] * 50  # copies of one post
    model = discover_themes(texts, n_themes=4, seed=0, examples=5)
    for topic in model.topics:
        assert topic.name == " · ".join(topic.terms[:3])
        examples = [texts[i] for i in topic.examples]
        assert len(examples) == len(set(examples)) == 5
        assert all(model.assignment[i] == topic.index for i in topic.examples)


def test_brand_names_given_as_stop_words_never_become_theme_terms():
    texts, _ = planted(1000, seed=5)
    texts = [f"{t} Acme" for t in texts]
    model = discover_themes(texts, n_themes=4, seed=0, stop_words=["Acme"])
    assert all("acme" not in topic.terms for topic in model.topics)


def test_new_topics_match_the_old_themes_with_the_same_terms():
    old = [{"battery": 0.5, "charge": 0.5}, {"price": 0.6, "discount": 0.4}]
    new = [
        {"price": 0.5, "discount": 0.3, "cost": 0.2},
        {"login": 1.0},
        {"battery": 0.7, "charge": 0.3},
    ]
    assert match_topics(old, new) == {0: 1, 2: 0}


def test_no_posts_no_themes():
    model = discover_themes([], n_themes=5)
    assert model.topics == ()
    assert len(model.assignment) == 0
