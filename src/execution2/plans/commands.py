"""`execution2 plan ...`: import, export, status and the daily digest."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from execution2.core.cli import (
    EXIT_BAD_INPUT,
    django_setup,
    fail_on_validation,
    organization_or_usage_error,
    parse_day,
)


@click.group()
def plan() -> None:
    """The strategic plan: import and export it as YAML, show its status, send digests."""


@plan.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@fail_on_validation
def plan_import_command(file: Path, org_slug: str) -> None:
    """Import the plan in FILE (YAML or .xlsx, as `plan export` writes them); checked whole.

    People are named by employee id. On any problem each one is printed as
    FILE:LINE:FIELD: message (FILE:SHEET:ROW:COLUMN for a workbook), nothing is written, and
    the exit status is 2.
    """
    django_setup()
    from execution2.core.tabular import ImportRefused
    from execution2.plans.plan_file import plan_import

    organization = organization_or_usage_error(org_slug)
    try:
        result = plan_import(organization=organization, source=file, file_name=str(file))
    except ImportRefused as refused:
        for problem in refused.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(refused.problems)} problem(s); nothing was imported.", err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.echo(result.summary())


@plan.command("export")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: standard output; required for xlsx).",
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["yaml", "xlsx"]),
    default="yaml",
    show_default=True,
    help="YAML, or one spreadsheet with a sheet per part of the plan.",
)
def plan_export_command(org_slug: str, output: Path | None, file_format: str) -> None:
    """Export the whole plan as YAML or XLSX, the formats `plan import` reads."""
    django_setup()
    from execution2.plans.plan_file import plan_export, plan_xlsx

    organization = organization_or_usage_error(org_slug)
    if file_format == "xlsx":
        if output is None:
            raise click.UsageError("give -o FILE.xlsx: a workbook isn't written to the terminal")
        output.write_bytes(plan_xlsx(organization=organization))
        click.echo(f"Wrote {output}.", err=True)
        return
    text = plan_export(organization=organization)
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {output}.", err=True)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _roi(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:+.0f}%"


def status_json(status: Any) -> dict[str, Any]:
    def initiative(row: Any) -> dict[str, Any]:
        f = row.finance
        return {
            "id": row.id,
            "key": row.key,
            "title": row.title,
            "status": row.status,
            "owner": row.owner_name or None,
            "weight": row.weight,
            "start": row.start.isoformat() if row.start else None,
            "end": row.end.isoformat() if row.end else None,
            "progress": row.progress,
            "kpi_progress": row.kpi_progress,
            "schedule_performance": row.schedule,
            "assignments": vars(row.counts),
            "open_blockers": row.open_blockers,
            "finance": {
                "planned_cost": f.planned_cost,
                "planned_to_date": f.planned_to_date,
                "actual_cost": f.actual_cost,
                "returns": f.returns,
                "roi": f.roi,
                "payback_months": f.payback_months,
                "budget_variance": f.budget_variance,
                "budget_variance_share": f.budget_variance_share,
            },
            "breadth": row.breadth.breadth if row.breadth else None,
            "top_unit_share": row.breadth.top_share if row.breadth else None,
            "flags": row.flags,
            "opportunities": row.opportunity_ids,
            "parents": row.parent_ids,
            "units": row.unit_paths,
            "tactics": [
                {
                    "id": t.id,
                    "title": t.title,
                    "progress": t.progress,
                    "assignments": vars(t.counts),
                }
                for t in row.tactics
            ],
        }

    p = status.portfolio
    return {
        "as_of": status.as_of.isoformat(),
        "progress": status.progress,
        "portfolio": {
            "planned_cost": p.planned_cost,
            "actual_cost": p.actual_cost,
            "returns": p.returns,
            "roi": p.roi,
            "payback_months": p.payback_months,
            "budget_variance": p.budget_variance,
        },
        "opportunities": [
            {
                "id": o.id,
                "key": o.key,
                "title": o.title,
                "progress": o.progress,
                "initiatives": o.initiative_ids,
            }
            for o in status.opportunities
        ],
        "initiatives": [initiative(row) for row in status.initiatives.values()],
    }


def print_tree(status: Any) -> None:
    def line(depth: int, label: str, row: Any) -> None:
        f = row.finance
        flags = f"  [{', '.join(row.flags)}]" if row.flags else ""
        click.echo(
            f"{'  ' * depth}- {label}: progress {_pct(row.progress)}, schedule "
            f"{_ratio(row.schedule)}, ROI {_roi(f.roi)}, spent {f.actual_cost:,.0f} of "
            f"{f.planned_cost:,.0f}{flags}"
        )
        c = row.counts
        if c.total:
            click.echo(
                f"{'  ' * (depth + 1)}{c.total:,} assignments: {c.done:,} done, {c.late:,} late, "
                f"{c.unacknowledged:,} not acknowledged"
            )

    def walk(row: Any, depth: int, seen: frozenset[int]) -> None:
        line(depth, f"{row.title} ({row.key})", row)
        for child_id in row.child_ids:
            if child_id not in seen:
                walk(status.initiatives[child_id], depth + 1, seen | {child_id})

    click.echo(f"Plan as of {status.as_of:%Y-%m-%d}: progress {_pct(status.progress)}")
    for opportunity in status.opportunities:
        click.echo(
            f"{opportunity.title} ({opportunity.key}): progress {_pct(opportunity.progress)}"
        )
        for initiative_id in opportunity.initiative_ids:
            row = status.initiatives[initiative_id]
            if not row.parent_ids:
                walk(row, 1, frozenset({row.id}))
    orphans = status.roots()
    if orphans:
        click.echo("Not under an opportunity:")
        for row in orphans:
            walk(row, 1, frozenset({row.id}))
    p = status.portfolio
    click.echo(
        f"Portfolio: spent {p.actual_cost:,.0f} of {p.planned_cost:,.0f} planned, returns "
        f"{p.returns:,.0f}, ROI {_roi(p.roi)}, payback "
        f"{'—' if p.payback_months is None else f'{p.payback_months:.1f} months'}"
    )


@plan.command("status")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.option("--as-of", "as_of", help="Date to measure schedule against (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of the tree.")
def plan_status_command(org_slug: str, as_of: str | None, as_json: bool) -> None:
    """Print the plan tree with progress, schedule, ROI and flags."""
    day = parse_day(as_of)
    django_setup()
    from execution2.plans.selectors import plan_status

    organization = organization_or_usage_error(org_slug)
    status = plan_status(organization=organization, as_of=day)
    if as_json:
        click.echo(json.dumps(status_json(status), indent=2))
        return
    print_tree(status)


@plan.command("digest")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
def plan_digest_command(org_slug: str) -> None:
    """Send due-soon reminders and the daily digests; run it once a day (e.g. from cron)."""
    django_setup()
    from execution2.plans.notifications import digest_send

    organization = organization_or_usage_error(org_slug)
    result = digest_send(organization=organization)
    click.echo(
        f"{result['reminders']} due-soon reminder(s) queued or sent; "
        f"{result['digests']} digest(s) with {result['notices']} notice(s) sent."
    )


COMMANDS = [plan]
