"""Every organization page goes through `org_view`: membership or 404, then the role check.

A view behind `org_view` receives an `OrgRequest`: the request with `organization`,
`membership` and the role helpers on it, typed, so views neither cast nor silence mypy.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps
from typing import Any, Protocol, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from execution2.orgs.choices import Role, role_at_least
from execution2.orgs.models import Membership, Organization, Person
from execution2.orgs.selectors import membership_for

View = Callable[..., HttpResponse]


class OrgRequest(HttpRequest):
    """A request inside one organization, as `org_view` hands it to a view.

    Views and templates rely on the attribute names `organization` and `membership`.
    """

    organization: Organization
    membership: Membership

    @property
    def person(self) -> Person | None:
        """The person record the signed-in user is in this organization, if linked."""
        return self.membership.person

    @property
    def role(self) -> str:
        return self.membership.role

    def role_at_least(self, minimum: str) -> bool:
        return role_at_least(self.membership.role, minimum)

    @property
    def is_admin(self) -> bool:
        return self.role_at_least(Role.ADMIN)

    @property
    def is_executive(self) -> bool:
        return self.role_at_least(Role.EXECUTIVE)

    @property
    def is_manager(self) -> bool:
        return self.role_at_least(Role.MANAGER)


class OrgView(Protocol):
    """A view guarded by `org_view`; the tenancy tests read `org_min_role` off every route."""

    org_min_role: Role

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse: ...


@cache
def _org_request_class(request_class: type[HttpRequest]) -> type[OrgRequest]:
    # The request keeps its own class (WSGIRequest, ASGIRequest, a test client's) and gains
    # OrgRequest's helpers: one subclass per request class, made once.
    return type(f"Org{request_class.__name__}", (request_class, OrgRequest), {})


def as_org_request(request: HttpRequest, membership: Membership) -> OrgRequest:
    """Turn `request` into an `OrgRequest` for `membership` (in place, and return it)."""
    if not isinstance(request, OrgRequest):
        request.__class__ = _org_request_class(type(request))
    org_request = cast(OrgRequest, request)
    org_request.organization = membership.organization
    org_request.membership = membership
    return org_request


def org_view(min_role: Role = Role.MEMBER) -> Callable[[View], OrgView]:
    """Load `request.organization` and `request.membership` from the URL's `org_slug`.

    Someone who is not a member gets 404, exactly as for an organization that does not exist,
    so URLs reveal nothing about other organizations. A member whose role is too low gets 403.
    """

    def decorator(view: View) -> OrgView:
        @wraps(view)
        def wrapper(request: HttpRequest, org_slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            membership = membership_for(user=request.user, slug=org_slug)
            if membership is None:
                raise Http404("No such organization")
            if not role_at_least(membership.role, min_role):
                raise PermissionDenied
            return view(as_org_request(request, membership), *args, **kwargs)

        guarded = cast(OrgView, wrapper)
        guarded.org_min_role = min_role
        return cast(OrgView, login_required(guarded))

    return decorator
