"""What every listening page shares: the organization, the latest run, uploads."""

from __future__ import annotations

from typing import Any

from execution2.listening import selectors, store
from execution2.orgs.tenancy import OrgRequest

SOURCE_NAMES = {
    "lexicon": "the lexicon (VADER)",
    "trained": "the classifier trained on your labels",
}


def run_context(request: OrgRequest) -> dict[str, Any]:
    organization = request.organization
    run = selectors.latest_run(organization)
    stored = store.post_count(organization)
    return {
        "run": run,
        "stored_posts": stored,
        "unanalysed": stored - run.posts if run is not None and run.since is None else 0,
        "source_name": SOURCE_NAMES.get(run.sentiment_source, "") if run else "",
        "is_admin": request.is_admin,
    }
