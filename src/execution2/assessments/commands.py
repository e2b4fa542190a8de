"""`execution2 assess ...`: cycles, imports of answers and reports from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from execution2.core.cli import (
    EXIT_BAD_INPUT,
    ProgressBars,
    django_setup,
    fail_on_validation,
    organization_or_usage_error,
    parse_day,
    refusals_reported,
)


@click.group()
def assess() -> None:
    """Management assessment: feedback cycles, imported answers, reports."""


@assess.group()
def cycle() -> None:
    """Create, open, close and list feedback cycles."""


def _cycle_or_usage_error(organization: object, cycle_id: int) -> object:
    from execution2.assessments.models import Cycle

    found = Cycle.objects.filter(organization=organization, pk=cycle_id).first()
    if found is None:
        raise click.UsageError(
            f"no cycle {cycle_id} in this organization (see `assess cycle list`)"
        )
    return found


@cycle.command("create")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.option("--name", required=True, help="A name people recognise, e.g. 'Spring 2026'.")
@click.option(
    "--kind",
    type=click.Choice(["upward", "360", "pulse"]),
    default="upward",
    show_default=True,
    help="upward: direct reports rate their manager; 360: self, manager, peers and direct "
    "reports; pulse: everyone rates management in general.",
)
@click.option("--opens", "opens_on", required=True, help="Open date, e.g. 2026-03-02.")
@click.option("--closes", "closes_on", required=True, help="Close date, e.g. 2026-03-20.")
@click.option(
    "--instrument",
    "instrument_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Your own instrument (YAML, same format as the built-in one); default: built-in.",
)
@fail_on_validation
def cycle_create_command(
    org_slug: str,
    name: str,
    kind: str,
    opens_on: str,
    closes_on: str,
    instrument_file: Path | None,
) -> None:
    """Create a cycle as a draft; raters are chosen when it opens."""
    opens, closes = parse_day(opens_on), parse_day(closes_on)
    django_setup()
    from execution2.assessments.instruments import instrument_add
    from execution2.assessments.services import cycle_create

    organization = organization_or_usage_error(org_slug)
    instrument = None
    if instrument_file is not None:
        instrument = instrument_add(
            organization=organization, source=instrument_file.read_text(encoding="utf-8")
        )
    if opens is None or closes is None:
        raise click.UsageError("--opens and --closes are required")
    created = cycle_create(
        organization=organization,
        name=name,
        kind=kind,
        opens_on=opens,
        closes_on=closes,
        instrument=instrument,
    )
    click.echo(f"Created cycle {created.pk} ({created.name}, {created.kind}), a draft.")


@cycle.command("open")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.argument("cycle_id", type=int)
@click.option("--no-email", is_flag=True, help="Create the invitations without sending e-mail.")
@click.option("--base-url", help="Address of this installation for the links in the e-mails.")
@fail_on_validation
def cycle_open_command(org_slug: str, cycle_id: int, no_email: bool, base_url: str | None) -> None:
    """Choose the raters from the org chart as of the open date and e-mail their links."""
    django_setup()
    from execution2.assessments.services import cycle_open

    found = _cycle_or_usage_error(organization_or_usage_error(org_slug), cycle_id)
    result = cycle_open(cycle=found, send=not no_email, link_base=base_url)  # type: ignore[arg-type]
    click.echo(result.summary())


@cycle.command("remind")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.argument("cycle_id", type=int)
@click.option("--base-url", help="Address of this installation for the links in the e-mails.")
@fail_on_validation
def cycle_remind_command(org_slug: str, cycle_id: int, base_url: str | None) -> None:
    """E-mail a fresh link to everyone who hasn't answered yet."""
    django_setup()
    from execution2.assessments.services import cycle_remind

    found = _cycle_or_usage_error(organization_or_usage_error(org_slug), cycle_id)
    sent = cycle_remind(cycle=found, link_base=base_url)  # type: ignore[arg-type]
    click.echo(f"Sent {sent} reminder e-mails.")


@cycle.command("close")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.argument("cycle_id", type=int)
@fail_on_validation
def cycle_close_command(org_slug: str, cycle_id: int) -> None:
    """Close a cycle: links stop working, unfinished answers are dropped."""
    django_setup()
    from execution2.assessments.services import cycle_close
    from execution2.assessments.validity import validity_compute

    found = _cycle_or_usage_error(organization_or_usage_error(org_slug), cycle_id)
    cycle_close(cycle=found)  # type: ignore[arg-type]
    click.echo(f"Closed cycle {cycle_id}.")
    # Instrument quality is computed at close, so its page and reports read it ready-made.
    bars = ProgressBars()
    validity_compute(cycle=found, progress=bars)  # type: ignore[arg-type]
    bars.close()


@cycle.command("list")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
def cycle_list_command(org_slug: str) -> None:
    """List the organization's cycles with their response counts."""
    django_setup()
    from django.db.models import Count, Q

    from execution2.assessments.models import Cycle

    organization = organization_or_usage_error(org_slug)
    cycles = Cycle.objects.filter(organization=organization).annotate(
        invited=Count("invitations", distinct=True),
        answered=Count("invitations", filter=Q(invitations__answered=True), distinct=True),
        answers=Count("responses", distinct=True),
    )
    for found in cycles:
        click.echo(
            f"{found.pk}\t{found.name}\t{found.kind}\t{found.status}\t"
            f"{found.opens_on}..{found.closes_on}\t{found.answers} responses"
            f" ({found.answered}/{found.invited} invited answered)"
        )


@cycle.command("peers")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.argument("cycle_id", type=int)
@click.argument("subject_id")
@click.argument("peer_ids", nargs=-1, required=True)
@fail_on_validation
def cycle_peers_command(
    org_slug: str, cycle_id: int, subject_id: str, peer_ids: tuple[str, ...]
) -> None:
    """Propose the peers who rate SUBJECT_ID in a draft 360 cycle (person ids, as in the
    people file). Without a proposal, up to four colleagues under the same manager are chosen."""
    django_setup()
    from execution2.assessments.services import peer_nominate
    from execution2.orgs.models import Person

    organization = organization_or_usage_error(org_slug)
    found = _cycle_or_usage_error(organization, cycle_id)
    people = {
        p.external_id: p
        for p in Person.objects.filter(
            organization=organization, external_id__in=[subject_id, *peer_ids]
        )
    }
    unknown = [i for i in (subject_id, *peer_ids) if i not in people]
    if unknown:
        click.echo(f"error: no person with id {', '.join(unknown)} in {org_slug}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    count = peer_nominate(
        cycle=found,  # type: ignore[arg-type]
        subject=people[subject_id],
        peers=[people[i] for i in peer_ids],
    )
    click.echo(f"{count} peers will rate {people[subject_id].name} when the cycle opens.")


@assess.command("import")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.option("--cycle", "cycle_id", required=True, type=int, help="Cycle id.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(org_slug: str, cycle_id: int, file: Path) -> None:
    """Import answers collected elsewhere (CSV or XLSX, one row per response).

    Columns: subject_id (the rated manager's person id; blank in a pulse), rater_group, one
    column per item key (1-5; blank or NA = not observed), the open questions (keep_doing,
    change), and in a pulse `unit`. Checked whole first: any problem is printed as
    FILE:ROW:COLUMN: message, nothing is written, and the exit status is 2.
    """
    django_setup()
    from execution2.assessments.response_import import responses_import

    found = _cycle_or_usage_error(organization_or_usage_error(org_slug), cycle_id)
    bars = ProgressBars()
    with refusals_reported(bars):
        result = responses_import(cycle=found, source=file, file_name=str(file), progress=bars)  # type: ignore[arg-type]
    bars.close()
    click.echo(result.summary())


@assess.command("report")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.option("--cycle", "cycle_id", required=True, type=int, help="Cycle id.")
@click.option("--unit", "unit_path", help='Only this unit and below, e.g. "Marketing / Brand".')
@click.option("--json", "as_json", is_flag=True, help="Print every group as JSON.")
def report_command(org_slug: str, cycle_id: int, unit_path: str | None, as_json: bool) -> None:
    """Scores, favourability, n and reliability per group; small groups are suppressed."""
    django_setup()
    from execution2.assessments.report import report_data
    from execution2.assessments.validity import validity_summary
    from execution2.orgs.models import Unit

    organization = organization_or_usage_error(org_slug)
    found = _cycle_or_usage_error(organization, cycle_id)
    unit = None
    if unit_path:
        wanted = " / ".join(p.strip() for p in unit_path.split("/") if p.strip())
        unit = Unit.objects.filter(organization=organization, path__iexact=wanted).first()
        if unit is None:
            click.echo(f"error: no unit {wanted!r} in {org_slug}", err=True)
            sys.exit(EXIT_BAD_INPUT)
    data = report_data(cycle=found, unit=unit)  # type: ignore[arg-type]
    data["validity"] = validity_summary(_validity_of(found).data)
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    rate = data["response_rate"]
    click.echo(
        f"{data['cycle']['name']} ({data['cycle']['kind']}, {data['cycle']['status']}): "
        f"{rate['answered']} of {rate['invited']} invited answered"
    )
    for group in data["groups"]:
        if group["rater_group"] != "all" or group["level"] == "subject":
            continue
        label = group.get("unit") or "Organization"
        if group["suppressed"]:
            click.echo(f"{label}: too few answers to show")
            continue
        scores = "  ".join(
            f"{key} {values['score']}"
            for key, values in group["scales"].items()
            if values["score"] is not None
        )
        click.echo(f"{label} (n={group['n']}): {scores}")
    validity = data["validity"]
    if validity["cfi"] is not None:
        click.echo(
            f"Instrument quality (n={validity['n']}): CFI {validity['cfi']}, "
            f"TLI {validity['tli']}, RMSEA {validity['rmsea']}, SRMR {validity['srmr']}"
        )
    else:
        click.echo(f"Instrument quality: {validity['reason']}")


def _validity_of(found: object) -> object:
    """The kept instrument-quality analysis, computed now (with a progress bar) if stale."""
    from execution2.assessments.validity import validity_compute, validity_get

    kept = validity_get(cycle=found)  # type: ignore[arg-type]
    if kept is not None:
        return kept
    bars = ProgressBars()
    try:
        return validity_compute(cycle=found, progress=bars)  # type: ignore[arg-type]
    finally:
        bars.close()


@assess.command("validity")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.option("--cycle", "cycle_id", required=True, type=int, help="Cycle id.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole analysis as JSON.")
def validity_command(org_slug: str, cycle_id: int, as_json: bool) -> None:
    """Instrument quality: factor structure (CFA, HTMT, invariance) and attribute drivers.

    Recomputes and keeps the analysis (it is also computed when a cycle closes)."""
    django_setup()
    from execution2.assessments.validity import validity_compute

    found = _cycle_or_usage_error(organization_or_usage_error(org_slug), cycle_id)
    bars = ProgressBars()
    row = validity_compute(cycle=found, progress=bars)  # type: ignore[arg-type]
    bars.close()
    if as_json:
        click.echo(json.dumps(row.data, indent=2, ensure_ascii=False))
        return
    structure = row.data["structure"]
    if "cfi" not in structure:
        click.echo(f"No factor analysis: {structure.get('reason', '')}")
    else:
        click.echo(
            f"Six-factor CFA (n={structure['n']}): CFI {structure['cfi']}, TLI {structure['tli']}, "
            f"RMSEA {structure['rmsea']} {structure['rmsea_ci90']}, SRMR {structure['srmr']}"
        )
        for flag in structure["flags"]:
            click.echo(f"  flag: {flag}")
    for outcome, found_drivers in row.data["drivers"].items():
        org = found_drivers.get("organization")
        if org is None:
            click.echo(f"Drivers of {outcome}: {found_drivers.get('reason', 'too few data')}")
            continue
        ranked = sorted(org["weights"].items(), key=lambda kv: -kv[1]["raw"])
        shares = ", ".join(f"{key} {w['share']}%" for key, w in ranked)
        click.echo(f"Drivers of {outcome} (n={org['n']}, R² {org['r2']}): {shares}")


COMMANDS = [assess]
