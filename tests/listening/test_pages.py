"""The listening pages: what a member and an admin see, and what the forms do."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from execution2.core.models import Job
from execution2.listening.models import Brand, SentimentLabel, Theme


@pytest.fixture
def submit(django_capture_on_commit_callbacks):
    """Post a form that submits a job; the job runs when the request commits, as in production."""

    def post(client, target, data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(target, data)
        return response, Job.objects.order_by("-created_at").first()

    return post


@pytest.fixture
def admin(listening_org, make_user, client):
    client.force_login(make_user("admin@acme.example", listening_org, "admin"))
    return client


@pytest.fixture
def member(listening_org, make_user, client):
    client.force_login(make_user("member@acme.example", listening_org, "member"))
    return client


def url(name: str, **kwargs) -> str:
    return reverse(f"listening:{name}", kwargs={"org_slug": "acme", **kwargs})


def test_the_overview_shows_volume_share_of_voice_themes_and_spikes(member):
    response = member.get(url("overview"))
    assert response.status_code == 200
    text = response.content.decode()
    for words in (
        "Volume and sentiment per day",
        "Share of voice",
        "Largest themes",
        "Largest spikes",
        "Acme",
    ):
        assert words in text
    assert "Import conversations" not in text  # members read, admins import


def test_an_empty_organization_says_what_to_do_next(make_org, make_user, client):
    make_org("acme")
    client.force_login(make_user("admin@acme.example", None))
    from execution2.orgs.models import Organization
    from execution2.orgs.services import membership_set

    user = make_user("admin2@acme.example", Organization.objects.get(slug="acme"), "admin")
    client.force_login(user)
    text = client.get(url("overview")).content.decode()
    assert "Nothing analysed yet" in text
    assert "Import conversations" in text
    for name in ("themes", "spikes", "labels", "brands", "import", "analyze"):
        assert client.get(url(name)).status_code == 200, name
    assert membership_set  # imported for the member set-up above


def test_the_theme_explorer_and_a_theme_page(member, listening_org):
    response = member.get(url("themes"))
    assert response.status_code == 200
    theme = Theme.objects.filter(organization=listening_org, topic_index__isnull=False).first()
    assert theme.name in response.content.decode()
    page = member.get(url("theme", theme_id=theme.pk)).content.decode()
    assert "Typical posts" in page
    assert "Trend" in page
    assert "Net sentiment of this theme per week" in page
    assert "Manage this theme" not in page
    assert member.post(url("theme", theme_id=theme.pk), {"action": "pin"}).status_code == 403


def test_an_admin_renames_pins_merges_and_splits_themes(admin, listening_org):
    first, second = Theme.objects.filter(organization=listening_org, topic_index__isnull=False)[:2]
    target = url("theme", theme_id=first.pk)
    assert admin.post(target, {"action": "rename", "name": "Delivery woes"}).status_code == 302
    assert admin.post(target, {"action": "pin"}).status_code == 302
    first.refresh_from_db()
    assert first.name == "Delivery woes"
    assert first.renamed
    assert first.pinned
    response = admin.post(url("theme", theme_id=second.pk), {"action": "merge", "into": first.pk})
    assert response.status_code == 302
    assert response["Location"] == target
    second.refresh_from_db()
    assert second.merged_into_id == first.pk
    assert "Split out" in admin.get(target).content.decode()
    assert admin.get(url("theme", theme_id=second.pk)).status_code == 302  # to the merged theme
    assert admin.post(target, {"action": "unmerge", "child": second.pk}).status_code == 302
    second.refresh_from_db()
    assert second.merged_into_id is None
    assert admin.post(target, {"action": "rename", "name": "  "}).status_code == 422
    assert admin.post(target, {"action": "merge", "into": "x"}).status_code == 422
    assert admin.post(target, {"action": "nonsense"}).status_code == 302


def test_the_spike_page_explains_each_spike(member):
    text = member.get(url("spikes")).content.decode()
    assert "Driven by:" in text
    assert "Posts with the most engagement" in text


def test_an_admin_manages_brands(admin, listening_org):
    response = admin.post(
        url("brands"), {"action": "save", "name": "Zeta", "aliases": "@zeta, #zeta"}
    )
    assert response.status_code == 302
    zeta = Brand.objects.get(organization=listening_org, name="Zeta")
    assert zeta.aliases == ["@zeta", "#zeta"]
    assert admin.post(url("brands"), {"action": "save", "name": "zeta"}).status_code == 422
    assert "Change Zeta" in admin.get(url("brands"), {"edit": zeta.pk}).content.decode()
    assert admin.get(url("brands"), {"edit": "x"}).status_code == 200
    assert admin.post(url("brands"), {"action": "delete", "brand": zeta.pk}).status_code == 302
    assert not Brand.objects.filter(name="Zeta").exists()
    assert admin.post(url("brands"), {"action": "delete", "brand": 999999}).status_code == 404


def test_an_upload_runs_as_a_job_and_reports_problems(admin, listening_org, submit):
    good = io.BytesIO(b"text,timestamp,channel\nAcme rocks,2026-10-01T10:00:00Z,twitter\n")
    good.name = "more.csv"
    response, job = submit(admin, url("import"), {"file": good})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "succeeded", job.message
    assert "1 new" in job.message
    bad = io.BytesIO(b"text,timestamp,channel\nAcme rocks,someday,twitter\n")
    bad.name = "bad.csv"
    _, job = submit(admin, url("import"), {"file": bad})
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.problems == [
        "bad.csv:2:timestamp: 'someday' is not a date and time like 2026-01-31T14:05:00Z"
    ]
    assert admin.post(url("import"), {}).status_code == 422
    # The overview notices the post imported after the analysis.
    assert "imported after the latest analysis" in admin.get(url("overview")).content.decode()


def test_an_admin_starts_an_analysis_from_the_page(admin, listening_org, submit):
    response, job = submit(admin, url("analyze"), {"since": "", "themes": 6})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "succeeded", job.message
    assert "Analysed 3,000 posts" in job.message
    assert admin.post(url("analyze"), {"themes": 1000}).status_code == 422


def test_the_labelling_page_labels_with_htmx_imports_labels_and_trains(
    admin, listening_org, submit
):
    page = admin.get(url("labels")).content.decode()
    assert "Posts to label" in page
    assert "Train and compare" in page
    key = page.split('name="key" value="', 1)[1].split('"', 1)[0]
    response = admin.post(
        url("labels"), {"action": "label", "key": key, "label": "positive"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Labelled <strong>positive</strong>" in response.content.decode()
    assert (
        admin.post(url("labels"), {"action": "label", "key": key, "label": "bad"}).status_code
        == 422
    )
    assert (
        admin.post(
            url("labels"), {"action": "label", "key": "nope", "label": "neutral"}
        ).status_code
        == 422
    )
    rows = "\n".join(
        f"{t},{lab}"
        for t, lab in [("love it", "positive"), ("hate it", "negative"), ("a phone", "neutral")]
        * 15
    )
    upload = io.BytesIO(f"text,label\n{rows}\n".encode())
    upload.name = "labels.csv"
    assert submit(admin, url("labels"), {"action": "import", "file": upload})[0].status_code == 302
    assert SentimentLabel.objects.filter(organization=listening_org).count() == 4
    _, job = submit(admin, url("labels"), {"action": "train"})
    job.refresh_from_db()
    assert job.status == "failed"  # four distinct posts are too few to train on
    assert admin.get(url("labels"), {"skip": "x"}).status_code == 200


def test_members_cannot_open_the_admin_pages(member):
    for name in ("import", "analyze", "brands", "labels"):
        assert member.get(url(name)).status_code == 403, name
