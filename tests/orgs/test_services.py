"""Organizations, memberships and settings through their services."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from execution2.orgs.models import AuditEvent, Membership, Person
from execution2.orgs.services import (
    membership_remove,
    membership_set,
    organization_create,
    organization_settings_update,
    user_get_or_create,
)


def test_an_organization_needs_a_valid_unique_slug(db):
    organization_create(slug="acme", name="Acme")
    with pytest.raises(ValidationError, match="exists already"):
        organization_create(slug="ACME", name="Acme again")
    with pytest.raises(ValidationError):
        organization_create(slug="no spaces", name="Bad")


def test_a_user_is_found_by_email_whatever_its_case(db):
    first, created = user_get_or_create(email="Ana@Acme.example")
    again, created_again = user_get_or_create(email="ana@acme.EXAMPLE")
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert first.username == "ana@acme.example"
    assert not first.has_usable_password()


def test_a_membership_links_the_person_with_the_same_email(make_org, import_people, small_org_csv):
    org = make_org()
    import_people(org, small_org_csv)
    user, _ = user_get_or_create(email="chloe@acme.example")
    membership = membership_set(organization=org, user=user, role="manager", actor=None)
    assert membership.person == Person.objects.get(organization=org, external_id="3")


def test_a_membership_cannot_link_a_person_of_another_organization(
    make_org, import_people, small_org_csv
):
    acme, other = make_org("acme"), make_org("other")
    import_people(other, small_org_csv)
    user, _ = user_get_or_create(email="someone@acme.example")
    stranger = Person.objects.get(organization=other, external_id="1")
    with pytest.raises(ValidationError, match="another organization"):
        membership_set(organization=acme, user=user, role="member", actor=None, person=stranger)


def test_role_changes_are_audited_and_the_last_admin_stays(make_org, make_user):
    org = make_org()
    admin = make_user("admin@acme.example", org, "admin")
    member = make_user("member@acme.example", org, "member")
    membership_set(organization=org, user=member, role="executive", actor=admin)
    change = AuditEvent.objects.get(action="membership.role")
    assert change.detail == {"user": "member@acme.example", "from": "member", "to": "executive"}
    assert change.actor_label == "admin@acme.example"

    with pytest.raises(ValidationError, match="at least one admin"):
        membership_set(organization=org, user=admin, role="member", actor=admin)
    only_admin = Membership.objects.get(user=admin)
    with pytest.raises(ValidationError, match="at least one admin"):
        membership_remove(membership=only_admin, actor=admin)
    membership_remove(membership=Membership.objects.get(user=member), actor=admin)
    assert AuditEvent.objects.filter(action="membership.remove").count() == 1


def test_anonymity_thresholds_can_be_raised_but_never_below_their_floor(make_org):
    org = make_org()
    organization_settings_update(
        organization=org, actor=None, anonymity_min_group=7, anonymity_min_direct_reports=3
    )
    org.refresh_from_db()
    assert org.effective_settings["anonymity"] == {
        "min_group": 7,
        "min_direct_reports": 3,
        "min_comments": 5,
    }
    with pytest.raises(ValidationError):
        organization_settings_update(organization=org, actor=None, anonymity_min_group=4)
    with pytest.raises(ValidationError):
        organization_settings_update(organization=org, actor=None, anonymity_min_direct_reports=2)
    assert org.effective_settings["index"]["weights"]["connectedness"] == 0.20


def test_the_directory_search_ignores_case_and_accents(make_org, import_people, small_org_csv):
    from execution2.orgs.selectors import people_search

    org = make_org()
    import_people(org, small_org_csv)

    def found(query: str) -> list[str]:
        return [p.external_id for p in people_search(organization=org, query=query)]

    assert found("CHLOÉ") == ["3"]
    assert found("chloe") == ["3"]
    assert found("dario brand") == ["4"]
    assert found("berlin platform") == ["6"]
    assert found("nobody") == []
