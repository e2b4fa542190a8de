"""Admin pages: who has access with which role, the organization's settings, the audit log."""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from execution2.orgs.choices import Role
from execution2.orgs.forms import MemberAddForm, MemberRoleForm, OrganizationSettingsForm
from execution2.orgs.models import AuditEvent, Membership, Organization
from execution2.orgs.services import (
    membership_remove,
    membership_set,
    organization_settings_update,
    user_get_or_create,
)
from execution2.orgs.tenancy import OrgRequest, org_view

logger = logging.getLogger(__name__)
AUDIT_PAGE_SIZE = 50


def _plain(error: ValidationError) -> str:
    return " ".join(error.messages)


def _invite(request: OrgRequest, user: Any, organization: Organization) -> bool:
    """E-mail a new user a link to choose their password; False when the mail can't go out."""
    link = request.build_absolute_uri(
        reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    )
    inviter = request.user.get_username()  # type: ignore[union-attr]
    body = (
        f"{inviter} gave you access to {organization.name} in Execution 2.0.\n\n"
        f"Choose your password here to sign in:\n{link}\n\n"
        "The link works once. If you did not expect this e-mail, you can ignore it.\n"
    )
    try:
        send_mail(
            subject=f"You have access to {organization.name}",
            message=body,
            from_email=None,
            recipient_list=[user.email],
        )
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the invitation to %s", user.email)
        return False
    return True


def _members_page(request: OrgRequest, add_form: MemberAddForm, status: int = 200) -> HttpResponse:
    organization = request.organization
    memberships = (
        Membership.objects.filter(organization=organization)
        .select_related("user", "person")
        .order_by("user__email", "pk")
    )
    rows = [
        {
            "membership": membership,
            "form": MemberRoleForm(initial={"role": membership.role}, prefix=f"m{membership.pk}"),
            "is_self": membership.user_id == request.user.pk,
        }
        for membership in memberships
    ]
    return render(
        request,
        "orgs/members.html",
        {
            "rows": rows,
            "add_form": add_form,
            "roles": Role.choices,
            "admin_count": sum(1 for r in rows if r["membership"].role == Role.ADMIN),
        },
        status=status,
    )


@org_view(min_role=Role.ADMIN)
def members(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    if request.method != "POST":
        return _members_page(request, MemberAddForm())
    form = MemberAddForm(request.POST)
    if not form.is_valid():
        return _members_page(request, form, status=422)
    email = form.cleaned_data["email"]
    try:
        user, created = user_get_or_create(email=email)
    except ValidationError as error:
        form.add_error("email", _plain(error))
        return _members_page(request, form, status=422)
    if Membership.objects.filter(organization=organization, user=user).exists():
        form.add_error(
            "email", f"{user.email} is already a member; change their role in the list below."
        )
        return _members_page(request, form, status=422)
    try:
        membership_set(
            organization=organization,
            user=user,
            role=form.cleaned_data["role"],
            actor=request.user,
        )
    except ValidationError as error:
        form.add_error(None, _plain(error))
        return _members_page(request, form, status=422)
    role_label = Role(form.cleaned_data["role"]).label
    if created or not user.has_usable_password():
        if _invite(request, user, organization):
            messages.success(
                request,
                f"Invitation sent to {user.email}: they were added as {role_label} and will "
                "choose their password from the link in the e-mail.",
            )
        else:
            messages.warning(
                request,
                f"{user.email} was added as {role_label}, but the invitation e-mail could not "
                "be sent. Check the mail settings, then remove and add them again.",
            )
    else:
        messages.success(request, f"{user.email} was added as {role_label}.")
    return redirect("orgs:members", org_slug=organization.slug)


@org_view(min_role=Role.ADMIN)
def member(request: OrgRequest, membership_id: int) -> HttpResponse:
    """Change a member's role or remove them; the list page holds the forms."""
    organization = request.organization
    membership = get_object_or_404(
        Membership.objects.select_related("user"), organization=organization, pk=membership_id
    )
    if request.method != "POST":
        return redirect("orgs:members", org_slug=organization.slug)
    email = membership.user.email or membership.user.get_username()
    is_self = membership.user_id == request.user.pk
    if request.POST.get("action") == "remove":
        try:
            membership_remove(membership=membership, actor=request.user)
        except ValidationError as error:
            messages.error(request, f"{email} was not removed: {_plain(error)}")
            return redirect("orgs:members", org_slug=organization.slug)
        if is_self:
            messages.success(request, f"You left {organization.name}.")
            return redirect("home")
        messages.success(request, f"{email} no longer has access to {organization.name}.")
        return redirect("orgs:members", org_slug=organization.slug)

    form = MemberRoleForm(request.POST, prefix=f"m{membership.pk}")
    if not form.is_valid():
        messages.error(request, f"Choose one of the roles for {email}.")
        return redirect("orgs:members", org_slug=organization.slug)
    role = form.cleaned_data["role"]
    try:
        membership_set(
            organization=organization, user=membership.user, role=role, actor=request.user
        )
    except ValidationError as error:
        messages.error(
            request, f"{email} is still {membership.get_role_display()}: {_plain(error)}"
        )
        return redirect("orgs:members", org_slug=organization.slug)
    messages.success(request, f"{email} is now {Role(role).label}.")
    if is_self and role != Role.ADMIN:
        # They can't see the members page any more.
        return redirect("orgs:home", org_slug=organization.slug)
    return redirect("orgs:members", org_slug=organization.slug)


@org_view(min_role=Role.ADMIN)
def organization_settings(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    anonymity = organization.effective_settings["anonymity"]
    initial = {"name": organization.name, **anonymity}
    if request.method != "POST":
        form = OrganizationSettingsForm(initial=initial)
        return render(request, "orgs/settings.html", {"form": form})
    form = OrganizationSettingsForm(request.POST, initial=initial)
    if form.is_valid():
        try:
            organization_settings_update(
                organization=organization,
                actor=request.user,
                name=form.cleaned_data["name"],
                anonymity_min_group=form.cleaned_data["min_group"],
                anonymity_min_direct_reports=form.cleaned_data["min_direct_reports"],
                anonymity_min_comments=form.cleaned_data["min_comments"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and set(error.error_dict) <= set(form.fields):
                form.add_error(None, error)
            else:
                form.add_error(None, _plain(error))
        else:
            messages.success(request, "Settings saved.")
            return redirect("orgs:settings", org_slug=organization.slug)
    return render(request, "orgs/settings.html", {"form": form}, status=422)


@org_view(min_role=Role.ADMIN)
def audit_log(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    events = AuditEvent.objects.filter(organization=organization).order_by("-created_at", "-id")
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "orgs/audit.html", {"page": page})
