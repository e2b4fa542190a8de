"""One analysis over synthetic conversations finds what the generator planted."""

from __future__ import annotations

import datetime

import pyarrow.parquet as pq
import pytest

from execution2.analytics.listening.analysis import AnalysisConfig, analyze_posts
from execution2.analytics.listening.brands import BrandSpec
from execution2.analytics.listening.posts import import_posts, store_table
from execution2.analytics.synth.listening import generate_conversations


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("listening")
    talk = generate_conversations(seed=11, brand="Acme", posts=12_000)
    pq.write_table(talk.table, folder / "export.parquet")
    import_posts([folder / "export.parquet"], folder / "store")
    brands = [BrandSpec("Acme", own=True), *(BrandSpec(c) for c in talk.competitors)]
    result = analyze_posts(
        store_table(folder / "store"), brands, config=AnalysisConfig(n_themes=10, workers=1)
    )
    return talk, result


def _parse(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_the_planted_complaint_and_campaign_spikes_are_found(analysed):
    talk, result = analysed
    starts = [_parse(s["start"]) for s in result.summary["spikes"] if s["series"] == "all"]
    for planted_start, planted_end in (talk.complaint_spike, talk.campaign_spike):
        assert any(planted_start - datetime.timedelta(hours=1) <= s < planted_end for s in starts)


def test_the_brand_has_the_largest_share_of_voice(analysed):
    _, result = analysed
    brands = result.summary["brands"]
    assert brands[0]["own"]
    assert brands[0]["share"] == max(b["share"] for b in brands)
    assert sum(b["share"] for b in brands) == pytest.approx(1.0, abs=1e-3)


def test_every_post_has_a_result_row(analysed):
    talk, result = analysed
    assert result.scored.num_rows == talk.table.num_rows
    assert set(result.scored.column("sentiment").to_pylist()) <= {-1, 0, 1}
    assert result.summary["posts"] == talk.table.num_rows
    assert sum(d["posts"] for d in result.summary["by_day"]) == talk.table.num_rows


def test_the_lexicon_is_named_as_the_source_without_a_classifier(analysed):
    assert analysed[1].summary["sentiment_source"] == "lexicon"


def test_net_sentiment_per_theme_and_week_is_counted_by_hand():
    """Theme 0: week of 2026-01-05 has 2 positive, 0 negative (net +1); week of 2026-01-12 has
    1 positive, 1 negative, 1 neutral (net 0). Theme 1's one negative post is -1 in week one.
    A post with no theme counts nowhere."""
    import numpy as np

    from execution2.analytics.listening.analysis import summarize
    from execution2.analytics.listening.themes import ThemeModel, Topic

    monday = int(datetime.datetime(2026, 1, 5, 12, tzinfo=datetime.UTC).timestamp())
    day = 86_400
    seconds = np.array(
        [
            monday,
            monday + day,
            monday + 7 * day,
            monday + 8 * day,
            monday + 9 * day,
            monday + 2 * day,
            monday + 3 * day,
        ],
        dtype=np.int64,
    )
    sentiment = np.array([1, 1, 1, -1, 0, -1, 1], dtype=np.int8)
    assignment = np.array([0, 0, 0, 0, 0, 1, -1], dtype=np.int16)
    topics = (Topic(0, ("a",), (1.0,), 5, (0,)), Topic(1, ("b",), (1.0,), 1, (5,)))
    summary = summarize(
        seconds=seconds,
        channels=["forum"] * 7,
        engagement=np.zeros(7),
        mentions=np.zeros((7, 0), dtype=bool),
        brands=[],
        sentiment=sentiment,
        themes=ThemeModel(topics, assignment, np.ones(7, dtype=np.float32)),
        texts=["x"] * 7,
        keys=[str(i) for i in range(7)],
        config=AnalysisConfig(),
    )
    first, second = summary["themes"]
    assert [(w["week"], w["posts"], w["net"]) for w in first["by_week"]] == [
        ("2026-01-05", 2, 1.0),
        ("2026-01-12", 3, 0.0),
    ]
    assert [(w["posts"], w["net"]) for w in second["by_week"]] == [(1, -1.0), (0, None)]
