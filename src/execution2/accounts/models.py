"""What accounts keep beside Django's users: recovery codes and the list of one's sessions."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RecoveryCode(models.Model):
    """A one-time code for signing in without the authenticator; only its keyed hash is kept.

    A used code stays (with `used_at`) so the account page can say how many are left and when
    one was last used.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"recovery code of {self.user_id} ({'used' if self.used_at else 'unused'})"


class UserSession(models.Model):
    """One signed-in browser, so its owner can see it and end it from anywhere.

    Django's session store can't be searched by user; this row is written at sign-in and
    removed at sign-out, and the session itself stays in Django's store.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    method = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"session of {self.user_id} since {self.created_at:%Y-%m-%d %H:%M}"
