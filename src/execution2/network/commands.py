"""`execution2 network ...`: import collaboration events and analyse the network."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import click

from execution2.core.cli import (
    ProgressBars,
    django_setup,
    fail_on_validation,
    organization_or_usage_error,
    parse_day,
    refusals_reported,
)

KEY_VARIABLE = "EXECUTION2_PSEUDONYM_KEY"


@click.group()
def network() -> None:
    """Collaboration events and the organizational network (connectedness)."""


@network.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.option(
    "--format",
    "source_format",
    type=click.Choice(["events", "slack", "exchange-trace"]),
    default=None,
    help="The files' format; by default detected from each file (a Slack export as its zip "
    "or folder, an Exchange Online message trace CSV, or our events format).",
)
@click.option(
    "--pseudonymised",
    is_flag=True,
    help=f"Ids in the files are HMAC-SHA256 hashes (hex) keyed with ${KEY_VARIABLE}: of the "
    "external id, or of the lowercase e-mail address.",
)
@fail_on_validation
def import_events(
    files: tuple[Path, ...], org_slug: str, pseudonymised: bool, source_format: str | None
) -> None:
    """Import collaboration events from CSV, JSON lines or Parquet FILES.

    Columns: timestamp (ISO 8601; without an offset it is UTC), sender, recipients (one or
    more, separated by ; in CSV, a list in JSON and Parquet), channel (email, chat, meeting,
    call, other), optionally weight or duration_minutes. People are matched by external id or
    e-mail. Re-importing a file adds nothing. On any problem every one is printed as
    FILE:ROW:COLUMN: message, nothing is stored, and the exit status is 2.
    """
    key: bytes | None = None
    if pseudonymised:
        secret = os.environ.get(KEY_VARIABLE, "")
        if not secret:
            raise click.UsageError(f"--pseudonymised needs the hash key in ${KEY_VARIABLE}")
        key = secret.encode("utf-8")
    django_setup()
    from execution2.network.services import events_import

    organization = organization_or_usage_error(org_slug)
    for file in files:
        bars = ProgressBars()
        with refusals_reported(bars, f"{file} was not imported"):
            result = events_import(
                organization=organization,
                source=file,
                file_name=str(file),
                pseudonym_key=key,
                progress=bars,
                source_format=source_format,
            )
        bars.close()
        click.echo(result.summary())


_WINDOW = re.compile(r"^\s*(\d+)\s*([dwm]?)\s*$")


def parse_window(value: str) -> int:
    """`90d`, `12w`, `3m` (30-day months) or a plain number of days."""
    match = _WINDOW.match(value or "")
    if not match:
        raise click.BadParameter(f"{value!r} is not a window like 90d, 12w or 3m")
    number = int(match[1]) * {"": 1, "d": 1, "w": 7, "m": 30}[match[2]]
    if not 1 <= number <= 3660:
        raise click.BadParameter("the window must be between 1 day and 10 years")
    return number


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


SUMMARY_LABELS = {
    "people": "People",
    "ties": "Ties",
    "interactions": "Interactions in ties",
    "density": "Density",
    "average_degree": "Average degree",
    "isolates": "Isolates",
    "isolate_share": "Isolate share",
    "largest_component_share": "Largest component share",
    "reciprocity": "Reciprocity",
    "cross_unit_share": "Cross-unit tie share",
    "ei_index": "E-I index",
    "unit_modularity": "Modularity of the unit partition",
    "executive_team": "Executive team",
    "reach_mean": "Leadership reach, mean hops",
    "reach_p90": "Leadership reach, 90th percentile hops",
    "reach_share": "Share reached by the executive team",
}


@network.command("analyze")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.option("--window", default="90d", show_default=True, help="Window length: 90d, 12w, 3m.")
@click.option("--as-of", "as_of", help="Last day of the window (default: the latest event).")
@click.option("--unit", "unit_path", help='Analyse one unit and below, e.g. "Marketing".')
@click.option("--min-interactions", default=2, show_default=True, type=click.IntRange(1, 1000))
@click.option(
    "--samples",
    default=256,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Source nodes sampled for betweenness.",
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option("--no-people", is_flag=True, help="Leave out figures about individuals (brokers).")
@click.option("--no-save", is_flag=True, help="Don't store the result for the pages.")
@fail_on_validation
def analyze(
    org_slug: str,
    window: str,
    as_of: str | None,
    unit_path: str | None,
    min_interactions: int,
    samples: int,
    as_json: bool,
    no_people: bool,
    no_save: bool,
) -> None:
    """Print every connectedness metric for a window of events (design.md 4.3).

    For the organization, or with --unit for one unit and everything below it: density,
    average degree, isolates, largest component, reciprocity, cross-unit share, E-I,
    modularity of the unit partition, Leiden and Louvain communities against the units (NMI,
    adjusted Rand), leadership reach, brokers, silos, and the same per month for trends.
    """
    days = parse_window(window)
    day = parse_day(as_of)
    django_setup()
    from execution2.analytics.network import NetworkSettings
    from execution2.network.selectors import unit_by_path
    from execution2.network.services import network_analyze

    organization = organization_or_usage_error(org_slug)
    unit_id = None
    if unit_path:
        unit = unit_by_path(organization=organization, path=unit_path)
        if unit is None:
            raise click.BadParameter(f"no unit {unit_path!r} in {org_slug}", param_hint="--unit")
        unit_id = unit.pk
    bars = ProgressBars()
    outcome = network_analyze(
        organization=organization,
        as_of=day,
        window_days=days,
        scope_unit_id=unit_id,
        settings=NetworkSettings(min_interactions=min_interactions, betweenness_samples=samples),
        save=not no_save,
        progress=bars,
    )
    bars.close()
    data = outcome.results()
    data = {
        "organization": organization.slug,
        "unit": unit_path,
        "nodes": outcome.analysis.summary.people,
        "ties": outcome.analysis.summary.ties,
        **data,
    }
    if not no_people:
        data.update(_people_figures(organization, outcome))
    data["seconds"] = {k: round(v, 3) for k, v in outcome.seconds.items()}
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    _print_text(data)


def _people_figures(organization: Any, outcome: Any) -> dict[str, Any]:
    from execution2.network.selectors import people_names

    sensitive = outcome.analysis.to_dict(sensitive=True)
    ids = {b["person_id"] for b in sensitive["brokers"]}
    for brokers in sensitive["unit_brokers"].values():
        ids |= {b["person_id"] for b in brokers}
    names = people_names(organization=organization, person_ids=sorted(ids))

    def named(broker: dict[str, Any]) -> dict[str, Any]:
        person = names.get(broker["person_id"])
        return {
            "external_id": person.external_id if person else None,
            "name": person.name if person else None,
            "unit": person.unit.path if person else None,
            "betweenness": round(broker["betweenness"], 8),
        }

    return {
        "brokers": [named(b) for b in sensitive["brokers"]],
        "unit_brokers": {
            str(unit): [named(b) for b in brokers]
            for unit, brokers in sensitive["unit_brokers"].items()
        },
    }


def _print_text(data: dict[str, Any]) -> None:
    window = data["window"]
    scope = data["unit"] or data["organization"]
    click.echo(f"Network of {scope}: {window['start']} to {window['end']} ({window['days']} days)")
    summary = data["summary"]
    for key, label in SUMMARY_LABELS.items():
        click.echo(f"  {label:<40} {_fmt(summary.get(key))}")
    for algorithm in ("leiden", "louvain"):
        found = summary.get(algorithm)
        if found:
            click.echo(
                f"  {algorithm.title() + ' communities':<40} {found['count']:,} "
                f"(modularity {_fmt(found['modularity'])}, NMI with units "
                f"{_fmt(found['nmi_with_units'])}, adjusted Rand {_fmt(found['ari_with_units'])})"
            )
    if data["silos"]:
        click.echo("Silos (lowest E-I):")
        for silo in data["silos"]:
            partners = ", ".join(f"{p['path']} ({p['ties']})" for p in silo["partners"]) or "none"
            click.echo(
                f"  {silo['path']:<40} E-I {_fmt(silo['ei_index'])}, {silo['people']:,} people; "
                f"outside ties to {partners}"
            )
    if data.get("brokers"):
        click.echo("Brokers (sampled betweenness):")
        for broker in data["brokers"][:10]:
            click.echo(
                f"  {broker['name'] or '?':<30} {broker['unit'] or '':<40} "
                f"{broker['betweenness']:.5f}"
            )
    click.echo("Units:")
    click.echo(
        f"  {'unit':<44} {'people':>7} {'density':>8} {'avg deg':>8} {'isol.':>6} "
        f"{'E-I':>7} {'cross':>6} {'reach':>6}"
    )
    for unit in data["units"]:
        if unit["depth"] > 1 and not data["unit"]:
            continue
        click.echo(
            f"  {unit['path'][:44]:<44} {unit['people']:>7,} {_fmt(unit['density']):>8} "
            f"{_fmt(unit['average_degree']):>8} {_fmt(unit['isolate_share']):>6} "
            f"{_fmt(unit['ei_index']):>7} {_fmt(unit['cross_unit_share']):>6} "
            f"{_fmt(unit['reach_mean']):>6}"
        )
    if data["trends"]:
        click.echo("Per month:")
        click.echo(
            f"  {'month':<8} {'people':>8} {'ties':>10} {'density':>8} {'isolates':>8} "
            f"{'cross':>6} {'E-I':>7} {'modul.':>7} {'reach':>6}"
        )
        for row in data["trends"]:
            click.echo(
                f"  {row['month']:<8} {row['people']:>8,} {row['ties']:>10,} "
                f"{_fmt(row['density']):>8} {_fmt(row['isolate_share']):>8} "
                f"{_fmt(row['cross_unit_share']):>6} {_fmt(row['ei_index']):>7} "
                f"{_fmt(row['unit_modularity']):>7} {_fmt(row['reach_mean']):>6}"
            )


@network.command("clear")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.option("--yes", is_flag=True, help="Don't ask for confirmation.")
def clear(org_slug: str, yes: bool) -> None:
    """Forget all imported collaboration events of the organization."""
    django_setup()
    from execution2.network.services import events_clear

    organization = organization_or_usage_error(org_slug)
    if not yes:
        click.confirm(f"Forget every collaboration event of {org_slug}?", abort=True)
    removed = events_clear(organization=organization)
    click.echo(f"Removed {removed:,} stored interactions.")


COMMANDS = [network]
