"""Sign-in, the landing page and the error pages shared by every app."""

from __future__ import annotations

import sys

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from execution2.orgs.selectors import organizations_for_user


class EmailAuthenticationForm(AuthenticationForm):
    """Sign-in by e-mail address, refused in the same words the page uses."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "That e-mail address and password don't match an account. Check both and try again."
        ),
    }

    def clean_username(self) -> str:
        return str(self.cleaned_data.get("username") or "").strip().lower()


def _login_key(group: str, request: HttpRequest) -> str:
    # Per account, so one attacker can't lock every user out by hammering from one address,
    # and per address below, so one address can't try many accounts.
    return (request.POST.get("username") or "").strip().lower()


@method_decorator(
    ratelimit(key="ip", rate=lambda g, r: settings.LOGIN_RATE, method="POST", block=True),
    name="post",
)
@method_decorator(
    ratelimit(key=_login_key, rate=lambda g, r: settings.LOGIN_RATE, method="POST", block=True),
    name="post",
)
class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True
    authentication_form = EmailAuthenticationForm


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {
            "title": "Too many attempts",
            "message": "Too many sign-in attempts. Wait a minute, then try again.",
        },
        status=429,
    )


@never_cache
@login_required
def home(request: HttpRequest) -> HttpResponse:
    organizations = list(organizations_for_user(user=request.user))
    if len(organizations) == 1:
        return redirect("orgs:home", org_slug=organizations[0].slug)
    return render(request, "core/home.html", {"organizations": organizations})


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(request, "core/error.html", {"title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "Bad request", "The request could not be understood.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        403,
        "Not allowed",
        "Your role in this organization does not allow this. Ask one of its admins.",
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 404, "Not found", "There is nothing here, or you are not allowed to see it."
    )


def _service_down(error: BaseException | None) -> bool:
    """Is this the database or Redis being unreachable (rather than a bug)?"""
    from django.db import InterfaceError, OperationalError

    if isinstance(error, OperationalError | InterfaceError):
        return True
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:
        return False
    return isinstance(error, RedisConnectionError | RedisTimeoutError)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be what failed.
    from django.template import loader

    if _service_down(sys.exc_info()[1]):
        # A service the page needs is down: say so and ask to retry; the connection is
        # opened afresh on the next request, so pages come back when the service does.
        response = HttpResponse(loader.get_template("core/error_503.html").render({}), status=503)
        response["Retry-After"] = "30"
        return response
    template = loader.get_template("core/error_500.html")
    return HttpResponse(template.render({}), status=500)
