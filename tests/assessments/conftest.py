"""An organization with teams big enough for feedback: a chief, three managers, their teams."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest


def team_csv() -> str:
    """1 chief; managers 2 (7 reports), 3 (6 reports) and 4 (2 reports); everyone has e-mail."""
    lines = ["id,name,unit,manager_id,email,title"]
    lines.append("1,Ada Chief,Office,,ada@acme.example,Chief Executive Officer")
    teams = {2: ("Sales", 7), 3: ("Sales / Inside", 6), 4: ("Ops", 2)}
    for manager, (unit, _) in teams.items():
        lines.append(f"{manager},Manager {manager},{unit},1,m{manager}@acme.example,Head of {unit}")
    next_id = 10
    for manager, (unit, size) in teams.items():
        for _ in range(size):
            lines.append(f"{next_id},Person {next_id},{unit},{manager},p{next_id}@acme.example,")
            next_id += 1
    return "\n".join(lines) + "\n"


@pytest.fixture(autouse=True)
def _survey_urls_and_memory_mail(settings: Any) -> None:
    """The survey is mounted as config/urls.py will mount it; mail stays in memory."""
    from django.core.cache import cache

    settings.ROOT_URLCONF = "tests.assessments.urls"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


@pytest.fixture
def acme(make_org: Callable[..., Any], import_people: Callable[..., Any]) -> Any:
    organization = make_org("acme", "Acme Corp")
    import_people(organization, team_csv())
    return organization


def person(organization: Any, external_id: str) -> Any:
    from execution2.orgs.models import Person

    return Person.objects.get(organization=organization, external_id=external_id)


def links_in_mail() -> dict[str, list[str]]:
    """E-mail address -> the survey paths in the messages sent to it."""
    from django.core import mail

    out: dict[str, list[str]] = {}
    for message in mail.outbox:
        out.setdefault(message.to[0], []).extend(
            re.findall(r"https?://[^/\s]+(/s/[\w-]+/)", message.body)
        )
    return out


def open_cycle(organization: Any, kind: str = "upward", **options: Any) -> Any:
    import datetime

    from execution2.assessments.services import cycle_create, cycle_open

    cycle = cycle_create(
        organization=organization,
        name=options.pop("name", "Spring"),
        kind=kind,
        opens_on=options.pop("opens_on", datetime.date.today()),
        closes_on=options.pop("closes_on", datetime.date.today() + datetime.timedelta(days=14)),
    )
    cycle_open(cycle=cycle, link_base="http://testserver", **options)
    cycle.refresh_from_db()
    return cycle
