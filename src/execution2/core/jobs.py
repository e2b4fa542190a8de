"""Long work through one interface: submitted from a page, run by a worker, or in the foreground.

A handler is a function `(job, progress) -> dict` registered under a kind with `@job_handler`,
in a module named `jobs.py` of any installed app (they are imported at start-up). Pages call
`job_submit`; the worker (the embedded one inside `execution2 serve`, or `execution2 worker`
processes in production) runs `job_run`; the command line calls handlers directly with a
progress bar. A handler raises `ImportRefused` for bad input: the job then fails with the
problems listed, exactly as the command line prints them.
"""

from __future__ import annotations

import logging
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from execution2.core.models import Job, JobStatus
from execution2.core.tabular import ImportRefused

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
Handler = Callable[[Job, Progress], dict[str, Any]]
_HANDLERS: dict[str, Handler] = {}
PROGRESS_TTL_S = 24 * 3600


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        _HANDLERS[kind] = function
        return function

    return register


def upload_dir(job_id: uuid.UUID) -> Path:
    return Path(settings.DATA_DIR) / "uploads" / str(job_id)


def upload_store(job_id: uuid.UUID, upload: UploadedFile) -> str:
    """Keep an uploaded file until its job has run; returns the path for the handler."""
    folder = upload_dir(job_id)
    folder.mkdir(parents=True, exist_ok=True)
    # Only the base name, so an uploaded name can't point outside the folder.
    target = folder / Path(upload.name or "upload").name
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return str(target)


def job_submit(
    *,
    organization: Any,
    kind: str,
    label: str,
    params: dict[str, Any],
    actor: AbstractBaseUser | AnonymousUser | None,
    upload: UploadedFile | None = None,
) -> Job:
    if kind not in _HANDLERS:
        raise ValueError(f"no job handler for {kind!r}")
    job = Job(
        id=uuid.uuid4(),
        organization=organization,
        kind=kind,
        label=label,
        params=dict(params),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    if upload is not None:
        job.params["path"] = upload_store(job.id, upload)
        job.params["file_name"] = Path(upload.name or "upload").name
    job.save()
    from execution2.config.tasks import run_job_task

    transaction.on_commit(lambda: run_job_task(str(job.id)))
    return job


def _progress_key(job_id: object) -> str:
    return f"job-progress:{job_id}"


def job_progress(job: Job) -> dict[str, Any]:
    """{"phase", "done", "total"} of a running job, or an empty dict."""
    value = cache.get(_progress_key(job.id))
    return value if isinstance(value, dict) else {}


def job_run(job_id: str | uuid.UUID) -> Job | None:
    """Run a queued job to its end; every outcome is recorded on the job, nothing escapes."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != JobStatus.QUEUED:
            return job
        job.status = JobStatus.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])

    last_write = 0.0

    def progress(phase: str, done: int, total: int) -> None:
        nonlocal last_write
        now = time.monotonic()
        if now - last_write >= 0.25 or done >= total:
            last_write = now
            cache.set(
                _progress_key(job.id),
                {"phase": phase, "done": done, "total": total},
                PROGRESS_TTL_S,
            )

    try:
        result = _HANDLERS[job.kind](job, progress)
    except ImportRefused as refused:
        job.status = JobStatus.FAILED
        job.problems = [str(p) for p in refused.problems]
        job.message = f"{len(refused.problems)} problem(s); nothing was imported."
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        job.status = JobStatus.FAILED
        job.message = "The work failed unexpectedly and nothing was changed. It has been logged."
    else:
        job.status = JobStatus.SUCCEEDED
        job.result = result
        job.message = str(result.get("summary", "Done."))
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "problems", "message", "result", "finished_at"])
    cache.delete(_progress_key(job.id))
    shutil.rmtree(upload_dir(job.id), ignore_errors=True)
    return job
