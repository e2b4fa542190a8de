from __future__ import annotations

from django import forms

from execution2.api.services import MAX_EXPIRY_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What will use it, e.g. “BI dashboard” or “HRIS sync”.",
        error_messages={"required": "Give the token a name that says what uses it."},
    )
    read_only = forms.BooleanField(
        label="Read-only", required=False, help_text="It can read, but every write gets 403."
    )
    expires_days = forms.IntegerField(
        label="Expires after (days)",
        required=False,
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        help_text="Empty: it never expires (you can revoke it at any time).",
    )
