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
import os
import shutil
import socket
import threading
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
    # The row lock and the status check make a job run once, whichever worker took its
    # message and however many times it was delivered.
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != JobStatus.QUEUED:
            return job
        job.status = JobStatus.RUNNING
        job.started_at = timezone.now()
        job.worker = worker_id()
        job.save(update_fields=["status", "started_at", "worker"])

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


# --- workers that die ----------------------------------------------------------------------------
#
# A worker killed mid-job (OOM, a deploy, a lost machine) leaves nothing half-written, because
# every handler writes in one transaction (and Parquet generations are switched only after the
# files are complete), but its job row still says "running". Each worker process therefore
# keeps a heartbeat in the cache (Redis in production, shared by every machine); a running job
# whose worker has no heartbeat, and is not a live process on this host, is marked failed and
# offered for a retry.

HEARTBEAT_TTL_S = 30
HEARTBEAT_EVERY_S = 10
INTERRUPTED_MESSAGE = (
    "The worker running this stopped before it finished; nothing it was writing was kept. Retry it."
)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _heartbeat_key(worker: str) -> str:
    return f"worker-alive:{worker}"


def worker_heartbeat() -> None:
    cache.set(_heartbeat_key(worker_id()), time.time(), HEARTBEAT_TTL_S)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _worker_alive(worker: str) -> bool:
    if cache.get(_heartbeat_key(worker)) is not None:
        return True
    host, _, pid = worker.rpartition(":")
    return host == socket.gethostname() and pid.isdigit() and _process_alive(int(pid))


def jobs_reap_interrupted() -> list[Job]:
    """Mark running jobs whose worker is gone as failed (interrupted); returns them."""
    reaped = []
    for job in Job.objects.filter(status=JobStatus.RUNNING).exclude(worker=""):
        if _worker_alive(job.worker):
            continue
        updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED,
            interrupted=True,
            message=INTERRUPTED_MESSAGE,
            finished_at=timezone.now(),
        )
        if updated:
            logger.warning(
                "job %s (%s) was interrupted: worker %s is gone", job.pk, job.kind, job.worker
            )
            job.refresh_from_db()
            reaped.append(job)
    return reaped


def heartbeat_thread_start() -> threading.Thread:
    """Beat for this process and reap other workers' interrupted jobs, every few seconds."""

    def beat() -> None:
        from django.db import close_old_connections

        while True:
            try:
                worker_heartbeat()
                jobs_reap_interrupted()
            except Exception:  # Redis or the database away: try again at the next beat.
                logger.warning("worker heartbeat failed", exc_info=True)
            finally:
                close_old_connections()
            time.sleep(HEARTBEAT_EVERY_S)

    thread = threading.Thread(target=beat, name="execution2-heartbeat", daemon=True)
    thread.start()
    return thread


def job_retry(*, job: Job, actor: AbstractBaseUser | AnonymousUser | None) -> Job:
    """Queue an interrupted job again, as a new job with the same input (its upload kept)."""
    if not (job.status == JobStatus.FAILED and job.interrupted):
        raise ValueError("only a job interrupted by a stopped worker can be retried")
    if job.retries.exists():
        raise ValueError("this job has been retried already")
    retry = Job(
        id=uuid.uuid4(),
        organization=job.organization,
        kind=job.kind,
        label=job.label,
        params=dict(job.params),
        created_by=actor if actor is not None and actor.is_authenticated else None,
        retry_of=job,
    )
    old_upload = upload_dir(job.id)
    if "path" in job.params:
        if not old_upload.exists():
            raise ValueError("the uploaded file of this job is gone; upload it again")
        new_upload = upload_dir(retry.id)
        shutil.copytree(old_upload, new_upload)
        retry.params["path"] = str(new_upload / Path(job.params["path"]).name)
    with transaction.atomic():
        retry.save()
        from execution2.config.tasks import run_job_task

        transaction.on_commit(lambda: run_job_task(str(retry.id)))
    shutil.rmtree(old_upload, ignore_errors=True)
    return retry
