"""Writes of the API app: tokens (and, through `webhooks`, endpoints and deliveries)."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from execution2.api.models import ApiToken
from execution2.orgs.models import Membership, Organization
from execution2.orgs.services import audit_record

TOKEN_PREFIX = "e2_"
# A token's last-used time is written at most this often, so reads don't each cost a write.
LAST_USED_RESOLUTION = datetime.timedelta(seconds=60)
MAX_EXPIRY_DAYS = 3650


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


@transaction.atomic
def token_create(
    *,
    organization: Organization,
    user: Any,
    name: str,
    read_only: bool = False,
    expires_days: int | None = None,
    actor: Any = None,
) -> NewToken:
    if not Membership.objects.filter(organization=organization, user=user).exists():
        raise ValidationError(f"{user} is not a member of {organization.name}.")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name that says what uses it."})
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRY_DAYS:
        raise ValidationError({"expires": f"Expiry is 1 to {MAX_EXPIRY_DAYS} days."})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken(
        user=user,
        organization=organization,
        name=name[:100],
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=token_hash(secret),
        read_only=read_only,
        created_at=now,
        expires_at=now + datetime.timedelta(days=expires_days) if expires_days else None,
    )
    token.full_clean()
    token.save()
    audit_record(
        organization=organization,
        actor=actor if actor is not None else user,
        action="api.token_create",
        detail={"token": token.prefix, "name": token.name, "read_only": read_only},
    )
    return NewToken(token, secret)


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            organization=token.organization,
            actor=actor,
            action="api.token_revoke",
            detail={"token": token.prefix, "name": token.name},
        )
    return token


def token_authenticate(secret: str) -> ApiToken | None:
    """The usable token with this secret, its last-used time refreshed; None otherwise."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user", "organization")
        .filter(token_hash=token_hash(secret))
        .first()
    )
    now = timezone.now()
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
