"""Long work of market listening, run through core.jobs (pages submit, workers run)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from execution2.core.jobs import Progress, job_handler
from execution2.core.models import Job
from execution2.listening.services import (
    analysis_run,
    classifier_train,
    labels_import,
    posts_import,
)


@job_handler("listening.import")
def posts_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    result = posts_import(
        organization=job.organization,
        paths=[Path(job.params["path"])],
        file_names=[job.params["file_name"]],
        default_channel=job.params.get("channel") or None,
        actor=job.created_by,
        progress=progress,
    )
    return {"summary": result.summary(), "new": result.new, "total": result.total}


@job_handler("listening.analyze")
def analysis_job(job: Job, progress: Progress) -> dict[str, Any]:
    since = job.params.get("since")
    run = analysis_run(
        organization=job.organization,
        since=datetime.date.fromisoformat(since) if since else None,
        n_themes=int(job.params.get("n_themes") or 20),
        actor=job.created_by,
        progress=progress,
    )
    summary = run.summary
    return {
        "summary": (
            f"Analysed {run.posts:,} posts: {len(summary.get('themes', []))} themes, "
            f"{len(summary.get('spikes', []))} spikes; sentiment from the "
            + ("trained classifier." if run.sentiment_source == "trained" else "lexicon.")
        ),
        "run": run.pk,
    }


@job_handler("listening.labels")
def labels_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    result = labels_import(
        organization=job.organization,
        source=job.params["path"],
        file_name=job.params["file_name"],
        actor=job.created_by,
        progress=progress,
    )
    return {"summary": result.summary(), "created": result.created, "updated": result.updated}


@job_handler("listening.train")
def train_job(job: Job, progress: Progress) -> dict[str, Any]:
    model = classifier_train(organization=job.organization, actor=job.created_by, progress=progress)
    evaluation = model.evaluation
    verdict = (
        "it beats the lexicon and is now in use"
        if model.in_use
        else "the lexicon is still better, so it stays in use"
    )
    return {
        "summary": (
            f"Trained on {model.labels:,} labels: {evaluation['trained_accuracy']:.1%} accuracy "
            f"against {evaluation['lexicon_accuracy']:.1%} for the lexicon; {verdict}."
        ),
        "model": model.pk,
    }
