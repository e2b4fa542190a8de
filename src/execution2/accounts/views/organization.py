"""An organization's sign-in rules, for its admins."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from execution2.accounts.forms import OrganizationSecurityForm
from execution2.accounts.selectors import admins_with_mfa
from execution2.accounts.services import organization_security_update, security_settings
from execution2.orgs.choices import Role
from execution2.orgs.tenancy import OrgRequest, org_view


@org_view(min_role=Role.ADMIN)
def org_security(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    form = OrganizationSecurityForm(request.POST or None, initial=security_settings(organization))
    if request.method == "POST" and form.is_valid():
        organization_security_update(
            organization=organization,
            actor=request.user,
            mfa_for_admins=form.cleaned_data["mfa_for_admins"],
        )
        messages.success(request, "Sign-in rules saved.")
        return redirect("accounts:org_security", org_slug=organization.slug)
    return render(
        request,
        "accounts/org_security.html",
        {"form": form, "admins": admins_with_mfa(organization=organization)},
    )
