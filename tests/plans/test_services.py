"""Delegation and execution tracking through the services: who may do what, and what it sends."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from execution2.plans.models import Assignment, CheckIn, Initiative, PendingNotification
from execution2.plans.notifications import digest_send
from execution2.plans.services import (
    assignment_acknowledge,
    assignment_create,
    blocker_may_resolve,
    blocker_raise,
    blocker_resolve,
    checkin_create,
    idea_create,
    idea_promote,
    idea_vote_toggle,
    notification_preference_set,
    recognition_create,
)
from tests.plans.conftest import person

pytestmark = pytest.mark.django_db(transaction=True)


def _delegate(organization: Any, **extra: Any) -> Assignment:
    return assignment_create(
        organization=organization,
        initiative=Initiative.objects.get(organization=organization, key="eco-line"),
        owner=person(organization, "3"),
        delegator=person(organization, "2"),
        title="Interview five customers",
        instructions="Use the guide in the shared folder.",
        **extra,
    )


def test_a_new_assignment_mails_its_owner(planned: Any) -> None:
    mail.outbox.clear()
    assignment = _delegate(planned)
    assert assignment.status == "proposed"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["chloe@acme.example"]
    assert "New assignment: Interview five customers" in message.subject
    assert "Use the guide in the shared folder." in message.body


def test_only_the_owner_acknowledges_and_only_once(planned: Any) -> None:
    assignment = _delegate(planned)
    with pytest.raises(ValidationError, match="owner"):
        assignment_acknowledge(assignment=assignment, person=person(planned, "2"))
    assignment_acknowledge(assignment=assignment, person=person(planned, "3"))
    assignment.refresh_from_db()
    assert assignment.status == "acknowledged"
    assert assignment.acknowledged_at is not None
    with pytest.raises(ValidationError, match="already"):
        assignment_acknowledge(assignment=assignment, person=person(planned, "3"))


def test_check_ins_are_appended_and_move_the_assignment(planned: Any) -> None:
    assignment = _delegate(planned)
    owner = person(planned, "3")
    first = checkin_create(assignment=assignment, author=owner, progress=40, confidence=7)
    checkin_create(assignment=assignment, author=owner, progress=100, confidence=9, done=True)
    assignment.refresh_from_db()
    assert assignment.status == "done"
    assert assignment.progress == 100
    assert assignment.completed_at is not None
    assert CheckIn.objects.filter(assignment=assignment).count() == 2
    first.comment = "rewritten"
    with pytest.raises(ValidationError, match="append-only"):
        first.save()
    with pytest.raises(ValidationError, match="append-only"):
        first.delete()
    with pytest.raises(ValidationError, match="closed"):
        checkin_create(assignment=assignment, author=owner, progress=50, confidence=5)


def test_a_stranger_cannot_check_in_and_confidence_is_0_to_10(planned: Any) -> None:
    assignment = _delegate(planned)
    with pytest.raises(ValidationError, match="owner or the delegator"):
        checkin_create(
            assignment=assignment, author=person(planned, "6"), progress=10, confidence=5
        )
    with pytest.raises(ValidationError):
        checkin_create(
            assignment=assignment, author=person(planned, "3"), progress=10, confidence=11
        )


def test_an_escalated_blocker_mails_the_person_and_is_resolved(planned: Any) -> None:
    assignment = _delegate(planned)
    mail.outbox.clear()
    blocker = blocker_raise(
        assignment=assignment,
        raised_by=person(planned, "3"),
        description="Need the budget signed",
        escalate_to=person(planned, "1"),
    )
    assert [m.to for m in mail.outbox] == [["ada@acme.example"]]
    assert "Blocker escalated to you" in mail.outbox[0].subject
    with pytest.raises(ValidationError):
        blocker_resolve(blocker=blocker, person=person(planned, "6"), resolution="decided")
    blocker_resolve(blocker=blocker, person=person(planned, "1"), resolution="decided", note="Yes")
    blocker.refresh_from_db()
    assert blocker.resolution == "decided"
    assert blocker.resolved_at is not None


def test_who_may_resolve_a_blocker_is_one_rule_for_page_and_service(planned: Any) -> None:
    assignment = _delegate(planned)
    blocker = blocker_raise(
        assignment=assignment, raised_by=person(planned, "3"), description="No budget"
    )
    may = {
        external_id
        for external_id in ("1", "2", "3", "4", "5", "6")
        if blocker_may_resolve(blocker=blocker, person=person(planned, external_id))
    }
    assert may == {"2", "3"}  # the delegator, and the owner who raised it
    assert not blocker_may_resolve(blocker=blocker, person=None)


def test_recognition_reaches_the_colleague_but_not_oneself(planned: Any) -> None:
    mail.outbox.clear()
    recognition_create(
        organization=planned,
        giver=person(planned, "2"),
        receiver=person(planned, "3"),
        message="Great brief!",
    )
    assert mail.outbox[0].to == ["chloe@acme.example"]
    assert "Bram Market recognised you" in mail.outbox[0].subject
    with pytest.raises(ValidationError, match="yourself"):
        recognition_create(
            organization=planned,
            giver=person(planned, "2"),
            receiver=person(planned, "2"),
            message="Me!",
        )


def test_a_person_who_chose_the_digest_gets_one_mail_a_day(planned: Any) -> None:
    chloe = person(planned, "3")
    notification_preference_set(person=chloe, daily_digest=True)
    mail.outbox.clear()
    _delegate(planned)
    recognition_create(
        organization=planned, giver=person(planned, "2"), receiver=chloe, message="Thanks"
    )
    assert mail.outbox == []
    assert PendingNotification.objects.filter(person=chloe, sent_at=None).count() == 2
    result = digest_send(organization=planned)
    assert result["digests"] == 1
    assert len(mail.outbox) == 1
    assert "2 update(s)" in mail.outbox[0].subject
    assert digest_send(organization=planned)["digests"] == 0


def test_due_soon_reminders_are_sent_once(planned: Any) -> None:
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    _delegate(planned, due=today + datetime.timedelta(days=1))
    mail.outbox.clear()
    assert digest_send(organization=planned)["reminders"] == 1
    assert "Due " in mail.outbox[0].subject
    assert digest_send(organization=planned)["reminders"] == 0


def test_an_idea_collects_votes_and_becomes_an_initiative_keeping_the_link(
    planned: Any, make_user: Any
) -> None:
    ana = make_user("ana@acme.example", planned)
    bo = make_user("bo@acme.example", planned)
    idea = idea_create(organization=planned, author=ana, title="Repair café", description="Fix")
    assert idea_vote_toggle(idea=idea, user=bo) is True
    assert idea_vote_toggle(idea=idea, user=bo) is False
    idea_vote_toggle(idea=idea, user=bo)
    initiative = idea_promote(idea=idea, actor=ana, key="repair-cafe")
    idea.refresh_from_db()
    assert idea.status == "promoted"
    assert idea.initiative == initiative
    assert initiative.status == "proposed"
    assert initiative.objective == "Fix"
    with pytest.raises(ValidationError):
        idea_vote_toggle(idea=idea, user=ana)
