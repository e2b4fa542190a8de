"""Importing conversations into the organization's Parquet store."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from execution2.analytics.listening.posts import PostsImportResult, import_posts
from execution2.listening import store
from execution2.orgs.models import Organization
from execution2.orgs.services import audit_record

Progress = Callable[[str, int, int], None]


def posts_import(
    *,
    organization: Organization,
    paths: Sequence[Path],
    file_names: Sequence[str] | None = None,
    column_map: dict[str, str] | None = None,
    default_channel: str | None = None,
    actor: Any = None,
    progress: Progress | None = None,
) -> PostsImportResult:
    """Add the posts of listening-tool exports to the organization's store; all or nothing."""
    names = list(file_names or [Path(p).name for p in paths])
    result = import_posts(
        [Path(p) for p in paths],
        store.folder(organization),
        file_names=names,
        column_map=column_map,
        default_channel=default_channel,
        progress=progress,
    )
    audit_record(
        organization=organization,
        actor=actor,
        action="listening.import",
        detail={
            "files": names,
            "read": result.read,
            "new": result.new,
            "updated": result.updated,
            "total": result.total,
        },
    )
    return result
