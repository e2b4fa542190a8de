"""Demo conversations: the company's brand, three competitors, themes tied to the plan's
opportunities, a complaint spike and a campaign spike, and a few thousand labelled posts.

Loaded through the same services as real data: the posts as an export file, the labels as a
labelled file, then training and one analysis. Running it again replaces the demo's listening.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from django.utils import timezone

from execution2.analytics.synth import SyntheticOrganization
from execution2.analytics.synth.listening import (
    THEME_OPPORTUNITIES,
    THEMES,
    generate_conversations,
)
from execution2.analytics.synth.random import stream
from execution2.listening.links import opportunities_for
from execution2.listening.selectors import theme_views
from execution2.listening.services import (
    analysis_run,
    brand_save,
    classifier_train,
    labels_import,
    listening_reset,
    posts_import,
    theme_link,
    theme_merge,
    theme_rename,
)
from execution2.orgs.models import Organization

LABELS = {-1: "negative", 0: "neutral", 1: "positive"}


def demo_posts(people: int) -> int:
    return max(5000, min(people * 25, 400_000))


def demo_extend(
    *,
    organization: Organization,
    company: SyntheticOrganization,
    seed: int,
    progress: Callable[[str, int, int], None] | None = None,
    **options: Any,
) -> str:
    brand = company.name.split()[0]
    posts = int(options.get("listening_posts") or demo_posts(len(company.people)))
    talk = generate_conversations(seed=seed, brand=brand, posts=posts, end=timezone.localdate())
    listening_reset(organization=organization)
    brand_save(
        organization=organization,
        name=brand,
        aliases=[f"{brand} {company.name.split()[-1]}", f"@{brand.lower()}support"],
        own=True,
    )
    for competitor in talk.competitors:
        brand_save(organization=organization, name=competitor)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo-conversations.parquet"
        pq.write_table(talk.table, path)
        imported = posts_import(
            organization=organization,
            paths=[path],
            file_names=["demo-conversations.parquet"],
            progress=progress,
        )
    # A few thousand labelled posts, as an analyst would have labelled them.
    rng = stream(seed, "listening", "labels")
    count = min(int(options.get("listening_labels") or 3000), talk.table.num_rows)
    chosen = sorted(rng.choice(talk.table.num_rows, count, replace=False).tolist())
    ids = talk.table.column("id").to_pylist()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "label"])
    # People disagree about some posts: about one label in twelve differs from the truth.
    noise = rng.random(count) < 1 / 12
    shifted = rng.integers(1, 3, count)
    for position, row in enumerate(chosen):
        truth = int(talk.true_sentiment[row])
        label = (truth + 1 + shifted[position]) % 3 - 1 if noise[position] else truth
        writer.writerow([ids[row], LABELS[label]])
    labels_import(
        organization=organization,
        source=io.BytesIO(buffer.getvalue().encode()),
        file_name="demo-labels.csv",
        label_source="demo",
    )
    model = classifier_train(organization=organization)
    run = analysis_run(organization=organization, n_themes=12, progress=progress)
    linked = _name_and_link_themes(organization)
    spikes = len(run.summary.get("spikes", []))
    accuracy = model.evaluation
    return (
        f"Listening: {imported.total:,} posts about {brand} and {', '.join(talk.competitors)}; "
        f"{spikes} spikes; classifier {accuracy['trained_accuracy']:.0%} vs lexicon "
        f"{accuracy['lexicon_accuracy']:.0%}; {linked} themes linked to opportunities."
    )


def _name_and_link_themes(organization: Organization) -> int:
    """Name each discovered theme after the planted theme its terms come from, merge the
    themes that split one planted theme, and link them to the plan's opportunities."""
    vocabulary = [
        {w.strip(":,'s").casefold() for phrase in phrases for w in phrase.split()}
        for _, _, _, phrases in THEMES
    ]
    opportunities = {getattr(o, "key", None): o for o in opportunities_for(organization)}
    first: dict[int, Any] = {}
    linked = 0
    for view in theme_views(organization):
        terms = view.terms[:6]
        overlaps = [len(set(terms) & words) for words in vocabulary]
        best = max(range(len(THEMES)), key=lambda i: overlaps[i])
        if overlaps[best] < 2:
            continue
        theme = view.theme
        if best in first:
            theme_merge(organization=organization, theme=theme, into=first[best])
            continue
        first[best] = theme_rename(organization=organization, theme=theme, name=THEMES[best][1])
        opportunity = opportunities.get(THEME_OPPORTUNITIES.get(THEMES[best][0]))
        if opportunity is not None:
            theme_link(organization=organization, theme=theme, opportunity_id=opportunity.pk)
            linked += 1
    return linked
