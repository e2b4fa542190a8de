"""The pages through Django's test client: what people see and what their actions change."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from execution2.orgs.choices import AuditAction, Role
from execution2.orgs.models import AuditEvent, Membership, Person, Unit
from tests.conftest import PASSWORD, SMALL_ORG_CSV

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(body).split())


def person_id(organization: Any, external_id: str) -> int:
    return Person.objects.get(organization=organization, external_id=external_id).pk


def upload(client: Client, name: str, content: str | bytes, **fields: str) -> Any:
    data = content.encode("utf-8") if isinstance(content, str) else content
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("orgs:people_import", args=["acme"]), {"file": file, **fields})


# --- signing in and the landing page -----------------------------------------------------------


def test_signing_in_with_email_and_password_opens_the_only_organization(
    acme: Any, make_user: Callable[..., Any]
) -> None:
    make_user("member@acme.example", acme)
    client = Client()
    assert "Sign in" in text(client.get(reverse("login")))
    response = client.post(
        reverse("login"), {"username": "member@acme.example", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("orgs:home", args=["acme"])
    assert "Acme Corp" in text(response)


def test_a_wrong_password_is_refused_in_plain_words(
    acme: Any, make_user: Callable[..., Any]
) -> None:
    make_user("member@acme.example", acme)
    response = Client().post(
        reverse("login"), {"username": "member@acme.example", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "That e-mail address and password don't match an account" in text(response)


def test_signing_out_takes_a_post_and_ends_the_session(member_client: Client) -> None:
    assert member_client.get(reverse("logout")).status_code == 405
    response = member_client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert member_client.get(reverse("orgs:home", args=["acme"])).status_code == 302


def test_the_start_page_lists_a_consultants_organizations(
    make_org: Callable[..., Any], make_user: Callable[..., Any], sign_in: Callable[..., Client]
) -> None:
    first, second = make_org("acme", "Acme Corp"), make_org("globex", "Globex")
    make_user("consultant@example.com", first, Role.ADMIN)
    consultant = make_user("consultant@example.com", second, Role.ADMIN)
    page = text(sign_in(consultant).get(reverse("home")))
    assert "Acme Corp" in page
    assert "Globex" in page


def test_the_start_page_says_what_to_do_without_any_organization(
    make_user: Callable[..., Any], sign_in: Callable[..., Client]
) -> None:
    page = text(sign_in(make_user("lonely@example.com")).get(reverse("home")))
    assert "You are not in any organization yet" in page


# --- organization home --------------------------------------------------------------------------


def test_the_organization_home_shows_its_figures(admin_client: Client) -> None:
    page = text(admin_client.get(reverse("orgs:home", args=["acme"])))
    assert "People 6 active" in page
    assert "Units 6" in page
    assert "Managers 3" in page
    assert "Locations 4" in page
    assert "Marketing 3" in page
    assert "People imported" in page  # recent activity, for admins


def test_members_do_not_see_the_audit_trail_on_the_home_page(member_client: Client) -> None:
    page = text(member_client.get(reverse("orgs:home", args=["acme"])))
    assert "Recent activity" not in page
    assert "Import people" not in page


def test_an_empty_organization_tells_its_admin_to_import_people(
    make_org: Callable[..., Any], make_user: Callable[..., Any], sign_in: Callable[..., Client]
) -> None:
    empty = make_org("empty", "Empty Ltd")
    admin = sign_in(make_user("admin@empty.example", empty, Role.ADMIN))
    response = admin.get(reverse("orgs:home", args=["empty"]))
    assert "No people yet" in text(response)
    assert reverse("orgs:people_import", args=["empty"]).encode() in response.content
    member = sign_in(make_user("member@empty.example", empty))
    assert "haven't imported its people yet" in text(
        member.get(reverse("orgs:home", args=["empty"]))
    )


# --- the directory ------------------------------------------------------------------------------


def test_the_directory_search_finds_a_name_with_accents(member_client: Client) -> None:
    url = reverse("orgs:people", args=["acme"])
    for query in ("Chloé", "chloé social", "Dário"):
        page = text(member_client.get(url, {"q": query}))
        assert ("Chloé Social" in page) == query.lower().startswith("chlo"), query
        assert "Ada Chief" not in page.split("people")[-1] or query == "x"
    assert "1 person matching “Dário”" in text(member_client.get(url, {"q": "Dário"}))


def test_the_live_search_answers_htmx_with_only_the_results(member_client: Client) -> None:
    response = member_client.get(
        reverse("orgs:people", args=["acme"]), {"q": "Chloé"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="people-results"' in body
    assert 'hx-swap-oob="true"' in body
    assert "Chloé Social" in body
    assert "Ada Chief" not in body
    assert "HX-Request" in response["Vary"]


def test_the_unit_filter_includes_everyone_in_sub_units(acme: Any, member_client: Client) -> None:
    marketing = Unit.objects.get(organization=acme, path="Marketing")
    page = text(member_client.get(reverse("orgs:people", args=["acme"]), {"unit": marketing.pk}))
    for name in ("Bram Market", "Chloé Social", "Dário Brand"):
        assert f"{name} " in page
    assert "3 people" in page
    results = page.split("3 people", 1)[1]
    assert "Eve Engineer" not in results
    assert "Finn Platform" not in results


def test_the_unit_tree_shows_headcounts_of_whole_subtrees(member_client: Client) -> None:
    page = text(member_client.get(reverse("orgs:people", args=["acme"])))
    assert "All units 6 people" in page
    assert "Marketing 3 people" in page
    assert "Engineering 2 people" in page


def test_leavers_are_hidden_unless_asked_for(
    acme: Any, import_people: Callable[..., Any], member_client: Client
) -> None:
    without_finn = "\n".join(line for line in SMALL_ORG_CSV.splitlines() if "Finn" not in line)
    import_people(acme, without_finn + "\n")
    url = reverse("orgs:people", args=["acme"])
    assert "Finn Platform" not in text(member_client.get(url))
    page = text(member_client.get(url, {"leavers": "1"}))
    assert "Finn Platform Left" in page


def test_the_directory_sorts_by_a_column_and_pages_by_fifty(
    acme: Any, import_people: Callable[..., Any], member_client: Client
) -> None:
    rows = ["id,name,unit,manager_id,location"] + [
        f"{i},Person {i:03d},Unit {i % 3},,City {120 - i:03d}" for i in range(1, 121)
    ]
    import_people(acme, "\n".join(rows) + "\n")
    url = reverse("orgs:people", args=["acme"])
    first = text(member_client.get(url, {"sort": "-name"}))
    assert first.index("Person 120") < first.index("Person 119")
    assert "Person 070" not in first
    assert "1\N{EN DASH}50 of 120" in first
    third = text(member_client.get(url, {"sort": "-name", "page": "3"}))
    assert "Person 001" in third
    assert "101\N{EN DASH}120 of 120" in third
    by_location = text(member_client.get(url, {"sort": "location"}))
    assert by_location.index("Person 120") < by_location.index("Person 100")
    assert "Person 001" not in by_location


def test_a_persons_page_shows_the_manager_chain_and_direct_reports(
    acme: Any, member_client: Client
) -> None:
    chloe = member_client.get(reverse("orgs:person", args=["acme", person_id(acme, "3")]))
    breadcrumb = re.search(
        r'<nav class="breadcrumb" aria-label="Manager chain">(.*?)</nav>',
        chloe.content.decode(),
        re.S,
    )
    assert breadcrumb is not None
    chain = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", breadcrumb.group(1))).split())
    assert chain == "Ada Chief Bram Market Chloé Social"

    bram = text(member_client.get(reverse("orgs:person", args=["acme", person_id(acme, "2")])))
    assert "Direct reports 2" in bram
    assert "Chloé Social" in bram
    assert "Dário Brand" in bram
    assert "Positions over time" in bram
    assert "Sign-in" not in bram  # the linked login is for admins


def test_a_persons_page_shows_their_history_and_linked_login_to_admins(
    acme: Any,
    import_people: Callable[..., Any],
    make_user: Callable[..., Any],
    admin_client: Client,
) -> None:
    import datetime

    moved = SMALL_ORG_CSV.replace("Marketing / Social Media,2", "Marketing / Brand,4")
    import_people(acme, moved, effective_date=datetime.date(2024, 3, 1))
    make_user("chloe@acme.example", acme, Role.MANAGER)
    page = text(admin_client.get(reverse("orgs:person", args=["acme", person_id(acme, "3")])))
    assert "1 Mar 2024 Current Marketing / Brand Dário Brand" in page
    assert "1 Mar 2024 Marketing / Social Media Bram Market" in page
    assert "Signs in as chloe@acme.example , manager of Acme Corp" in page


def test_a_person_that_does_not_exist_is_404(member_client: Client) -> None:
    assert member_client.get(reverse("orgs:person", args=["acme", 10**12])).status_code == 404


# --- import and export --------------------------------------------------------------------------


def test_a_file_with_an_error_is_refused_naming_each_problem_and_nothing_is_written(
    make_org: Callable[..., Any], make_user: Callable[..., Any], sign_in: Callable[..., Client]
) -> None:
    acme = make_org("acme", "Acme Corp")
    client = sign_in(make_user("admin@acme.example", acme, Role.ADMIN))
    bad = SMALL_ORG_CSV.replace("2,Bram Market,Marketing,1,", "2,Bram Market,Marketing,99,")
    bad = bad.replace("eve@acme.example", "eve-at-acme")
    response = upload(client, "people.csv", bad)
    assert response.status_code == 422
    page = text(response)
    assert "people.csv:3:manager_id: manager id '99' is not an id in this file" in page
    assert "people.csv:6:email: 'eve-at-acme' is not an e-mail address" in page
    assert "Nothing was imported." in page
    assert 'role="alert"' in response.content.decode()
    assert Person.objects.filter(organization=acme).count() == 0
    assert not AuditEvent.objects.filter(action=AuditAction.PEOPLE_IMPORT).exists()


def test_a_good_file_is_imported_and_the_counts_are_shown(
    make_org: Callable[..., Any], make_user: Callable[..., Any], sign_in: Callable[..., Client]
) -> None:
    acme = make_org("acme", "Acme Corp")
    admin = make_user("admin@acme.example", acme, Role.ADMIN)
    client = sign_in(admin)
    response = upload(client, "hris.csv", SMALL_ORG_CSV)
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:people", args=["acme"])
    page = text(client.get(response["Location"]))
    assert "Imported hris.csv. 6 people in the file: 6 created, 0 updated" in page
    assert Person.objects.filter(organization=acme).count() == 6
    event = AuditEvent.objects.get(action=AuditAction.PEOPLE_IMPORT)
    assert event.actor == admin
    assert event.detail["file"] == "hris.csv"


def test_the_import_message_carries_the_summary(admin_client: Client) -> None:
    response = upload(admin_client, "people.csv", SMALL_ORG_CSV)
    page = text(admin_client.get(response["Location"]))
    assert "Imported people.csv. 6 people in the file: 0 created, 0 updated, 6 unchanged" in page


def test_a_column_mapping_reads_a_file_with_other_headers(
    make_org: Callable[..., Any], make_user: Callable[..., Any], sign_in: Callable[..., Client]
) -> None:
    acme = make_org("acme", "Acme Corp")
    client = sign_in(make_user("admin@acme.example", acme, Role.ADMIN))
    renamed = SMALL_ORG_CSV.replace("id,name,", "EmployeeNumber,Full Name,", 1)
    response = upload(client, "hris.csv", renamed, columns="id=EmployeeNumber,name=Full Name")
    assert response.status_code == 302
    assert Person.objects.get(organization=acme, external_id="3").name == "Chloé Social"


def test_a_malformed_column_mapping_is_explained_next_to_its_field(admin_client: Client) -> None:
    response = upload(admin_client, "people.csv", SMALL_ORG_CSV, columns="id")
    assert response.status_code == 422
    body = response.content.decode()
    assert "should look like id=EmployeeNumber" in html.unescape(body)
    assert 'aria-describedby="id_columns_error id_columns_help"' in body
    assert 'aria-invalid="true"' in body


def test_an_unknown_encoding_is_refused_before_reading(admin_client: Client) -> None:
    response = upload(admin_client, "people.csv", SMALL_ORG_CSV, encoding="klingon")
    assert response.status_code == 422
    assert "'klingon' is not an encoding we know" in text(response)


def test_a_file_over_the_upload_limit_is_refused_with_a_message(
    settings: Any, admin_client: Client
) -> None:
    settings.EXECUTION2_MAX_UPLOAD_BYTES = 100
    before = AuditEvent.objects.filter(action=AuditAction.PEOPLE_IMPORT).count()
    response = upload(admin_client, "people.csv", SMALL_ORG_CSV)
    assert response.status_code == 422
    assert "This file is bigger than the 100 bytes limit" in text(response)
    assert AuditEvent.objects.filter(action=AuditAction.PEOPLE_IMPORT).count() == before


def test_the_export_downloads_a_csv_that_imports_again_unchanged(
    acme: Any, admin_client: Client
) -> None:
    response = admin_client.get(reverse("orgs:people_export", args=["acme"]), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="acme-people.csv"'
    assert response["Content-Type"].startswith("text/csv")
    assert AuditEvent.objects.filter(action=AuditAction.PEOPLE_EXPORT).count() == 1
    again = upload(admin_client, "acme-people.csv", response.content)
    assert again.status_code == 302
    page = text(admin_client.get(again["Location"]))
    assert "6 people in the file: 0 created, 0 updated, 6 unchanged, 0 deactivated." in page


def test_the_export_also_comes_as_xlsx_that_imports_again_unchanged(admin_client: Client) -> None:
    response = admin_client.get(reverse("orgs:people_export", args=["acme"]), {"format": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="acme-people.xlsx"'
    assert response.content[:2] == b"PK"
    again = upload(admin_client, "acme-people.xlsx", response.content)
    assert again.status_code == 302
    assert "6 unchanged" in text(admin_client.get(again["Location"]))


# --- members ------------------------------------------------------------------------------------


def test_adding_a_new_member_sends_an_invitation_to_choose_a_password(
    acme: Any, admin_client: Client
) -> None:
    response = admin_client.post(
        reverse("orgs:members", args=["acme"]),
        {"email": "Newcomer@Acme.example", "role": Role.MANAGER},
        follow=True,
    )
    assert "Invitation sent to newcomer@acme.example" in text(response)
    membership = Membership.objects.get(organization=acme, user__email="newcomer@acme.example")
    assert membership.role == Role.MANAGER
    assert AuditEvent.objects.filter(
        action=AuditAction.MEMBERSHIP_ADD, detail__user="newcomer@acme.example"
    ).exists()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["newcomer@acme.example"]
    link = re.search(r"http://testserver(/accounts/password/\S+/\S+/)", mail.outbox[0].body)
    assert link is not None
    newcomer = Client()
    form = newcomer.get(link.group(1), follow=True)
    assert "Choose your password" in text(form)
    new_password = "a long and unusual passphrase 42"
    done = newcomer.post(
        form.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
        follow=True,
    )
    assert "Password saved" in text(done)
    assert newcomer.login(username="newcomer@acme.example", password=new_password)


def test_adding_an_existing_user_sends_no_invitation(
    acme: Any, make_user: Callable[..., Any], make_org: Callable[..., Any], admin_client: Client
) -> None:
    make_user("consultant@example.com", make_org("other", "Other"), Role.ADMIN)
    response = admin_client.post(
        reverse("orgs:members", args=["acme"]),
        {"email": "consultant@example.com", "role": Role.EXECUTIVE},
        follow=True,
    )
    assert "consultant@example.com was added as Executive" in text(response)
    assert mail.outbox == []


def test_adding_someone_who_is_already_a_member_is_explained(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("orgs:members", args=["acme"]), {"email": "admin@acme.example", "role": "member"}
    )
    assert response.status_code == 422
    assert "admin@acme.example is already a member" in text(response)
    assert Membership.objects.get(user__email="admin@acme.example").role == Role.ADMIN


def test_an_invalid_email_is_explained_next_to_the_field(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("orgs:members", args=["acme"]), {"email": "not an address", "role": "member"}
    )
    assert response.status_code == 422
    assert "Enter an e-mail address like name@example.com." in text(response)


def test_an_admin_changes_a_role_and_the_change_is_audited(
    acme: Any, make_user: Callable[..., Any], admin_client: Client
) -> None:
    make_user("bram@acme.example", acme, Role.MEMBER)
    membership = Membership.objects.get(user__email="bram@acme.example")
    response = admin_client.post(
        reverse("orgs:member", args=["acme", membership.pk]),
        {"action": "role", f"m{membership.pk}-role": Role.EXECUTIVE},
        follow=True,
    )
    assert "bram@acme.example is now Executive." in text(response)
    membership.refresh_from_db()
    assert membership.role == Role.EXECUTIVE
    event = AuditEvent.objects.get(action=AuditAction.MEMBERSHIP_ROLE)
    assert event.detail == {"user": "bram@acme.example", "from": "member", "to": "executive"}


def test_an_admin_removes_a_member_and_the_removal_is_audited(
    acme: Any, make_user: Callable[..., Any], admin_client: Client
) -> None:
    make_user("bram@acme.example", acme, Role.MEMBER)
    membership = Membership.objects.get(user__email="bram@acme.example")
    response = admin_client.post(
        reverse("orgs:member", args=["acme", membership.pk]), {"action": "remove"}, follow=True
    )
    assert "bram@acme.example no longer has access to Acme Corp." in text(response)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.MEMBERSHIP_REMOVE, detail__user="bram@acme.example"
    ).exists()


def test_the_last_admin_can_be_neither_demoted_nor_removed(acme: Any, admin_client: Client) -> None:
    membership = Membership.objects.get(user__email="admin@acme.example")
    url = reverse("orgs:member", args=["acme", membership.pk])
    demoted = admin_client.post(
        url, {"action": "role", f"m{membership.pk}-role": Role.MEMBER}, follow=True
    )
    assert "An organization must keep at least one admin." in text(demoted)
    removed = admin_client.post(url, {"action": "remove"}, follow=True)
    assert "was not removed: An organization must keep at least one admin." in text(removed)
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_an_admin_who_steps_down_lands_on_the_organization_home(
    acme: Any, make_user: Callable[..., Any], admin_client: Client
) -> None:
    make_user("second@acme.example", acme, Role.ADMIN)
    membership = Membership.objects.get(user__email="admin@acme.example")
    response = admin_client.post(
        reverse("orgs:member", args=["acme", membership.pk]),
        {"action": "role", f"m{membership.pk}-role": Role.MEMBER},
    )
    assert response["Location"] == reverse("orgs:home", args=["acme"])


# --- settings and the audit log ------------------------------------------------------------------


def settings_form(**values: object) -> dict[str, object]:
    form: dict[str, object] = {
        "name": "Acme Corp",
        "min_group": 5,
        "min_direct_reports": 5,
        "min_comments": 5,
    }
    form.update(values)
    return form


@pytest.mark.parametrize(
    ("field", "value"),
    [("min_group", 4), ("min_direct_reports", 2), ("min_comments", 2), ("min_group", "abc")],
)
def test_settings_refuse_anonymity_thresholds_below_the_floor(
    acme: Any, admin_client: Client, field: str, value: object
) -> None:
    response = admin_client.post(
        reverse("orgs:settings", args=["acme"]), settings_form(**{field: value})
    )
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in response.content.decode()
    acme.refresh_from_db()
    assert acme.effective_settings["anonymity"] == {
        "min_group": 5,
        "min_direct_reports": 5,
        "min_comments": 5,
    }
    assert not AuditEvent.objects.filter(action=AuditAction.SETTINGS_CHANGE).exists()


def test_settings_are_saved_and_audited(acme: Any, admin_client: Client) -> None:
    response = admin_client.post(
        reverse("orgs:settings", args=["acme"]),
        settings_form(name="Acme Group", min_group=7, min_direct_reports=3),
        follow=True,
    )
    assert "Settings saved." in text(response)
    acme.refresh_from_db()
    assert acme.name == "Acme Group"
    assert acme.effective_settings["anonymity"]["min_group"] == 7
    assert acme.effective_settings["anonymity"]["min_direct_reports"] == 3
    event = AuditEvent.objects.get(action=AuditAction.SETTINGS_CHANGE)
    assert event.detail["name"] == "Acme Group"


def test_the_audit_log_lists_imports_exports_and_role_changes(
    acme: Any, admin_client: Client
) -> None:
    admin_client.get(reverse("orgs:people_export", args=["acme"]))
    page = text(admin_client.get(reverse("orgs:audit", args=["acme"])))
    assert "People exported 6 people as CSV." in page
    assert "People imported people.csv: 6 people, 6 created, 0 updated." in page
    assert "Member added admin@acme.example as Admin." in page


# --- robustness and security ------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=-1",
        "page=999999",
        "page=1e10",
        "unit=xyz",
        "unit=-3",
        "unit=99999999999999999999999999",
        "unit=1.5",
        "sort=bogus",
        "sort=-",
        "sort=--name",
        "q=%00",
        "q=" + "a%20" * 500,
        "q=%25%5F%5C",
        "leavers=maybe",
    ],
)
def test_odd_query_parameters_never_break_the_directory(admin_client: Client, query: str) -> None:
    response = admin_client.get(reverse("orgs:people", args=["acme"]) + "?" + query)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/o/acme/audit/?page=abc",
        "/o/acme/audit/?page=0",
        "/o/acme/people/export/?format=exe",
        "/o/acme/people/99999999999999999999999999/",
        "/o/acme/members/99999999999999999999999999/",
        "/o/does-not-exist/",
    ],
)
def test_odd_urls_answer_without_a_server_error(admin_client: Client, url: str) -> None:
    assert admin_client.get(url).status_code in {200, 302, 404}


def test_an_unknown_unit_says_so_and_shows_everyone(admin_client: Client) -> None:
    page = text(admin_client.get(reverse("orgs:people", args=["acme"]), {"unit": "999999"}))
    assert "That unit isn't in Acme Corp; showing all units." in page
    assert "6 people" in page


def test_every_page_sends_the_strict_content_security_policy_and_no_inline_code(
    acme: Any, admin_client: Client
) -> None:
    urls = [
        reverse("orgs:home", args=["acme"]),
        reverse("orgs:people", args=["acme"]),
        reverse("orgs:person", args=["acme", person_id(acme, "3")]),
        reverse("orgs:people_import", args=["acme"]),
        reverse("orgs:members", args=["acme"]),
        reverse("orgs:settings", args=["acme"]),
        reverse("orgs:audit", args=["acme"]),
        "/o/nowhere/",
    ]
    for url in urls:
        response = admin_client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        body = response.content.decode()
        # JSON data blocks (chart specifications) are not executed, so the policy allows them.
        executable = r"<script(?![^>]*\b(?:src=|type=\"application/json\"))"
        assert not re.search(executable, body), f"inline script in {url}"
        assert not re.search(r"<style|\sstyle=", body), f"inline style in {url}"
        assert "https://" not in body, f"external asset in {url}"
    login = Client().get(reverse("login"))
    assert "Content-Security-Policy" in login


def test_forms_without_the_csrf_token_are_refused(
    acme: Any, make_user: Callable[..., Any], sign_in: Callable[..., Client]
) -> None:
    admin = make_user("admin@acme.example", acme, Role.ADMIN)
    client = sign_in(admin, enforce_csrf_checks=True)
    membership = Membership.objects.get(user=admin)
    file = io.BytesIO(SMALL_ORG_CSV.encode())
    file.name = "people.csv"
    refused = [
        client.post(reverse("orgs:members", args=["acme"]), {"email": "x@example.com"}),
        client.post(reverse("orgs:member", args=["acme", membership.pk]), {"action": "remove"}),
        client.post(reverse("orgs:settings", args=["acme"]), settings_form(min_group=9)),
        client.post(reverse("orgs:people_import", args=["acme"]), {"file": file}),
        client.post(reverse("logout")),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not Membership.objects.filter(user__email="x@example.com").exists()


def test_the_import_form_works_with_its_csrf_token(
    acme: Any, make_user: Callable[..., Any], sign_in: Callable[..., Client]
) -> None:
    client = sign_in(make_user("admin@acme.example", acme, Role.ADMIN), enforce_csrf_checks=True)
    page = client.get(reverse("orgs:people_import", args=["acme"])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    file = io.BytesIO(SMALL_ORG_CSV.encode())
    file.name = "people.csv"
    response = client.post(
        reverse("orgs:people_import", args=["acme"]),
        {"csrfmiddlewaretoken": token.group(1), "file": file},
    )
    assert response.status_code == 302


def test_the_server_error_page_renders_without_any_context() -> None:
    from django.test import RequestFactory

    from execution2.core.views import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in text(response)


def test_a_member_who_may_not_open_an_admin_page_is_told_why(member_client: Client) -> None:
    response = member_client.get(reverse("orgs:members", args=["acme"]))
    assert response.status_code == 403
    assert "Your role in this organization does not allow this." in text(response)


def test_staff_set_up_a_new_organization_and_become_its_admin(
    make_user: Callable[..., Any], sign_in: Callable[..., Client]
) -> None:
    consultant = make_user("consultant@firm.example")
    consultant.is_staff = True
    consultant.save(update_fields=["is_staff"])
    client = sign_in(consultant)
    assert "New organization" in text(client.get(reverse("home")))
    refused = client.post(reverse("organization_new"), {"name": "Globex", "slug": "Not a slug!"})
    assert refused.status_code == 422
    response = client.post(reverse("organization_new"), {"name": "Globex", "slug": "globex"})
    assert response.url == reverse("orgs:people_import", args=["globex"])
    membership = Membership.objects.get(user=consultant, organization__slug="globex")
    assert membership.role == Role.ADMIN
    again = client.post(reverse("organization_new"), {"name": "Globex 2", "slug": "globex"})
    assert "exists already" in text(again)


def test_only_staff_may_set_up_organizations(member_client: Client) -> None:
    assert member_client.get(reverse("organization_new")).status_code == 403
    assert "New organization" not in text(member_client.get(reverse("home")))
