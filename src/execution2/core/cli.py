"""Pieces every `execution2` command shares; app command modules import them from here.

Django is imported inside the functions, so `--help` answers without touching a database.
"""

from __future__ import annotations

import datetime
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

import click

EXIT_BAD_INPUT = 2


def django_setup() -> None:
    """Configure Django and bring the database schema up to date before any command uses it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "execution2.config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        from django.core.management import call_command

        click.echo("Bringing the database schema up to date…", err=True)
        call_command("migrate", interactive=False, verbosity=0)


class ProgressBars:
    """Turns the services' `progress(phase, done, total)` calls into one bar per phase."""

    LABELS = {"read": "Reading and checking", "write": "Writing"}

    def __init__(self) -> None:
        self.phase: str | None = None
        self.bar: Any = None
        self.shown = 0

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase != self.phase:
            self.close()
            self.phase = phase
            self.shown = 0
            self.bar = click.progressbar(
                length=max(total, 1),
                label=self.LABELS.get(phase, phase.capitalize()).ljust(22),
                file=sys.stderr,
                show_pos=True,
            )
            self.bar.__enter__()
        if self.bar is not None and done > self.shown:
            self.bar.update(done - self.shown)
            self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def organization_or_usage_error(slug: str) -> Any:
    from execution2.orgs.models import Organization

    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        known = ", ".join(Organization.objects.values_list("slug", flat=True)[:20]) or "none yet"
        raise click.UsageError(f"no organization {slug!r} (known: {known})")
    return organization


def _validation_message(error: Exception) -> str:
    from django.core.exceptions import ValidationError

    if isinstance(error, ValidationError):
        if hasattr(error, "message_dict"):
            return "; ".join(
                f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
                for field, messages in error.message_dict.items()
            )
        return " ".join(error.messages)
    return str(error)


def fail_on_validation(function: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the services' refusals and validation errors into messages and exit status 2.

    A refused import prints each problem as FILE:ROW:COLUMN: message and a count; a
    validation error prints one line. Commands that need to close a progress bar first or
    say more precisely what was not done use `refusals_reported` inside.
    """

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from django.core.exceptions import ValidationError

        with refusals_reported():
            try:
                return function(*args, **kwargs)
            except (ValidationError, ValueError) as error:
                click.echo(f"error: {_validation_message(error)}", err=True)
                sys.exit(EXIT_BAD_INPUT)

    return wrapper


@contextmanager
def refusals_reported(
    bars: ProgressBars | None = None, outcome: str = "nothing was imported"
) -> Iterator[None]:
    """Print a refused import's problems, then `N problem(s); <outcome>.`, and exit 2."""
    from execution2.analytics.problems import ImportRefused

    try:
        yield
    except ImportRefused as refused:
        if bars is not None:
            bars.close()
        for problem in refused.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(refused.problems)} problem(s); {outcome}.", err=True)
        sys.exit(EXIT_BAD_INPUT)


def parse_day(value: str | None) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-01-31") from None
