"""One's own account: two-step sign-in, recovery codes and signed-in sessions."""

from __future__ import annotations

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from execution2.accounts.forms import AuthenticatorCodeForm, CodeForm
from execution2.accounts.selectors import sessions_for
from execution2.accounts.services import (
    mfa_disable,
    mfa_enabled,
    mfa_totp_confirm,
    mfa_totp_start,
    organizations_requiring_mfa,
    recovery_codes_make,
    sessions_end,
)


def _codes_page(request: HttpRequest, codes: list[str], first_time: bool) -> HttpResponse:
    # Shown once, never stored readable: the page must not be cached either.
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "first_time": first_time}
    )


@never_cache
@login_required
def security(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "mfa_on": mfa_enabled(user=user),
            "codes_left": user.recovery_codes.filter(used_at__isnull=True).count(),  # type: ignore[union-attr]
            "required_by": organizations_requiring_mfa(user=user),
            "disable_form": CodeForm(),
            "sessions": sessions_for(user=user, current_key=request.session.session_key),
        },
    )


@never_cache
@sensitive_post_parameters("code")
@login_required
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Scan a new secret, then prove it with a code; a GET always starts afresh."""
    user = request.user
    if request.method != "POST":
        device = mfa_totp_start(user=user)
        form = AuthenticatorCodeForm()
    else:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
        if device is None:
            messages.error(request, "Start again: the secret to scan has expired.")
            return redirect("accounts:mfa_setup")
        form = AuthenticatorCodeForm(request.POST)
        if form.is_valid():
            try:
                codes = mfa_totp_confirm(user=user, token=form.cleaned_data["code"])
            except ValidationError as error:
                form.add_error("code", " ".join(error.messages))
            else:
                device.refresh_from_db()
                # This session has just proved the second step.
                django_otp.login(request, device)
                return _codes_page(request, codes, first_time=True)
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "qr_data_uri": qr.svg_data_uri(scale=4, dark="#111", light="#fff"),
            "secret": _grouped(device.bin_key),
        },
        status=422 if form.errors else 200,
    )


def _grouped(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@never_cache
@require_POST
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    try:
        codes = recovery_codes_make(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:security")
    return _codes_page(request, codes, first_time=False)


@sensitive_post_parameters("code")
@require_POST
@login_required
def mfa_off(request: HttpRequest) -> HttpResponse:
    user = request.user
    if organizations_requiring_mfa(user=user):
        messages.error(
            request,
            "Two-step sign-in stays on: an organization you administer requires it of admins.",
        )
        return redirect("accounts:security")
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            mfa_disable(user=user, token=form.cleaned_data["code"], actor=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Two-step sign-in is off. Your password alone signs you in.")
    else:
        messages.error(request, "Enter a code from your app to turn two-step sign-in off.")
    return redirect("accounts:security")


@require_POST
@login_required
def session_end(request: HttpRequest) -> HttpResponse:
    """End one other session, or every session including this one ("everywhere")."""
    user = request.user
    if request.POST.get("everywhere"):
        count = sessions_end(user=user, request=request)
        logout(request)
        messages.success(
            request, f"You were signed out of {count} session{'s' if count != 1 else ''}."
        )
        return redirect("login")
    key = str(request.POST.get("session", ""))
    if key and key != request.session.session_key:
        sessions_end(user=user, request=request, only_key=key)
        messages.success(request, "That session is signed out.")
    return redirect("accounts:security")
