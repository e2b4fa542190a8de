"""Fixtures of the listening tests: an organization with conversations, brands and a run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from execution2.analytics.synth.listening import generate_conversations


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture
def conversations(tmp_path: Path) -> Any:
    talk = generate_conversations(seed=5, brand="Acme", posts=3000)
    path = tmp_path / "export.parquet"
    pq.write_table(talk.table, path)
    return talk, path


@pytest.fixture
def listening_org(make_org: Callable[..., Any], conversations: Any) -> Any:
    """Organization "acme" with 3,000 posts, four brands and one analysis."""
    from execution2.listening.services import analysis_run, brand_save, posts_import

    talk, path = conversations
    organization = make_org("acme", "Acme Corp")
    posts_import(organization=organization, paths=[path])
    brand_save(organization=organization, name="Acme", aliases=["@acmehelp"], own=True)
    for name in talk.competitors:
        brand_save(organization=organization, name=name)
    analysis_run(organization=organization, n_themes=8)
    return organization
