"""Fixtures of the plan tests: an organization with people, and a small plan file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

PLAN_YAML = """version: 1
opportunities:
  - key: green
    title: Green buyers
    segment: Consumers who pay for sustainability
    size_estimate: 1200000
    evidence: [https://example.com/study]
initiatives:
  - key: eco-line
    title: Launch the eco product line
    objective: Ten percent of sales from eco products
    owner: "2"
    sponsor: "1"
    units: [Marketing, Engineering]
    start: 2026-01-01
    end: 2026-12-31
    weight: 2
    opportunities: [green]
    kpis:
      - name: Eco share of sales
        unit: "%"
        baseline: 0
        target: 10
        direction: up
        values: {2026-03-31: 2, 2026-06-30: 5}
    tactics:
      - key: design
        title: Design
        assignments:
          - key: brief
            title: Write the brief
            owner: "3"
            delegator: "2"
            due: 2026-02-01
            instructions: Two pages
            acceptance_criteria: Approved by Bram
            status: done
          - key: prototype
            title: Prototype
            owner: "6"
            delegator: "5"
            due: 2026-04-01
    resources:
      - kind: financial
        period: 2026-01
        planned: 10000
        actual: 12000
      - kind: human
        period: 2026-02
        planned: 100
        actual: 100
        rate: 50
      - kind: financial
        period: 2026-03
        planned: 10000
        actual: 0
    returns:
      - period: 2026-04
        amount: 20000
        kind: revenue
        note: First orders
  - key: social
    title: Social listening
    owner: "3"
    units: [Marketing / Social Media]
    parents: [eco-line]
    opportunities: [green]
    assignments:
      - key: tool
        title: Pick a tool
        owner: "4"
        delegator: "3"
"""


@pytest.fixture
def plan_yaml() -> str:
    return PLAN_YAML


@pytest.fixture
def acme(
    make_org: Callable[..., Any], import_people: Callable[..., Any], small_org_csv: str
) -> Any:
    organization = make_org("acme", "Acme Corp")
    import_people(organization, small_org_csv)
    return organization


@pytest.fixture
def planned(acme: Any, plan_yaml: str) -> Any:
    """Acme with the small plan imported."""
    from execution2.plans.plan_file import plan_import

    plan_import(organization=acme, source=plan_yaml.encode(), file_name="plan.yaml")
    return acme


@pytest.fixture(autouse=True)
def _mail_in_memory(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def person(organization: Any, external_id: str) -> Any:
    from execution2.orgs.models import Person

    return Person.objects.get(organization=organization, external_id=external_id)
