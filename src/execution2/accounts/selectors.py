"""Reads of accounts, always for one user."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY

from execution2.accounts.models import UserSession


@dataclass(frozen=True)
class SessionRow:
    session: UserSession
    current: bool
    browser: str


def _browser(user_agent: str) -> str:
    # A readable hint, not a fingerprint: the product family and the system.
    agent = user_agent or ""
    product = next(
        (
            name
            for token, name in (
                ("Edg/", "Edge"),
                ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"),
                ("Safari/", "Safari"),
            )
            if token in agent
        ),
        "a browser" if agent else "an unknown client",
    )
    system = next(
        (
            name
            for token, name in (
                ("Windows", "Windows"),
                ("Android", "Android"),
                ("iPhone", "iPhone"),
                ("Mac OS X", "macOS"),
                ("Linux", "Linux"),
            )
            if token in agent
        ),
        "",
    )
    return f"{product} on {system}" if system else product


def sessions_for(*, user: Any, current_key: str | None) -> list[SessionRow]:
    """The user's live sessions, this one first; ended or expired ones are left out."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    rows = []
    for session in UserSession.objects.filter(user=user):
        if session.session_key != current_key and str(
            store(session_key=session.session_key).load().get(SESSION_KEY, "")
        ) != str(user.pk):
            # Expired, ended elsewhere, or invalidated by a new password.
            continue
        rows.append(
            SessionRow(
                session=session,
                current=session.session_key == current_key,
                browser=_browser(session.user_agent),
            )
        )
    rows.sort(key=lambda row: not row.current)
    return rows


def admins_with_mfa(*, organization: Any) -> list[tuple[str, bool]]:
    """Each admin's e-mail and whether their account has two-step sign-in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from execution2.orgs.models import Membership

    admins = list(
        Membership.objects.filter(organization=organization, role="admin")
        .select_related("user")
        .order_by("user__email")
    )
    with_mfa = set(
        TOTPDevice.objects.filter(
            user_id__in=[m.user_id for m in admins], confirmed=True
        ).values_list("user_id", flat=True)
    )
    return [(m.user.email or m.user.get_username(), m.user_id in with_mfa) for m in admins]
