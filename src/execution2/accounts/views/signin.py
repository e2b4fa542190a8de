"""Sign-in: the password, then (when the account has it) the second step; password reset."""

from __future__ import annotations

import time
from typing import Any

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_ratelimit.decorators import ratelimit

from execution2.accounts.forms import CodeForm, PasswordResetByEmailForm
from execution2.accounts.services import (
    METHOD_RECOVERY,
    account_event_record,
    mfa_enabled,
    mfa_verify,
    sessions_end,
    signin_failure_record,
    signin_record,
    totp_device_for,
)
from execution2.core.views import LoginView
from execution2.orgs.choices import AuditAction

# Between the password and the code: who, where to go next, and since when.
PENDING_KEY = "accounts.pending_signin"
PENDING_SECONDS = 300


class SignInView(LoginView):
    template_name = "accounts/signin.html"

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if mfa_enabled(user=user):
            # The password is right, but the account is not signed in until the second step.
            self.request.session[PENDING_KEY] = {
                "user": user.pk,
                "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
                "next": self.get_success_url(),
                "at": time.time(),
            }
            return redirect("accounts:signin_code")
        self.request.signin_method = "password"  # type: ignore[attr-defined]
        response = super().form_valid(form)
        signin_record(request=self.request, user=user, method="password")
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        email = str(self.request.POST.get("username", "")).strip().lower()
        if email:
            signin_failure_record(
                request=self.request, email=email, reason="wrong e-mail address or password"
            )
        return super().form_invalid(form)


def _pending_user(request: HttpRequest) -> tuple[Any, dict[str, Any]] | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    return (user, pending) if user is not None else None


def _code_key(group: str, request: HttpRequest) -> str:
    pending = request.session.get(PENDING_KEY) or {}
    user_id = pending.get("user") if isinstance(pending, dict) else None
    return f"user:{user_id or getattr(request.user, 'pk', '')}"


@never_cache
@sensitive_post_parameters("code")
@ratelimit(key="ip", rate=lambda g, r: settings.LOGIN_RATE, method="POST", block=True)
@ratelimit(key=_code_key, rate=lambda g, r: settings.LOGIN_RATE, method="POST", block=True)
def signin_code(request: HttpRequest) -> HttpResponseBase:
    """The second step: a code from the authenticator app, or a recovery code.

    Also reached by someone already signed in whose session has no second step yet, when an
    organization they administer starts to require one.
    """
    already_in = request.user.is_authenticated
    if already_in:
        user, next_url = request.user, request.GET.get("next") or reverse("home")
        if not url_is_safe(request, next_url):
            next_url = reverse("home")
        if not mfa_enabled(user=user):
            return redirect("accounts:security")
    else:
        found = _pending_user(request)
        if found is None:
            messages.info(
                request, "Sign in again: the code has to follow the password within 5 minutes."
            )
            return redirect("login")
        user, pending = found
        next_url = pending["next"]
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        method = mfa_verify(user=user, token=form.cleaned_data["code"])
        if method is not None:
            if not already_in:
                request.session.pop(PENDING_KEY, None)
                request.signin_method = f"password and {method}"  # type: ignore[attr-defined]
                login(request, user, backend=pending["backend"])
            device = totp_device_for(user=user)
            if device is not None:
                django_otp.login(request, device)
            if already_in:
                account_event_record(
                    user=user,
                    actor=user,
                    action=AuditAction.SIGNIN,
                    detail={"method": f"second step ({method})"},
                )
            else:
                signin_record(request=request, user=user, method=f"password and {method}")
            if method == METHOD_RECOVERY:
                left = user.recovery_codes.filter(used_at__isnull=True).count()
                messages.warning(
                    request,
                    f"You used a recovery code; {left} left. Each works once: make new ones on "
                    "your account page if you are running short.",
                )
            return redirect(next_url)
        signin_failure_record(
            request=request,
            email=user.get_username(),
            user=user,
            reason="wrong authenticator or recovery code",
        )
        form.add_error("code", "That code doesn't match. Enter the current one from the app.")
    return render(request, "accounts/signin_code.html", {"form": form})


def url_is_safe(request: HttpRequest, url: str) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    return url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


@method_decorator(
    ratelimit(key="ip", rate=lambda g, r: settings.LOGIN_RATE, method="POST", block=True),
    name="post",
)
class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset: the same answer whether or not the address has an account."""

    form_class = PasswordResetByEmailForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # The new password already invalidates other sessions; drop them from the list too.
        sessions_end(user=form.user, request=self.request, audit=False)
        account_event_record(
            user=form.user,
            actor_label=form.user.get_username(),
            action=AuditAction.PASSWORD_RESET,
            detail={"user": form.user.get_username(), "by": "link sent by e-mail"},
        )
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_set_done.html"
