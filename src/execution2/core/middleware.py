from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from execution2.core.logs import request_id_from, request_id_var

request_logger = logging.getLogger("execution2.requests")

HEALTH_PATHS = {"/healthz", "/readyz"}


class RequestIdMiddleware:
    """Gives each request an id (the proxy's `X-Request-ID`, or a new one) and logs one line.

    Outermost, so the id is set for every log line of the request and returned in the
    response's `X-Request-ID`, also on error pages.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get("X-Request-ID"))
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            if request.path not in HEALTH_PATHS:
                request_logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
            return response
        finally:
            request_id_var.reset(token)


class HealthCheckMiddleware:
    """Answers `/healthz` and `/readyz` (see core.health) before any host or HTTPS check."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            return _json({"status": "ok"}, 200)
        if request.path == "/readyz":
            from execution2.core.health import readiness

            ready, checks = readiness()
            return _json(
                {"status": "ok" if ready else "unavailable", "checks": checks},
                200 if ready else 503,
            )
        return self.get_response(request)


def _json(body: dict[str, object], status: int) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


class ContentSecurityPolicyMiddleware:
    """Sends the CSP header; Django 5.2 has none of its own and every asset is vendored."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response
