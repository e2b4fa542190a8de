"""Invitation tokens: 192 random bits in the link, a keyed hash in the database."""

from __future__ import annotations

import secrets

from django.utils.crypto import salted_hmac

TOKEN_BYTES = 24  # 192 bits; design.md 4.2 asks for at least 128


def token_new() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """HMAC-SHA256 under the installation's secret key: a stolen table can't be brute-forced."""
    return salted_hmac("execution2.assessments.invitation", token, algorithm="sha256").hexdigest()
