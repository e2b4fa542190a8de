"""What every listening page shares: the organization, the latest run, uploads."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from execution2.listening import selectors, store
from execution2.orgs.choices import Role

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
