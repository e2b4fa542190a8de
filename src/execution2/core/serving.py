"""`execution2 serve --production`: gunicorn, configured from the settings, logging as we do.

gunicorn forks its worker processes from this one; each imports the WSGI application itself
(no preloading), so a database connection is never shared across a fork.
"""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class ProductionServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from execution2.config.wsgi import application

        return application


def gunicorn_options(*, bind: str, workers: int, threads: int, timeout: int) -> dict[str, Any]:
    from django.conf import settings

    return {
        "bind": [bind],
        "workers": workers,
        "threads": threads,
        # Threads share a process: gthread, so a slow request doesn't hold a whole process.
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": timeout,
        "graceful_timeout": 30,
        "keepalive": 5,
        # A worker is replaced after this many requests, which bounds any slow leak.
        "max_requests": 2000,
        "max_requests_jitter": 200,
        # Our RequestIdMiddleware writes the request lines; gunicorn's own messages go
        # through the same JSON handler.
        "accesslog": None,
        "logconfig_dict": settings.LOGGING,
        "proc_name": "execution2-web",
        # nginx on the same host is the only client that may claim X-Forwarded-*.
        "forwarded_allow_ips": "127.0.0.1,::1",
        "control_socket_disable": True,
    }


def production_serve(*, bind: str, workers: int, threads: int, timeout: int) -> None:
    ProductionServer(
        gunicorn_options(bind=bind, workers=workers, threads=threads, timeout=timeout)
    ).run()
