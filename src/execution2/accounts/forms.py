from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6 digits your authenticator app shows now, or one of your recovery codes.",
    )


class AuthenticatorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from the app",
        max_length=10,
        help_text="The 6 digits the app shows for Execution 2.0.",
    )


class OrganizationSecurityForm(forms.Form):
    mfa_for_admins = forms.BooleanField(
        label="Admins must use two-step sign-in",
        required=False,
        help_text=(
            "An admin without it is asked to set it up before any page of any organization. "
            "People who sign in through the organization's identity provider rely on its checks."
        ),
    )


class PasswordResetByEmailForm(PasswordResetForm):
    """Django's reset form, also for people invited who never chose a password.

    Django leaves out accounts with an unusable password (they sign in elsewhere); here that
    is what an invitation not yet taken up looks like, so they may ask for a new link.
    """

    def get_users(self, email: str) -> Iterator[Any]:
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in users if user.email and user.email.lower() == email.lower())
