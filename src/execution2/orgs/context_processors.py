from typing import Any

from django.http import HttpRequest

from execution2.core.navigation import navigation_for
from execution2.orgs.choices import Role, role_at_least
from execution2.orgs.selectors import organizations_for_user


def organizations(request: HttpRequest) -> dict[str, Any]:
    """The organization switcher and the current organization for the layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    membership = getattr(request, "membership", None)
    organization = getattr(request, "organization", None)
    navigation = {}
    if membership is not None and organization is not None:
        match = request.resolver_match
        navigation = navigation_for(
            slug=organization.slug,
            role=membership.role,
            current_view=match.view_name if match else "",
        )
    return {
        "navigation": navigation,
        "my_organizations": organizations_for_user(user=user),
        "current_organization": getattr(request, "organization", None),
        "current_membership": membership,
        "is_org_admin": membership is not None and membership.role == Role.ADMIN,
        "is_org_executive": membership is not None
        and role_at_least(membership.role, Role.EXECUTIVE),
    }
