"""Where an organization's large files live (Parquet event data, uploads being processed)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def organization_data_dir(organization_id: int, *parts: str) -> Path:
    """DATA_DIR/orgs/<id>/<parts...>, created on first use; ids, never slugs, as slugs change."""
    folder = Path(settings.DATA_DIR).joinpath("orgs", str(int(organization_id)), *parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
