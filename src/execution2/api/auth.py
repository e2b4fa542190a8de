"""`Authorization: Bearer TOKEN`: who is calling, for which organization, how often."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django_ratelimit.core import is_ratelimited
from ninja.security import HttpBearer

from execution2.api.models import ApiToken
from execution2.api.services import token_authenticate
from execution2.orgs.choices import Role, role_at_least
from execution2.orgs.models import Membership, Organization

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class RateLimited(Exception):
    pass


def _token_key(group: str, request: HttpRequest) -> str:
    return f"api-token:{request.api_token.pk}"  # type: ignore[attr-defined]


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_authenticate(token)
        if found is None:
            return None
        request.api_token = found  # type: ignore[attr-defined]
        request.user = found.user
        # Another organization's address is 404 before anything else is looked at, so not
        # even the validation of a body can tell that it exists.
        match = request.resolver_match
        slug = match.kwargs.get("org_slug") if match is not None else None
        if slug is not None and slug != found.organization.slug:
            raise Http404("No such organization")
        if is_ratelimited(
            request,
            group="api",
            key=_token_key,
            rate=settings.EXECUTION2_API_RATE,
            increment=True,
        ):
            raise RateLimited
        return found


@dataclass(frozen=True, slots=True)
class ApiContext:
    """What an operation knows once tenancy and role are checked (like org_view's request)."""

    organization: Organization
    membership: Membership
    token: ApiToken

    @property
    def user(self) -> Any:
        return self.token.user


def org_context(
    request: HttpRequest, org_slug: str, min_role: Role = Role.MEMBER, *, export: bool = False
) -> ApiContext:
    """The token's organization if it is `org_slug`, else 404, exactly as org_view.

    A token only ever reaches its own organization, and only while its user is a member with
    at least `min_role` (403 otherwise). A read-only token gets 403 on anything but a read.
    Writes and exports are audit-logged once they succeed (see api.v1.ExecutionApi).
    """
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    if token.organization.slug != org_slug:
        raise Http404("No such organization")
    membership = (
        Membership.objects.select_related("organization", "person")
        .filter(user_id=token.user_id, organization_id=token.organization_id)
        .first()
    )
    if membership is None:
        raise Http404("No such organization")
    if not role_at_least(membership.role, min_role):
        raise PermissionDenied(f"This needs the {Role(min_role).label.lower()} role or above.")
    writing = request.method not in SAFE_METHODS
    if writing and token.read_only:
        raise PermissionDenied("This token is read-only.")
    if writing or export:
        request.api_audit = "api.write" if writing else "api.export"  # type: ignore[attr-defined]
    return ApiContext(membership.organization, membership, token)
