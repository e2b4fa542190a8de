"""Writes of accounts: two-step sign-in, recovery codes, sessions and their audit events."""

from __future__ import annotations

import secrets
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_totp.models import TOTPDevice

from execution2.accounts.models import RecoveryCode, UserSession
from execution2.orgs.choices import AuditAction
from execution2.orgs.models import AuditEvent, Membership, Organization

RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: the codes are read off paper. 10 of 31 symbols is about 50 bits.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 10
METHOD_AUTHENTICATOR = "authenticator code"
METHOD_RECOVERY = "recovery code"


# --- audit ----------------------------------------------------------------------------------


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # REMOTE_ADDR only: a forwarded-for header is whatever the client wants it to be.
    return request.META.get("REMOTE_ADDR") or None


def account_event_record(
    *,
    user: Any | None,
    action: str,
    detail: dict[str, Any],
    actor: AbstractBaseUser | AnonymousUser | None = None,
    actor_label: str = "",
    organizations: list[Organization] | None = None,
) -> None:
    """Record an account event in every organization the user belongs to.

    Admins of each organization see what happens to their members' accounts there; an event
    with no organization (an unknown e-mail address) is kept installation-wide.
    """
    if organizations is None:
        organizations = (
            list(Organization.objects.filter(memberships__user=user).distinct())
            if user is not None
            else []
        )
    real_actor = actor if actor is not None and actor.is_authenticated else None
    label = actor_label or (real_actor.get_username() if real_actor is not None else "")
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                organization=organization,
                actor=real_actor,
                actor_label=label[:254],
                action=action,
                detail=detail,
            )
            for organization in (organizations or [None])
        ]
    )


def signin_record(*, request: HttpRequest, user: Any, method: str) -> None:
    account_event_record(
        user=user,
        actor=user,
        action=AuditAction.SIGNIN,
        detail={"method": method, "address": client_address(request)},
    )


def signin_failure_record(
    *, request: HttpRequest, email: str, reason: str, user: Any | None = None
) -> None:
    from django.contrib.auth import get_user_model

    if user is None and email:
        user = get_user_model().objects.filter(username__iexact=email).first()
    account_event_record(
        user=user,
        actor_label=email[:254] or "unknown",
        action=AuditAction.SIGNIN_FAILED,
        detail={"reason": reason, "address": client_address(request)},
    )


# --- two-step sign-in -------------------------------------------------------------------------


def _recovery_hash(user_id: int, code: str) -> str:
    normalised = "".join(ch for ch in code.lower() if ch.isalnum())
    return salted_hmac(
        "execution2.accounts.recovery", f"{user_id}:{normalised}", algorithm="sha256"
    ).hexdigest()


def _recovery_code_new() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def mfa_enabled(*, user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def mfa_totp_start(*, user: Any) -> TOTPDevice:
    """A fresh, unconfirmed authenticator secret; it counts once a code from it is entered."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice(user=user, name="Authenticator app", confirmed=False)
    device.full_clean()
    device.save()
    return device


@transaction.atomic
def mfa_totp_confirm(*, user: Any, token: str) -> list[str]:
    """Turn two-step sign-in on with the pending secret; returns the new recovery codes."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        raise ValidationError("Start again: the secret to scan has expired.")
    if not device.verify_token(token.strip().replace(" ", "")):
        raise ValidationError(
            "That code doesn't match. Check the time on your phone and enter the current code."
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_replace(user)
    account_event_record(
        user=user, actor=user, action=AuditAction.MFA_ENABLE, detail={"user": user.get_username()}
    )
    return codes


def _recovery_codes_replace(user: Any) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_recovery_code_new() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=user, code_hash=_recovery_hash(user.pk, code)) for code in codes]
    )
    return codes


@transaction.atomic
def recovery_codes_make(*, user: Any) -> list[str]:
    """New recovery codes; the old ones stop working."""
    if not mfa_enabled(user=user):
        raise ValidationError("Turn on two-step sign-in first.")
    codes = _recovery_codes_replace(user)
    account_event_record(
        user=user,
        actor=user,
        action=AuditAction.RECOVERY_CODES,
        detail={"user": user.get_username(), "codes": len(codes)},
    )
    return codes


def mfa_verify(*, user: Any, token: str) -> str | None:
    """The method that proved the second step (an authenticator or a recovery code), or None.

    A recovery code works once: it is marked used in the same statement that checks it is not.
    """
    token = token.strip().replace(" ", "")
    if token.isdigit():
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            # verify_token throttles repeated failures and refuses a code already used.
            if device.verify_token(token):
                return METHOD_AUTHENTICATOR
        return None
    used = RecoveryCode.objects.filter(
        user=user, code_hash=_recovery_hash(user.pk, token), used_at__isnull=True
    ).update(used_at=timezone.now())
    return METHOD_RECOVERY if used == 1 else None


def totp_device_for(*, user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def mfa_disable(*, user: Any, token: str, actor: Any) -> None:
    if mfa_verify(user=user, token=token) is None:
        raise ValidationError("That code doesn't match: two-step sign-in is still on.")
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    account_event_record(
        user=user, actor=actor, action=AuditAction.MFA_DISABLE, detail={"user": user.get_username()}
    )


# --- sessions -------------------------------------------------------------------------------


def _session_store() -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_record(*, request: HttpRequest, user: Any, method: str) -> None:
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "ip_address": client_address(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "method": method[:40],
        },
    )


def session_forget(*, session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


@transaction.atomic
def sessions_end(
    *, user: Any, request: HttpRequest, only_key: str | None = None, audit: bool = True
) -> int:
    """Sign the user out of one session (`only_key`) or of every session they have."""
    rows = UserSession.objects.filter(user=user)
    if only_key is not None:
        rows = rows.filter(session_key=only_key)
    store = _session_store()
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        store().delete(key)
    rows.delete()
    if only_key is None and audit:
        account_event_record(
            user=user,
            actor=user,
            action=AuditAction.SIGNOUT_EVERYWHERE,
            detail={"sessions": len(keys), "address": client_address(request)},
        )
    return len(keys)


# --- an organization's sign-in rules ----------------------------------------------------------


def security_settings(organization: Organization) -> dict[str, Any]:
    stored = (organization.settings or {}).get("security", {})
    return {"mfa_for_admins": bool(stored.get("mfa_for_admins", False))}


@transaction.atomic
def organization_security_update(
    *, organization: Organization, actor: Any, mfa_for_admins: bool
) -> Organization:
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    stored = dict(organization.settings or {})
    security = dict(stored.get("security", {}))
    if bool(security.get("mfa_for_admins", False)) == mfa_for_admins:
        return organization
    security["mfa_for_admins"] = mfa_for_admins
    stored["security"] = security
    organization.settings = stored
    organization.full_clean()
    organization.save(update_fields=["settings"])
    AuditEvent.objects.create(
        organization=organization,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=actor.get_username()
        if getattr(actor, "is_authenticated", False)
        else "command line",
        action=AuditAction.SECURITY_CHANGE,
        detail={"admins need two-step sign-in": "yes" if mfa_for_admins else "no"},
    )
    return organization


def organizations_requiring_mfa(*, user: Any) -> list[Organization]:
    """The organizations where this user is an admin and admins must use two-step sign-in."""
    memberships = Membership.objects.filter(user=user, role="admin").select_related("organization")
    return [
        m.organization for m in memberships if security_settings(m.organization)["mfa_for_admins"]
    ]
