"""The task queue behind core.jobs.

Embedded default: Huey on a SQLite file in the data directory, consumed by worker threads
inside `execution2 serve`; no server needed. With REDIS_URL set: Huey on Redis, consumed by
`execution2 worker` processes, and the progress cache shared through Redis too.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from huey.consumer import Consumer


def _make_huey() -> Huey:
    if settings.EXECUTION2_JOBS_IMMEDIATE:
        # Tests: run each job synchronously where it is submitted.
        return MemoryHuey("execution2", immediate=True)
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        # Redis pops each message for exactly one consumer, so any number of workers on any
        # number of machines can share the queue.
        return RedisHuey("execution2", url=redis_url, socket_connect_timeout=2)
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    return SqliteHuey("execution2", filename=str(Path(settings.DATA_DIR) / "jobs.sqlite3"))


huey = _make_huey()


@huey.task()
def run_job_task(job_id: str) -> None:
    from django.db import close_old_connections, connections

    from execution2.core.jobs import job_run

    if huey.immediate:
        job_run(job_id)
        return
    close_old_connections()
    try:
        job_run(job_id)
    finally:
        # A worker thread's connection would otherwise stay open for the thread's life.
        connections.close_all()


class EmbeddedConsumer(Consumer):  # type: ignore[misc]
    """Workers as daemon threads of the web server, which keeps its own signal handling."""

    def _set_signal_handlers(self) -> None:
        return None


def worker_prepare() -> None:
    """Before a worker (or the embedded one) takes jobs: fail the interrupted ones, then beat."""
    from execution2.core.jobs import heartbeat_thread_start, jobs_reap_interrupted

    jobs_reap_interrupted()
    heartbeat_thread_start()


def embedded_consumer_start(workers: int = 1) -> Consumer | None:
    if huey.immediate:
        return None
    worker_prepare()
    consumer = EmbeddedConsumer(huey, workers=workers, worker_type="thread", periodic=False)
    consumer.start()
    return consumer
