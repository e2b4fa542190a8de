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
