"""Brand tagging and share of voice, on posts counted by hand."""

from __future__ import annotations

import numpy as np
import pytest

from execution2.analytics.listening.brands import (
    BrandSpec,
    brand_codes,
    share_of_voice,
    tag_brands,
)

ACME = BrandSpec("Acme Cloud", ("Acme", "@AcmeHelp"), own=True)
TARGET = BrandSpec("Target", match_case=True)
ATT = BrandSpec("AT&T")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I love acme!", [True, False, False]),
        ("ACME is down again", [True, False, False]),
        ("Acmes and acmeish words are not the brand", [False, False, False]),
        ("snake_acme_case is one word", [False, False, False]),
        ("#acme rocks", [True, False, False]),
        ("thanks @AcmeCloud for the fix", [True, False, False]),
        ("#acme_cloud is trending", [True, False, False]),
        ("Acme   cloud, two words and extra spaces", [True, False, False]),
        ("@acmehelp any news?", [True, False, False]),
        ("@AcmeHelpDesk is someone else", [False, False, False]),
        ("écrit par Acme.", [True, False, False]),
        ("ÉlanAcme is not it", [False, False, False]),
        ("hit the target today", [False, False, False]),
        ("Target has a sale", [False, True, False]),
        ("#target deals", [False, True, False]),
        ("at&t support sucks", [False, False, True]),
        ("AT&Tx is not a word we track", [False, False, False]),
        ("acme.com and Target", [True, True, False]),
        ("", [False, False, False]),
    ],
)
def test_brand_tagging_respects_words_case_handles_and_hashtags(text, expected):
    assert tag_brands([text], [ACME, TARGET, ATT])[0].tolist() == expected


def test_a_brand_without_names_matches_nothing():
    assert not tag_brands(["anything"], [BrandSpec("  ")]).any()


def test_share_of_voice_counts_each_brand_a_post_mentions():
    # Hand count: Acme in posts 0, 1, 3 (3 mentions); Target in 1, 2 (2); AT&T none.
    posts = ["acme", "acme vs Target", "Target", "#acme", "nothing here"]
    mentions = tag_brands(posts, [ACME, TARGET, ATT])
    assert mentions.sum(axis=0).tolist() == [3, 2, 0]
    assert share_of_voice(mentions).tolist() == pytest.approx([0.6, 0.4, 0.0])
    # Weighted by engagement: Acme 10 + 1 + 4 = 15, Target 1 + 5 = 6 of 21.
    weights = np.array([10, 1, 5, 4, 100], dtype=float)
    assert share_of_voice(mentions, weights).tolist() == pytest.approx([15 / 21, 6 / 21, 0.0])
    assert brand_codes(mentions).tolist() == [1, 3, 2, 1, 0]


def test_share_of_voice_is_undefined_when_no_brand_is_mentioned():
    mentions = tag_brands(["nothing"], [ACME, TARGET])
    assert np.isnan(share_of_voice(mentions)).all()
