"""What a load balancer asks: is the process alive (`/healthz`), can it serve (`/readyz`)?

Both are answered by `HealthCheckMiddleware` before the security middleware, because a load
balancer probes by address (no allowed host) over plain HTTP (no HTTPS redirect), and before
sessions and authentication, which would touch the database the probe is checking.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

Check = Callable[[], None]


def _database() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _redis() -> None:
    import redis

    client = redis.Redis.from_url(
        os.environ["REDIS_URL"], socket_connect_timeout=2, socket_timeout=2
    )
    try:
        client.ping()
    finally:
        client.close()


def _data_dir() -> None:
    probe = Path(settings.DATA_DIR) / f".ready-{uuid.uuid4().hex}"
    try:
        probe.write_bytes(b"ok")
    finally:
        probe.unlink(missing_ok=True)


def readiness_checks() -> dict[str, Check]:
    checks: dict[str, Check] = {"database": _database}
    if os.environ.get("REDIS_URL"):
        checks["redis"] = _redis
    checks["data_dir"] = _data_dir
    return checks


def readiness() -> tuple[bool, dict[str, str]]:
    """Every check's outcome, "ok" or the kind of error (never its text: it may hold a URL)."""
    results: dict[str, str] = {}
    for name, check in readiness_checks().items():
        try:
            check()
        except Exception as error:
            results[name] = f"error: {type(error).__name__}"
            if name == "database":
                _forget_broken_connection()
        else:
            results[name] = "ok"
    return all(value == "ok" for value in results.values()), results


def _forget_broken_connection() -> None:
    # The next probe or request then connects afresh instead of reusing a dead socket.
    from django.db import connection

    try:
        connection.close()
    except Exception:  # Closing a socket the server already dropped may fail too.
        return
