"""`execution2 index` and `execution2 report`: the Execution Index on the command line."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import click

from execution2.core.cli import (
    EXIT_BAD_INPUT,
    ProgressBars,
    django_setup,
    fail_on_validation,
    organization_or_usage_error,
    parse_day,
)

# Named in the message for an unknown --unit, so the user sees how paths are written.
SUGGESTED_UNITS = 12


@click.command("report")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.option(
    "--unit",
    "unit_path",
    help='A unit by its path, e.g. "Sales / EMEA" (default: the whole organization).',
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The PDF file to write.",
)
def report(org_slug: str, unit_path: str | None, output: Path) -> None:
    """Write the Execution Index report of the organization, or of one unit, as a PDF.

    The report uses the latest computed index; when there is none yet (or the unit is newer
    than it), the index is computed first.
    """
    if not output.parent.is_dir():
        raise click.BadParameter(f"no directory {str(output.parent)!r}", param_hint="-o")
    django_setup()
    from execution2.insights.pdf import index_report_pdf
    from execution2.insights.selectors import latest_run, scope_index, unit_by_path
    from execution2.insights.services import index_compute
    from execution2.orgs.choices import AuditAction
    from execution2.orgs.models import Unit
    from execution2.orgs.services import audit_record

    organization = organization_or_usage_error(org_slug)
    unit = None
    if unit_path:
        unit = unit_by_path(organization=organization, path=unit_path)
        if unit is None:
            known = list(
                Unit.objects.filter(organization=organization, parent__isnull=True)
                .order_by("path")
                .values_list("path", flat=True)[:SUGGESTED_UNITS]
            )
            hint = f" (top-level units: {', '.join(known)})" if known else " (it has no units)"
            raise click.BadParameter(
                f"no unit {unit_path!r} in {org_slug}{hint}", param_hint="--unit"
            )
    run = latest_run(organization=organization)
    if run is None or scope_index(run=run, unit=unit) is None:
        click.echo(
            "No index computed yet; computing it now…"
            if run is None
            else f"The latest index (as of {run.as_of}) predates {unit_path}; computing it again…",
            err=True,
        )
        bars = ProgressBars()
        run = index_compute(organization=organization, progress=bars)
        bars.close()
    started = time.perf_counter()
    click.echo("Writing the report…", err=True)
    data = index_report_pdf(run=run, unit=unit)
    try:
        output.write_bytes(data)
    except OSError as error:
        click.echo(f"error: can't write {output}: {error.strerror or error}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    audit_record(
        organization=organization,
        actor=None,
        action=AuditAction.REPORT_EXPORT,
        detail={
            "report": "index pdf",
            "scope": unit.path if unit is not None else "all",
            "as_of": run.as_of.isoformat(),
        },
    )
    scope = unit.path if unit is not None else organization.name
    click.echo(
        f"Wrote {output} ({len(data) / 1024:,.0f} KB): the Execution Index report of {scope} "
        f"as of {run.as_of}, in {time.perf_counter() - started:.1f} s."
    )


def _number(value: Any) -> str:
    return "-" if value is None else f"{value:.1f}"


def _text(payload: dict[str, Any]) -> str:
    scope = payload["scope"]
    lines = [f"Execution Index of {scope['path'] or scope['label']} ({scope['people']:,} people)"]
    interval = payload["interval"]
    headline = f"  Index {_number(payload['index'])} (target {_number(payload['target'])})"
    if interval:
        headline += (
            f", 90% interval {_number(interval['low'])}-{_number(interval['high'])} "
            f"from {interval['respondents']:,} responses"
        )
    lines.append(headline)
    if payload["note"]:
        lines.append(f"  {payload['note']}")
    if payload.get("survey_note"):
        lines.append(f"  {payload['survey_note']}")
    lines.append("")
    lines.append(f"  {'Component':<28}{'Score':>7}{'Gap':>7}{'Weight':>8}{'n':>8}")
    for c in payload["components"]:
        score = "missing" if c["missing"] else _number(c["score"])
        lines.append(
            f"  {c['title']:<28}{score:>7}{_number(c['gap']):>7}{c['weight']:>8.0%}{c['n']:>8,}"
        )
    if payload["priorities"]:
        lines.append("")
        lines.append("  Priorities (weight x gap):")
        for p in payload["priorities"][:5]:
            lines.append(
                f"    {p['title']}: {_number(p['score'])}, costs {p['priority']:.1f} index points"
            )
    fired = [r for r in payload["risks"] if r["fired"]]
    lines.append("")
    lines.append(f"  Risks fired: {len(fired)}")
    for r in fired:
        lines.append(f"    [{r['severity']}] {r['title']}: {r['summary']}")
    return "\n".join(lines)


@click.command("index")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.option("--unit", "unit_path", default=None, help='A unit\'s path, e.g. "Sales / EMEA".')
@click.option("--as-of", "as_of", default=None, help="The day (YYYY-MM-DD); default today.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON.")
@fail_on_validation
def index(org_slug: str, unit_path: str | None, as_of: str | None, as_json: bool) -> None:
    """Compute the Execution Index of the organization and every unit, store it (the dashboard
    shows it) and print the organization's, or one unit's with --unit."""
    day = parse_day(as_of)
    django_setup()
    from execution2.insights.selectors import scope_index, unit_by_path
    from execution2.insights.services import index_compute

    organization = organization_or_usage_error(org_slug)
    unit = None
    if unit_path is not None:
        unit = unit_by_path(organization=organization, path=unit_path)
        if unit is None:
            click.echo(f"error: no unit {unit_path!r} in {organization.slug}", err=True)
            sys.exit(EXIT_BAD_INPUT)
    bars = ProgressBars()
    run = index_compute(organization=organization, as_of=day, progress=bars)
    bars.close()
    row = scope_index(run=run, unit=unit)
    if row is None:  # a unit created while computing
        click.echo(f"error: {unit_path!r} was not part of the computation", err=True)
        sys.exit(EXIT_BAD_INPUT)
    if as_json:
        document = {
            "organization": organization.slug,
            "as_of": run.as_of.isoformat(),
            "run": run.summary,
            **row.payload,
        }
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        click.echo(_text(row.payload))


COMMANDS = [index, report]
