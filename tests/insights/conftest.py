"""A small demo organization with every kind of data and a computed index, built once per test
module (about 10 s) and removed afterwards, for the tests that read the index app end to end."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

DEMO_PEOPLE = 150


@dataclass
class DemoWorld:
    organization: Any
    admin: Any
    run: Any
    data_dir: Path


@pytest.fixture(scope="module")
def demo_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoWorld]:
    from django.contrib.auth import get_user_model

    from execution2.insights.selectors import latest_run
    from execution2.insights.services import index_compute
    from execution2.orgs.demo import DEMO_ADMIN_EMAIL, demo_build

    data_dir = Path(tempfile.mkdtemp(prefix="e2-insights-"))
    with override_settings(DATA_DIR=data_dir), django_db_blocker.unblock():
        result = demo_build(
            slug="insights-demo",
            people=DEMO_PEOPLE,
            step_options={"network": {"events_per_person": 40}},
        )
        organization = result.organization
        # The demo computes the index as its last step; compute it here if it didn't.
        run = latest_run(organization=organization) or index_compute(organization=organization)
        admin = get_user_model().objects.get(email=DEMO_ADMIN_EMAIL)
        try:
            yield DemoWorld(organization, admin, run, data_dir)
        finally:
            from execution2.assessments.models import Cycle
            from execution2.plans.models import Assignment

            # Protected references first: a cycle's instrument, an assignment's owner.
            Cycle.objects.filter(organization=organization).delete()
            Assignment.objects.filter(organization=organization).delete()
            organization.delete()
            admin.delete()
            shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def demo(demo_world: DemoWorld, settings: Any, db: None) -> DemoWorld:
    settings.DATA_DIR = demo_world.data_dir
    return demo_world
