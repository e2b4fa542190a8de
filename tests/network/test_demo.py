"""The demo step: collaboration events from the seed, imported and analysed, safe to rerun."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from execution2.analytics.synth import generate_organization
from execution2.network.demo import demo_extend
from execution2.network.models import EventStore, NetworkSnapshot


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"


def test_the_demo_step_adds_events_and_an_analysis_and_can_run_again(
    make_org: Any, import_people: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from execution2.orgs.demo import synthetic_people_csv

    company = generate_organization(people=120, seed=3)
    organization = make_org("demo", company.name)
    import_people(organization, synthetic_people_csv(company).decode())
    with django_capture_on_commit_callbacks(execute=True):
        first = demo_extend(organization=organization, company=company, seed=3, progress=None)
    stored = EventStore.objects.get(organization=organization).interactions
    assert "siloed on purpose" in first
    assert stored > 120 * 100  # about 100 events per person per 90 days, over 240 days
    snapshot = NetworkSnapshot.objects.get(organization=organization)
    assert snapshot.results["summary"]["isolates"] > 0
    with django_capture_on_commit_callbacks(execute=True):
        demo_extend(organization=organization, company=company, seed=3, progress=None)
    assert EventStore.objects.get(organization=organization).interactions == stored
    with django_capture_on_commit_callbacks(execute=True):
        demo_extend(
            organization=organization, company=company, seed=3, progress=None, events_per_person=20
        )
    assert EventStore.objects.get(organization=organization).interactions < stored / 3
