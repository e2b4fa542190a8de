"""Writes to organizations, memberships and the audit log. Every write goes through here."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import transaction

from execution2.orgs.choices import AuditAction, Role
from execution2.orgs.models import (
    ANONYMITY_FLOOR,
    AuditEvent,
    Membership,
    Organization,
    Person,
)

User = get_user_model()


def audit_record(
    *,
    organization: Organization | None,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    real_actor = actor if actor is not None and actor.is_authenticated else None
    label = (real_actor.get_username() if real_actor is not None else "") or "command line"
    return AuditEvent.objects.create(
        organization=organization,
        actor=real_actor,
        actor_label=label,
        action=action,
        detail=detail or {},
    )


@transaction.atomic
def organization_create(
    *, slug: str, name: str, actor: AbstractBaseUser | None = None
) -> Organization:
    slug = slug.strip().lower()
    validate_slug(slug)
    if not name.strip():
        raise ValidationError({"name": "An organization needs a name."})
    if Organization.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"An organization with the slug {slug!r} exists already."})
    organization = Organization(slug=slug, name=name.strip())
    organization.full_clean()
    organization.save()
    audit_record(
        organization=organization,
        actor=actor,
        action=AuditAction.ORGANIZATION_CREATE,
        detail={"slug": slug, "name": organization.name},
    )
    return organization


def user_get_or_create(*, email: str, password: str | None = None) -> tuple[Any, bool]:
    """Users sign in with their e-mail address, which is also their username."""
    email = User.objects.normalize_email(email.strip()).lower()
    validate_email(email)
    user = User.objects.filter(username__iexact=email).first()
    if user is not None:
        if password:
            user.set_password(password)
            user.save(update_fields=["password"])
        return user, False
    user = User(username=email, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user, True


@transaction.atomic
def membership_set(
    *,
    organization: Organization,
    user: Any,
    role: str,
    actor: AbstractBaseUser | AnonymousUser | None,
    person: Person | None = None,
) -> Membership:
    """Give a user a role in an organization, or change it; linking a person is optional."""
    role = Role(role)
    if person is not None and person.organization_id != organization.pk:
        raise ValidationError({"person": "That person belongs to another organization."})
    if person is None:
        person = (
            Person.objects.filter(organization=organization, email__iexact=user.email)
            .order_by("-active")
            .first()
        )
    membership = Membership.objects.filter(organization=organization, user=user).first()
    if membership is None:
        membership = Membership(organization=organization, user=user, role=role, person=person)
        membership.full_clean()
        membership.save()
        audit_record(
            organization=organization,
            actor=actor,
            action=AuditAction.MEMBERSHIP_ADD,
            detail={"user": user.get_username(), "role": role},
        )
        return membership
    old_role = membership.role
    if old_role == Role.ADMIN and role != Role.ADMIN:
        _ensure_another_admin(membership)
    membership.role = role
    if person is not None:
        membership.person = person
    membership.full_clean()
    membership.save(update_fields=["role", "person"])
    if old_role != role:
        audit_record(
            organization=organization,
            actor=actor,
            action=AuditAction.MEMBERSHIP_ROLE,
            detail={"user": user.get_username(), "from": old_role, "to": role},
        )
    return membership


def _ensure_another_admin(membership: Membership) -> None:
    others = Membership.objects.filter(
        organization_id=membership.organization_id, role=Role.ADMIN
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError("An organization must keep at least one admin.")


@transaction.atomic
def membership_remove(
    *, membership: Membership, actor: AbstractBaseUser | AnonymousUser | None
) -> None:
    if membership.role == Role.ADMIN:
        _ensure_another_admin(membership)
    audit_record(
        organization=membership.organization,
        actor=actor,
        action=AuditAction.MEMBERSHIP_REMOVE,
        detail={"user": membership.user.get_username(), "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def organization_settings_update(
    *,
    organization: Organization,
    actor: AbstractBaseUser | AnonymousUser | None,
    anonymity_min_group: int | None = None,
    anonymity_min_direct_reports: int | None = None,
    anonymity_min_comments: int | None = None,
    name: str | None = None,
) -> Organization:
    stored = dict(organization.settings or {})
    anonymity = dict(stored.get("anonymity", {}))
    changes: dict[str, Any] = {}
    for key, value in (
        ("min_group", anonymity_min_group),
        ("min_direct_reports", anonymity_min_direct_reports),
        ("min_comments", anonymity_min_comments),
    ):
        if value is None:
            continue
        if value < ANONYMITY_FLOOR:
            raise ValidationError(
                {key: f"Anonymity thresholds can't go below {ANONYMITY_FLOOR} people."}
            )
        if key == "min_group" and value < 5:
            # design.md 4.2: only direct-report groups may go below the default of 5.
            raise ValidationError({key: "The group threshold can be raised, not lowered below 5."})
        if anonymity.get(key) != value:
            changes[f"anonymity.{key}"] = value
        anonymity[key] = value
    stored["anonymity"] = anonymity
    update_fields = ["settings"]
    if name is not None and name.strip() and name.strip() != organization.name:
        changes["name"] = name.strip()
        organization.name = name.strip()
        update_fields.append("name")
    organization.settings = stored
    organization.full_clean()
    organization.save(update_fields=update_fields)
    if changes:
        audit_record(
            organization=organization,
            actor=actor,
            action=AuditAction.SETTINGS_CHANGE,
            detail=changes,
        )
    return organization
