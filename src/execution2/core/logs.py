"""JSON log lines that carry the id of the request (or job) they were written for.

One line per record on standard error, so systemd's journal or any log shipper takes them as
they are. The request id comes from `RequestIdMiddleware` through a context variable, so every
line written while a request is served (by Django, by our code, by a library) carries it
without anyone passing it along.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import uuid
from typing import Any

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# A proxy's id is kept only when it is short and harmless in a log line and a header.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

# Attributes every LogRecord has; anything else was passed in `extra=` and is logged too.
_STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


def request_id_from(header: str | None) -> str:
    """The id to use for a request: the caller's X-Request-ID when it is safe, else a new one."""
    if header and _SAFE_REQUEST_ID.match(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (an empty string outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", "request_id", ...extra, "exception"}` per line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id_var.get(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def logging_config(*, json_lines: bool, level: str) -> dict[str, Any]:
    """The LOGGING setting: JSON lines in production, plain text in development."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "execution2.core.logs.RequestIdFilter"}},
        "formatters": {
            "json": {"()": "execution2.core.logs.JsonFormatter"},
            "text": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "json" if json_lines else "text",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Our own request and job lines are written in production whatever the root level
            # says; the development server prints its own request lines.
            "execution2.requests": {"level": "INFO" if json_lines else "WARNING"},
            "execution2.jobs": {"level": "INFO"},
            # gunicorn's error log goes through the same handler (see core.serving).
            "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
        },
    }
