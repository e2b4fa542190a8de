"""The `execution2` command (also `python -m execution2`)."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import click

from execution2.core.cli import (
    ProgressBars,
    django_setup,
    fail_on_validation,
    organization_or_usage_error,
    parse_day,
    refusals_reported,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="execution2")
def cli() -> None:
    """Execution 2.0: can an organization execute its strategy, and what should it fix first?

    Data lives in the database named by DATABASE_URL (default: SQLite under var/).
    """


# --- organizations and users --------------------------------------------------------------------


@cli.group()
def org() -> None:
    """Create and list organizations."""


@org.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="The organization's display name.")
@fail_on_validation
def org_create(slug: str, name: str) -> None:
    """Create the organization SLUG (lowercase letters, digits, hyphens)."""
    django_setup()
    from execution2.orgs.services import organization_create

    organization = organization_create(slug=slug, name=name)
    click.echo(f"Created organization {organization.slug!r} ({organization.name}).")


@org.command("list")
def org_list() -> None:
    """List organizations with their active headcount."""
    django_setup()
    from django.db.models import Count, Q

    from execution2.orgs.models import Organization

    organizations = Organization.objects.annotate(
        headcount=Count("people", filter=Q(people__active=True))
    ).order_by("slug")
    for organization in organizations:
        click.echo(f"{organization.slug}\t{organization.name}\t{organization.headcount} people")


@cli.group()
def user() -> None:
    """Create users and give them roles."""


@user.command("create")
@click.argument("email")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.option(
    "--role",
    type=click.Choice(["admin", "executive", "manager", "member"]),
    default="member",
    show_default=True,
)
@click.option(
    "--password",
    envvar="EXECUTION2_PASSWORD",
    help="Sign-in password (or set EXECUTION2_PASSWORD). Without one you are asked for it.",
)
@click.option("--no-password", is_flag=True, help="Create the user without a password.")
@click.option(
    "--staff", is_flag=True, help="May set up new organizations from the web (consultants)."
)
@fail_on_validation
def user_create(
    email: str, org_slug: str, role: str, password: str | None, no_password: bool, staff: bool
) -> None:
    """Create the user EMAIL (or find them) and give them ROLE in the organization."""
    django_setup()
    from django.contrib.auth.password_validation import validate_password

    from execution2.orgs.services import membership_set, user_get_or_create

    organization = organization_or_usage_error(org_slug)
    if password is None and not no_password and sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if password:
        validate_password(password)
    account, created = user_get_or_create(email=email, password=password or None)
    if staff and not account.is_staff:
        account.is_staff = True
        account.save(update_fields=["is_staff"])
    membership_set(organization=organization, user=account, role=role, actor=None)
    verb = "Created" if created else "Updated"
    click.echo(f"{verb} {account.email}: {role} in {organization.slug}.")


# --- people -----------------------------------------------------------------------------------


@cli.group("import")
def import_() -> None:
    """Import data from files."""


@import_.command("people")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.option(
    "--columns",
    help="Map our columns to your headers: id=EmployeeNumber,name=Full Name",
)
@click.option("--encoding", default="utf-8-sig", show_default=True, help="CSV text encoding.")
@click.option("--date-format", help="strptime format of the dates, e.g. %d/%m/%Y.")
@click.option(
    "--effective-date",
    help="Date from which changes of unit, manager and title count (default: today).",
)
def import_people(
    file: Path,
    org_slug: str,
    columns: str | None,
    encoding: str,
    date_format: str | None,
    effective_date: str | None,
) -> None:
    """Import people from an HRIS export (CSV or XLSX); checked whole before anything is written.

    Required columns: id, name, unit (a path like "Marketing / Social Media"), manager_id.
    Optional: email, title, location, start_date, end_date. People missing from the file are
    deactivated. On any problem every one is printed as FILE:ROW:COLUMN: message, nothing is
    written, and the exit status is 2.
    """
    day = parse_day(effective_date)
    django_setup()
    from execution2.core.tabular import parse_column_map
    from execution2.orgs.people_import import people_import

    organization = organization_or_usage_error(org_slug)
    try:
        column_map = parse_column_map(columns)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--columns") from None
    bars = ProgressBars()
    with refusals_reported(bars):
        result = people_import(
            organization=organization,
            source=file,
            file_name=str(file),
            column_map=column_map,
            encoding=encoding,
            date_format=date_format,
            effective_date=day,
            progress=bars,
        )
    bars.close()
    click.echo(result.summary())


@cli.group()
def export() -> None:
    """Export data to files."""


@export.command("people")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.option("--format", "file_format", type=click.Choice(["csv", "xlsx"]), default="csv")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: standard output for CSV).",
)
def export_people(org_slug: str, file_format: str, output: Path | None) -> None:
    """Export the active people in the columns `import people` reads."""
    django_setup()
    from execution2.orgs.people_export import people_export

    organization = organization_or_usage_error(org_slug)
    if output is None and file_format == "xlsx":
        raise click.UsageError("XLSX needs a file: add -o people.xlsx")
    data = people_export(organization=organization, file_format=file_format)
    if output is None:
        sys.stdout.buffer.write(data)
        return
    output.write_bytes(data)
    click.echo(f"Wrote {output}.", err=True)


# --- demo and server --------------------------------------------------------------------------


@cli.command()
@click.option("--org", "org_slug", default="demo", show_default=True, help="Organization slug.")
@click.option("--people", default=600, show_default=True, type=click.IntRange(30, 300_000))
@click.option("--seed", default=7, show_default=True, type=int)
@click.option(
    "--events",
    default=100,
    show_default=True,
    type=click.IntRange(0, 10_000),
    help="Collaboration events per person per 90 days.",
)
@click.option("--if-missing", is_flag=True, help="Do nothing when the organization exists.")
@fail_on_validation
def demo(org_slug: str, people: int, seed: int, events: int, if_missing: bool) -> None:
    """Create (or refresh) a realistic demo organization, the same for the same seed."""
    django_setup()
    from execution2.orgs.demo import demo_build
    from execution2.orgs.models import Organization

    if if_missing and Organization.objects.filter(slug=org_slug).exists():
        click.echo(f"Demo organization {org_slug!r} exists already.", err=True)
        return
    bars = ProgressBars()
    result = demo_build(
        slug=org_slug,
        people=people,
        seed=seed,
        progress=bars,
        step_options={"network": {"events_per_person": events}},
    )
    bars.close()
    click.echo(f"Demo organization {result.organization.slug!r}: {result.people.summary()}")
    for summary in result.extended:
        click.echo(summary)
    if result.admin_password:
        click.echo(f"Admin login: {result.admin_email} / {result.admin_password}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 16),
    help="Threads running page-submitted jobs (without REDIS_URL, development only).",
)
@click.option(
    "--production",
    is_flag=True,
    help="Serve with gunicorn (needs DJANGO_DEBUG=0); jobs then run in `execution2 worker`.",
)
@click.option(
    "--processes",
    type=click.IntRange(1, 64),
    help="gunicorn worker processes (default: EXECUTION2_WEB_WORKERS, 4).",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    help="Threads per process (default: EXECUTION2_WEB_THREADS, 4).",
)
def serve(
    host: str,
    port: int,
    workers: int,
    production: bool,
    processes: int | None,
    threads: int | None,
) -> None:
    """Serve the web application, with its job workers unless REDIS_URL names a queue."""
    django_setup()
    from django.conf import settings
    from django.core.management import call_command

    from execution2.orgs.demo import DEMO_ADMIN_EMAIL, demo_admin_password_file

    if production:
        if settings.DEBUG:
            raise click.UsageError(
                "--production needs the production settings: set DJANGO_DEBUG=0 (see README)."
            )
        call_command("collectstatic", interactive=False, verbosity=0)
        from execution2.core.serving import production_serve

        processes = processes or settings.WEB_WORKERS
        threads = threads or settings.WEB_THREADS
        click.echo(
            f"Execution 2.0 (gunicorn, {processes} process(es) x {threads} thread(s)) "
            f"at http://{host}:{port}/; jobs run in `execution2 worker`.",
            err=True,
        )
        production_serve(
            bind=f"{host}:{port}",
            workers=processes,
            threads=threads,
            timeout=settings.WEB_TIMEOUT_S,
        )
        return

    click.echo(f"Execution 2.0 at http://{host}:{port}/")
    password_file = demo_admin_password_file()
    if settings.DEBUG and password_file.exists():
        click.echo(f"Sign in as {DEMO_ADMIN_EMAIL} / {password_file.read_text().strip()}")
    if not os.environ.get("REDIS_URL"):
        from execution2.config.tasks import embedded_consumer_start

        # Embedded default: imports and analyses started from pages run in this process.
        embedded_consumer_start(workers=workers)
    if settings.DEBUG:
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
        return
    # DEBUG off without --production: one process of threads (waitress), so the embedded
    # job workers and the progress cache are shared with the pages.
    call_command("collectstatic", interactive=False, verbosity=0)
    from waitress import serve as waitress_serve

    from execution2.config.wsgi import application

    waitress_serve(application, host=host, port=port, threads=8, ident="execution2")


@cli.command()
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Jobs this process runs at once (threads).",
)
def worker(workers: int) -> None:
    """Run the jobs that pages submit (imports, analyses); start as many as the work needs.

    Any number of workers, on any number of machines, may share one queue (REDIS_URL): each
    job is taken by exactly one of them.
    """
    django_setup()
    from execution2.config.tasks import huey, worker_prepare

    worker_prepare()
    click.echo(f"Worker with {workers} thread(s); Ctrl-C stops it.", err=True)
    huey.create_consumer(workers=workers, worker_type="thread", periodic=False).run()


@cli.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run one of Django's own commands, e.g. `execution2 manage migrate`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "execution2.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["execution2 manage", *args])


# Each capability adds its commands in `execution2.<app>.commands` as a list COMMANDS.
for _app in ("assessments", "plans", "network", "listening", "insights", "api"):
    try:
        _module = importlib.import_module(f"execution2.{_app}.commands")
    except ModuleNotFoundError as missing:
        if not f"execution2.{_app}.commands".startswith(missing.name or "-"):
            raise
        continue
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("Interrupted; nothing half-written was kept.", err=True)
        sys.exit(130)
    except Exception as error:  # The last line of defence: a message, never a traceback.
        if os.environ.get("EXECUTION2_TRACEBACK"):
            raise
        from django.db import DatabaseError

        if isinstance(error, DatabaseError):
            click.echo(
                f"error: the database refused the operation ({error}). Check DATABASE_URL.",
                err=True,
            )
        else:
            click.echo(f"error: {error} (set EXECUTION2_TRACEBACK=1 to see where)", err=True)
        sys.exit(1)
