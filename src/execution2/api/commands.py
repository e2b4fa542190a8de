"""`execution2 token ...`: personal access tokens for the REST API."""

from __future__ import annotations

import click

from execution2.core.cli import django_setup, fail_on_validation, organization_or_usage_error


@click.group()
def token() -> None:
    """Create, list and revoke personal access tokens for the REST API."""


@token.command("create")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.option("--user", "email", required=True, help="The member the token acts as.")
@click.option("--name", required=True, help="What uses the token, e.g. 'BI dashboard'.")
@click.option("--read-only", is_flag=True, help="Every write with it gets 403.")
@click.option("--expires", "expires_days", type=click.IntRange(1, 3650), help="Days it lasts.")
@fail_on_validation
def token_create_command(
    org_slug: str, email: str, name: str, read_only: bool, expires_days: int | None
) -> None:
    """Create a token and print it, once: only its hash is kept."""
    django_setup()
    from django.contrib.auth import get_user_model

    from execution2.api.services import token_create

    organization = organization_or_usage_error(org_slug)
    account = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if account is None:
        raise click.UsageError(f"no user {email!r}; create one with `execution2 user create`")
    created = token_create(
        organization=organization,
        user=account,
        name=name,
        read_only=read_only,
        expires_days=expires_days,
        actor=None,
    )
    click.echo(
        f"Token {created.token.name!r} for {account.email} in {organization.slug}"
        + (" (read-only)" if read_only else "")
        + (f", expires {created.token.expires_at:%Y-%m-%d}" if created.token.expires_at else "")
        + ". It is shown only now:",
        err=True,
    )
    click.echo(created.secret)


@token.command("list")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
def token_list_command(org_slug: str) -> None:
    """List the organization's tokens (never their secrets)."""
    django_setup()
    from execution2.api.models import ApiToken

    organization = organization_or_usage_error(org_slug)
    for row in ApiToken.objects.filter(organization=organization).select_related("user"):
        state = "revoked" if row.revoked_at else ("read-only" if row.read_only else "read-write")
        used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never used"
        click.echo(f"{row.pk}\t{row.prefix}…\t{row.user.email}\t{row.name}\t{state}\t{used}")


@token.command("revoke")
@click.option("--org", "org_slug", required=True, help="Organization slug.")
@click.argument("token_id", type=int)
def token_revoke_command(org_slug: str, token_id: int) -> None:
    """Revoke the token TOKEN_ID (see `token list`); it stops working at once."""
    django_setup()
    from execution2.api.models import ApiToken
    from execution2.api.services import token_revoke

    organization = organization_or_usage_error(org_slug)
    row = ApiToken.objects.filter(organization=organization, pk=token_id).first()
    if row is None:
        raise click.UsageError(f"no token {token_id} in {org_slug}")
    token_revoke(token=row, actor=None)
    click.echo(f"Revoked {row.name!r} ({row.prefix}…).")


COMMANDS = [token]
