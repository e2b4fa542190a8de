"""What every listening page shares: the organization, the latest run, uploads."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from execution2.listening import selectors, store
from execution2.orgs.choices import Role
from execution2.orgs.views.people_files import UploadLimitHandler

SOURCE_NAMES = {
    "lexicon": "the lexicon (VADER)",
    "trained": "the classifier trained on your labels",
}


def current_org(request: HttpRequest) -> Any:
    return request.organization  # type: ignore[attr-defined]


def is_admin(request: HttpRequest) -> bool:
    return request.membership.role == Role.ADMIN  # type: ignore[attr-defined]


def run_context(request: HttpRequest) -> dict[str, Any]:
    organization = current_org(request)
    run = selectors.latest_run(organization)
    stored = store.post_count(organization)
    return {
        "run": run,
        "stored_posts": stored,
        "unanalysed": stored - run.posts if run is not None and run.since is None else 0,
        "source_name": SOURCE_NAMES.get(run.sentiment_source, "") if run else "",
        "is_admin": is_admin(request),
    }


def upload_view(view: Any) -> Any:
    """CSRF checked after the upload limit handler is in place (see orgs' people import)."""

    @csrf_exempt
    @never_cache
    @wraps(view)
    def wrapper(request: HttpRequest, org_slug: str) -> HttpResponse:
        request.upload_handlers.insert(
            0, UploadLimitHandler(request, settings.EXECUTION2_MAX_UPLOAD_BYTES)
        )
        return csrf_protect(view)(request, org_slug=org_slug)

    return wrapper
