"""Admins of an organization that requires two-step sign-in reach no page without it."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from execution2.accounts.services import mfa_enabled, organizations_requiring_mfa

# Where someone who still needs the second step may go: their account pages (to set it up),
# sign-out, the static files and the anonymous survey.
EXEMPT_PREFIXES = ("/accounts/", "/s/")

# The session key an SSO sign-in sets: the identity provider is then in charge of the checks.
SSO_SESSION_KEY = "accounts.sso"


class MfaRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr]
            and not request.session.get(SSO_SESSION_KEY)
            and not request.path.startswith((*EXEMPT_PREFIXES, settings.STATIC_URL or "/static/"))
        ):
            organizations = organizations_requiring_mfa(user=user)
            if organizations:
                names = ", ".join(o.name for o in organizations)
                if mfa_enabled(user=user):
                    query = urlencode({"next": request.get_full_path()})
                    return redirect(f"{reverse('accounts:signin_code')}?{query}")
                messages.warning(
                    request,
                    f"{names} requires its admins to use two-step sign-in. Set it up to go on.",
                )
                return redirect("accounts:security")
        return self.get_response(request)
