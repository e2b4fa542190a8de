"""`execution2 listen ...`: import conversations, name brands, analyse, label, train."""

from __future__ import annotations

import json
import sys
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
    refusals_reported,
)


@click.group("listen")
def listen() -> None:
    """Market listening: conversations, brands, sentiment, themes, spikes."""


@listen.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.option("--columns", help="Map our columns to your headers: text=Message,timestamp=Date")
@click.option(
    "--channel",
    "default_channel",
    help="Channel of posts whose file has no channel column or leaves it empty, e.g. twitter.",
)
def import_command(
    files: tuple[Path, ...], org_slug: str, columns: str | None, default_channel: str | None
) -> None:
    """Import conversations exported from listening tools (CSV, JSON lines or Parquet).

    Columns: text, timestamp, channel (twitter, forum, review, news, ...); optional id,
    author, url, language, engagement (or likes, shares, replies, summed), rating. Posts are
    de-duplicated by id, else by channel, author, time and text. All files are checked before
    anything is stored; problems are printed as FILE:ROW:COLUMN: message, exit status 2.
    """
    django_setup()
    from execution2.core.tabular import parse_column_map
    from execution2.listening.services import posts_import

    organization = organization_or_usage_error(org_slug)
    try:
        column_map = parse_column_map(columns)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--columns") from None
    bars = ProgressBars()
    with refusals_reported(bars):
        result = posts_import(
            organization=organization,
            paths=list(files),
            file_names=[str(f) for f in files],
            column_map=column_map,
            default_channel=default_channel,
            progress=bars,
        )
    bars.close()
    click.echo(result.summary())


@listen.group("brand")
def brand() -> None:
    """Name the organization's brand and its competitors."""


@brand.command("set")
@click.argument("name")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.option("--alias", "aliases", multiple=True, help="Another name, @handle or #hashtag.")
@click.option("--own", is_flag=True, help="This is the organization's own brand.")
@click.option("--match-case", is_flag=True, help="Match names only in this case.")
@fail_on_validation
def brand_set(
    name: str, org_slug: str, aliases: tuple[str, ...], own: bool, match_case: bool
) -> None:
    """Add the brand NAME, or replace its aliases and flags."""
    django_setup()
    from execution2.listening.models import Brand
    from execution2.listening.services import brand_save

    organization = organization_or_usage_error(org_slug)
    existing = Brand.objects.filter(organization=organization, name__iexact=name.strip()).first()
    saved = brand_save(
        organization=organization,
        name=name,
        aliases=list(aliases),
        own=own,
        match_case=match_case,
        brand=existing,
    )
    kind = "our brand" if saved.own else "competitor"
    click.echo(f"{saved.name} ({kind}): {', '.join(saved.aliases) or 'no aliases'}")


@brand.command("list")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
def brand_list(org_slug: str) -> None:
    """List the tracked brands."""
    django_setup()
    from execution2.listening.models import Brand

    organization = organization_or_usage_error(org_slug)
    for item in Brand.objects.filter(organization=organization):
        kind = "own" if item.own else "competitor"
        click.echo(f"{item.name}\t{kind}\t{', '.join(item.aliases)}")


@brand.command("remove")
@click.argument("name")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
def brand_remove(name: str, org_slug: str) -> None:
    """Stop tracking the brand NAME."""
    django_setup()
    from execution2.listening.models import Brand
    from execution2.listening.services import brand_delete

    organization = organization_or_usage_error(org_slug)
    item = Brand.objects.filter(organization=organization, name__iexact=name.strip()).first()
    if item is None:
        click.echo(f"error: no brand named {name!r}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    brand_delete(brand=item)
    click.echo(f"Removed {item.name}.")


SOURCES = {"lexicon": "the lexicon (VADER)", "trained": "the classifier trained on your labels"}


def _fmt(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:.1%}" if percent else f"{value:+.2f}"


@listen.command("analyze")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.option("--since", help="Only posts from this day on (2026-01-31).")
@click.option("--themes", "n_themes", default=20, show_default=True, type=click.IntRange(2, 100))
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON.")
@fail_on_validation
def analyze(org_slug: str, since: str | None, n_themes: int, as_json: bool) -> None:
    """Tag brands, score sentiment, find themes and spikes; print what people say."""
    day = parse_day(since)
    django_setup()
    from execution2.listening import store
    from execution2.listening.selectors import spikes, theme_views
    from execution2.listening.services import analysis_run

    organization = organization_or_usage_error(org_slug)
    if store.post_count(organization) == 0:
        click.echo(
            f"error: {organization.slug} has no conversations yet; import an export first with "
            f"`execution2 listen import --org {organization.slug} FILE`.",
            err=True,
        )
        sys.exit(EXIT_BAD_INPUT)
    bars = ProgressBars()
    run = analysis_run(organization=organization, since=day, n_themes=n_themes, progress=bars)
    bars.close()
    summary = run.summary
    views = theme_views(organization, run)
    found_spikes = spikes(organization, run)
    if as_json:
        out = {
            "posts": run.posts,
            "since": since,
            "start": summary.get("start"),
            "end": summary.get("end"),
            "sentiment_source": run.sentiment_source,
            "brands": summary.get("brands", []),
            "themes": [
                {
                    "id": v.theme.pk,
                    "name": v.theme.name,
                    "terms": v.terms[:10],
                    "posts": v.size,
                    "positive": v.positive,
                    "neutral": v.neutral,
                    "negative": v.negative,
                    "net": None if v.net is None else round(v.net, 4),
                    "pinned": v.theme.pinned,
                    "opportunity": v.opportunity,
                    "examples": [e["text"] for e in v.examples[:3]],
                }
                for v in views
                if v.found
            ],
            "spikes": [
                {k: v for k, v in s.items() if k not in {"drivers", "posts", "brands"}}
                | {
                    "drivers": [
                        {k: v for k, v in d.items() if k != "theme_obj"} for d in s["drivers"]
                    ],
                    "posts": [p["text"] for p in s.get("posts", [])],
                }
                for s in found_spikes
            ],
            "level_shifts": summary.get("level_shifts", []),
            "share_by_channel": summary.get("share_by_channel", []),
            "brand_by_week": summary.get("brand_by_week", []),
        }
        click.echo(json.dumps(out, indent=2, default=str))
        return
    click.echo(
        f"{run.posts:,} posts, {summary.get('start', '-')} to {summary.get('end', '-')}; "
        f"sentiment from {SOURCES.get(run.sentiment_source, run.sentiment_source)}."
    )
    if summary.get("brands"):
        click.echo("\nBrands             mentions  share  weighted  net sentiment")
        for b in summary["brands"]:
            own = " *" if b["own"] else ""
            click.echo(
                f"{(b['name'] + own)[:18]:<18} {b['mentions']:>8,}  {_fmt(b['share'], True):>5}  "
                f"{_fmt(b['weighted_share'], True):>8}  {_fmt(b['net'])}"
            )
    else:
        click.echo("\nNo brands are tracked: add some with `execution2 listen brand set`.")
    click.echo("\nThemes (posts, net sentiment)")
    for view in [v for v in views if v.found][:30]:
        click.echo(
            f"  {view.size:>8,}  {_fmt(view.net)}  {view.theme.name}  [{', '.join(view.terms[:6])}]"
        )
    click.echo(f"\nSpikes ({len(found_spikes)})")
    for spike in found_spikes[:15]:
        drivers = ", ".join(f"{d['name']} x{d['lift']}" for d in spike["drivers"]) or "-"
        click.echo(
            f"  {spike['start']}  {spike['label']}: {spike['total']:.0f} posts where "
            f"{spike['expected']:.0f}/h is usual (z {spike['z']}); driven by {drivers}"
        )
    for shift in summary.get("level_shifts", [])[:10]:
        click.echo(
            f"  level shift {shift['day']}  {shift['label']}: {shift['before']}/day -> "
            f"{shift['after']}/day"
        )


@listen.group("label")
def label() -> None:
    """Labelled posts for training the organization's sentiment classifier."""


@label.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.option("--train/--no-train", default=True, show_default=True, help="Retrain afterwards.")
@fail_on_validation
def label_import(file: Path, org_slug: str, train: bool) -> None:
    """Import labels (CSV or XLSX): `label` (negative, neutral, positive) and `id` of an
    imported post or the post's `text`. Then retrain and compare with the lexicon."""
    django_setup()
    from execution2.listening.services import labels_import

    organization = organization_or_usage_error(org_slug)
    bars = ProgressBars()
    with refusals_reported(bars):
        result = labels_import(
            organization=organization, source=file, file_name=str(file), progress=bars
        )
    bars.close()
    click.echo(result.summary())
    if train:
        _train(organization)


def _train(organization: Any) -> None:
    from execution2.listening.services import classifier_train

    bars = ProgressBars()
    model = classifier_train(organization=organization, progress=bars)
    bars.close()
    e = model.evaluation
    click.echo(
        f"Cross-validated on {model.labels:,} labels ({e['folds']} folds): trained "
        f"{e['trained_accuracy']:.1%} accuracy (macro-F1 {e['trained_macro_f1']:.2f}), lexicon "
        f"{e['lexicon_accuracy']:.1%} (macro-F1 {e['lexicon_macro_f1']:.2f})."
    )
    if model.in_use:
        click.echo("The trained classifier is now in use; run `listen analyze` to apply it.")
    else:
        click.echo("The lexicon stays in use until the trained classifier beats it.")


@label.command("train")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@fail_on_validation
def label_train(org_slug: str) -> None:
    """Retrain the classifier on every label and compare it with the lexicon."""
    django_setup()
    _train(organization_or_usage_error(org_slug))


COMMANDS = [listen]
