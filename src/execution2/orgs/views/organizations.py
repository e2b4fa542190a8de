"""Setting up a new client organization, for the people who run this installation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from execution2.orgs.choices import Role
from execution2.orgs.forms import OrganizationCreateForm
from execution2.orgs.services import membership_set, organization_create


@login_required
def organization_new(request: HttpRequest) -> HttpResponse:
    # Staff are the consultants who run this installation; everyone else is invited by them.
    if not request.user.is_staff:
        raise PermissionDenied
    form = OrganizationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                organization = organization_create(
                    slug=form.cleaned_data["slug"],
                    name=form.cleaned_data["name"],
                    actor=request.user,
                )
                membership_set(
                    organization=organization,
                    user=request.user,
                    role=Role.ADMIN,
                    actor=request.user,
                )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, f"{organization.name} is set up. Import its people to begin.")
            return redirect("orgs:people_import", org_slug=organization.slug)
    status = 422 if request.method == "POST" else 200
    return render(request, "orgs/organization_new.html", {"form": form}, status=status)
