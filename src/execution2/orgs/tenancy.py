"""Every organization page goes through `org_view`: membership or 404, then the role check."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from execution2.orgs.choices import Role, role_at_least
from execution2.orgs.selectors import membership_for

View = Callable[..., HttpResponse]


def org_view(min_role: Role = Role.MEMBER) -> Callable[[View], View]:
    """Load `request.organization` and `request.membership` from the URL's `org_slug`.

    Someone who is not a member gets 404, exactly as for an organization that does not exist,
    so URLs reveal nothing about other organizations. A member whose role is too low gets 403.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, org_slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            membership = membership_for(user=request.user, slug=org_slug)
            if membership is None:
                raise Http404("No such organization")
            if not role_at_least(membership.role, min_role):
                raise PermissionDenied
            request.organization = membership.organization  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapper.org_min_role = min_role  # type: ignore[attr-defined]
        return login_required(wrapper)

    return decorator
