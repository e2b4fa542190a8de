"""Labelled posts and the classifier trained on them; resetting listening."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from execution2.analytics.listening.sentiment import (
    MIN_LABELS,
    SentimentClassifier,
    codes_from_labels,
    evaluate,
    lexicon_scores_parallel,
)
from execution2.core.tabular import ImportRefused, Problem, read_table
from execution2.listening import store
from execution2.listening.models import (
    AnalysisRun,
    Brand,
    SentimentLabel,
    SentimentLabelValue,
    SentimentModel,
    Theme,
)
from execution2.orgs.models import Organization
from execution2.orgs.services import audit_record

Progress = Callable[[str, int, int], None]


def _noop(phase: str, done: int, total: int) -> None:
    return None


def text_key(text: str) -> str:
    normalised = " ".join(text.split()).casefold()
    return hashlib.md5(f"text\x1f{normalised}".encode(), usedforsecurity=False).hexdigest()


def id_key(post_id: str) -> str:
    # The same key the store gives a post with this id (analytics.listening.posts).
    return hashlib.md5(f"id\x1f{post_id}".encode(), usedforsecurity=False).hexdigest()


@transaction.atomic
def label_set(
    *, organization: Organization, key: str, label: str, actor: Any = None
) -> SentimentLabel:
    """Label a stored post (by its key) from the labelling page."""
    if label not in SentimentLabelValue.values:
        raise ValidationError({"label": "Choose negative, neutral or positive."})
    post = store.posts_by_keys(organization, [key]).get(key)
    if post is None:
        raise ValidationError("That post is not among the imported conversations.")
    existing = SentimentLabel.objects.filter(organization=organization, key=key).first()
    if existing is not None:
        existing.label = label
        existing.save(update_fields=["label"])
        return existing
    return SentimentLabel.objects.create(
        organization=organization,
        key=key,
        text=post["text"],
        label=label,
        source="page",
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )


@dataclass(frozen=True, slots=True)
class LabelsImportResult:
    created: int
    updated: int

    def summary(self) -> str:
        return f"Labels: {self.created:,} new, {self.updated:,} changed."


LABEL_WORDS = {
    "negative": "negative",
    "neg": "negative",
    "-1": "negative",
    "neutral": "neutral",
    "neu": "neutral",
    "0": "neutral",
    "positive": "positive",
    "pos": "positive",
    "1": "positive",
    "+1": "positive",
}


def labels_import(
    *,
    organization: Organization,
    source: str | Path | IO[bytes],
    file_name: str,
    actor: Any = None,
    label_source: str = "file",
    progress: Progress | None = None,
) -> LabelsImportResult:
    """Import labelled posts: `label` and either `id` (of an imported post) or `text`."""
    progress = progress or _noop
    table = read_table(
        source,
        known_columns=("id", "text", "label"),
        required_columns=("label",),
        file_name=file_name,
    )
    problems = list(table.problems)
    if not problems and "id" not in table.columns and "text" not in table.columns:
        problems.append(
            Problem(
                file_name,
                1,
                "id",
                "the file needs an 'id' column (of imported posts) or a 'text' column",
            )
        )
    if problems:
        raise ImportRefused(problems)
    wanted_ids = {str(table.value(cells, "id") or "").strip(): row for row, cells in table.rows}
    wanted_ids.pop("", None)
    known = store.posts_by_keys(organization, [id_key(i) for i in wanted_ids]) if wanted_ids else {}
    labels: dict[str, tuple[str, str]] = {}
    for row, cells in table.rows:
        progress("read", len(labels), len(table.rows))
        raw_label = str(table.value(cells, "label") or "").strip().casefold()
        label = LABEL_WORDS.get(raw_label)
        if label is None:
            problems.append(
                Problem(
                    file_name,
                    row,
                    table.header_of("label"),
                    f"{raw_label or 'an empty label'!r} is not negative, neutral or positive",
                )
            )
            continue
        post_id = str(table.value(cells, "id") or "").strip()
        text = str(table.value(cells, "text") or "").strip()
        if post_id:
            post = known.get(id_key(post_id))
            if post is not None:
                labels[id_key(post_id)] = (post["text"], label)
                continue
            if not text:
                problems.append(
                    Problem(
                        file_name,
                        row,
                        table.header_of("id"),
                        f"no imported post has the id {post_id!r} (import the conversations "
                        "first, or add a 'text' column)",
                    )
                )
                continue
        if not text:
            problems.append(
                Problem(file_name, row, table.header_of("text"), "the post's text is empty")
            )
            continue
        labels[text_key(text)] = (text, label)
    if problems:
        raise ImportRefused(problems)
    if not labels:
        raise ImportRefused([Problem(file_name, 1, "-", "the file holds no labelled posts")])
    progress("write", 0, len(labels))
    created = updated = 0
    user = actor if actor is not None and actor.is_authenticated else None
    with transaction.atomic():
        existing = {
            label.key: label
            for label in SentimentLabel.objects.filter(
                organization=organization, key__in=list(labels)
            )
        }
        changed = []
        new = []
        for key, (text, label) in labels.items():
            current = existing.get(key)
            if current is None:
                new.append(
                    SentimentLabel(
                        organization=organization,
                        key=key,
                        text=text,
                        label=label,
                        source=label_source,
                        created_by=user,
                    )
                )
            elif current.label != label:
                current.label = label
                changed.append(current)
        SentimentLabel.objects.bulk_create(new, batch_size=2000)
        SentimentLabel.objects.bulk_update(changed, ["label"], batch_size=2000)
        created, updated = len(new), len(changed)
        audit_record(
            organization=organization,
            actor=actor,
            action="listening.labels",
            detail={"file": file_name, "created": created, "updated": updated},
        )
    progress("write", len(labels), len(labels))
    return LabelsImportResult(created, updated)


def classifier_train(
    *, organization: Organization, actor: Any = None, progress: Progress | None = None
) -> SentimentModel:
    """Train on every label, cross-validate against the lexicon, and use it if it wins."""
    progress = progress or _noop
    rows = list(
        SentimentLabel.objects.filter(organization=organization)
        .order_by("pk")
        .values_list("text", "label")
    )
    if len(rows) < MIN_LABELS:
        raise ValidationError(
            f"Label at least {MIN_LABELS} posts before training; there are {len(rows)}."
        )
    texts = [t for t, _ in rows]
    labels = codes_from_labels([label for _, label in rows])
    progress("train", 0, 2)
    lexicon = lexicon_scores_parallel(texts)
    evaluation = evaluate(texts, labels, lexicon=lexicon)
    progress("train", 1, 2)
    classifier = SentimentClassifier().fit(texts, labels, lexicon)
    file_name = f"classifier-{uuid.uuid4().hex}.pkl"
    store.classifier_path(organization, file_name).write_bytes(classifier.to_bytes())
    with transaction.atomic():
        for old in SentimentModel.objects.filter(organization=organization):
            store.classifier_path(organization, old.file_name).unlink(missing_ok=True)
        SentimentModel.objects.filter(organization=organization).delete()
        model = SentimentModel.objects.create(
            organization=organization,
            created_by=actor if actor is not None and actor.is_authenticated else None,
            labels=len(rows),
            evaluation=evaluation.as_dict(),
            in_use=evaluation.trained_wins,
            file_name=file_name,
        )
        audit_record(
            organization=organization,
            actor=actor,
            action="listening.train",
            detail={"labels": len(rows), **evaluation.as_dict()},
        )
    progress("train", 2, 2)
    return model


def listening_reset(*, organization: Organization) -> None:
    """Forget every post, brand, result, theme, label and classifier (the demo rebuilds them)."""
    import shutil

    with transaction.atomic():
        AnalysisRun.objects.filter(organization=organization).delete()
        Brand.objects.filter(organization=organization).delete()
        Theme.objects.filter(organization=organization).delete()
        SentimentLabel.objects.filter(organization=organization).delete()
        SentimentModel.objects.filter(organization=organization).delete()
    shutil.rmtree(store.folder(organization), ignore_errors=True)
