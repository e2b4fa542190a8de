"""My work, an assignment's page with its actions, and recognising a colleague."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from execution2.orgs.choices import Role
from execution2.orgs.models import Person
from execution2.orgs.selectors import manager_chain
from execution2.orgs.tenancy import org_view
from execution2.plans.choices import OPEN_ASSIGNMENT_STATUSES, AssignmentStatus
from execution2.plans.forms import (
    BlockerForm,
    CheckInForm,
    DigestForm,
    RecognitionForm,
    ResolveForm,
)
from execution2.plans.models import Blocker, CheckIn, NotificationPreference, Recognition
from execution2.plans.selectors import blockers_escalated_to, my_assignments
from execution2.plans.services import (
    assignment_acknowledge,
    assignment_drop,
    blocker_escalate,
    blocker_may_resolve,
    blocker_raise,
    blocker_resolve,
    checkin_create,
    notification_preference_set,
    recognition_create,
)
from execution2.plans.views.common import (
    at_least,
    colleagues,
    get_assignment,
    id_param,
    limited,
    org_of,
    person_of,
)

WORK_PAGE = 20


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _recognition_people(person: Person | None) -> Any:
    if person is None:
        return Person.objects.none()
    from execution2.plans.models import Assignment

    related = Assignment.objects.filter(Q(owner=person) | Q(delegator=person)).values_list(
        "owner_id", "delegator_id"
    )[:300]
    extra = {pk for pair in related for pk in pair if pk}
    return colleagues(person, extra=sorted(extra))


@org_view()
def my_work(request: HttpRequest) -> HttpResponse:
    organization = org_of(request)
    person = person_of(request)
    if person is None:
        return render(request, "plans/my_work.html", {"person": None})
    show = request.GET.get("show", "open")
    assignments = my_assignments(organization=organization, person=person)
    if show == "done":
        assignments = assignments.filter(
            status__in=[AssignmentStatus.DONE, AssignmentStatus.DROPPED]
        )
    else:
        show = "open"
        assignments = assignments.filter(status__in=OPEN_ASSIGNMENT_STATUSES)
    page = Paginator(assignments, WORK_PAGE).get_page(request.GET.get("page"))
    people = _recognition_people(person)
    recognition_form = RecognitionForm(people=people)
    digest = NotificationPreference.objects.filter(person=person, daily_digest=True).exists()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "recognise":
            recognition_form = RecognitionForm(request.POST, people=people)
            if recognition_form.is_valid():
                try:
                    recognition_create(
                        organization=organization,
                        giver=person,
                        receiver=recognition_form.cleaned_data["receiver"],
                        message=recognition_form.cleaned_data["message"],
                    )
                except ValidationError as error:
                    recognition_form.add_error(None, error)
                else:
                    receiver = recognition_form.cleaned_data["receiver"]
                    messages.success(request, f"Your recognition is on its way to {receiver.name}.")
                    return redirect(request.path)
        elif action == "digest":
            form = DigestForm(request.POST)
            if form.is_valid():
                notification_preference_set(
                    person=person, daily_digest=form.cleaned_data["daily_digest"]
                )
                messages.success(request, "Your e-mail preference is saved.")
                return redirect(request.path)
    today = timezone.localdate()
    context = {
        "person": person,
        "page": page,
        "show": show,
        "today": today,
        "counts": {
            "open": my_assignments(organization=organization, person=person)
            .filter(status__in=OPEN_ASSIGNMENT_STATUSES)
            .count(),
            "to_acknowledge": my_assignments(organization=organization, person=person)
            .filter(status=AssignmentStatus.PROPOSED)
            .count(),
            "late": my_assignments(organization=organization, person=person)
            .filter(status__in=OPEN_ASSIGNMENT_STATUSES, due__lt=today)
            .count(),
        },
        "escalated": list(blockers_escalated_to(organization=organization, person=person)[:20]),
        "received": list(
            Recognition.objects.filter(organization=organization, receiver=person)
            .select_related("giver")
            .order_by("-created_at")[:5]
        ),
        "recognition_form": recognition_form,
        "digest": digest,
        "is_manager": at_least(request, Role.MANAGER),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "plans/my_work.html", context, status=status)


def _escalation_people(assignment: Any) -> Any:
    ids = [p.pk for p in manager_chain(person=assignment.owner, limit=6)]
    ids += [
        pk
        for pk in (
            assignment.delegator_id,
            assignment.initiative.owner_id,
            assignment.initiative.sponsor_id,
        )
        if pk
    ]
    return limited([pk for pk in dict.fromkeys(ids) if pk != assignment.owner_id])


@org_view()
def assignment_detail(request: HttpRequest, assignment_id: int) -> HttpResponse:
    organization = org_of(request)
    assignment = get_assignment(request, assignment_id)
    person = person_of(request)
    is_owner = person is not None and person.pk == assignment.owner_id
    is_delegator = person is not None and person.pk == assignment.delegator_id
    escalation_people = _escalation_people(assignment)
    last = CheckIn.objects.filter(assignment=assignment).order_by("-created_at", "-pk").first()
    checkin_form = CheckInForm(
        initial={
            "progress": round(assignment.progress),
            "confidence": last.confidence if last is not None else 7,
        }
    )
    blocker_form = BlockerForm(people=escalation_people)
    recognition_form = RecognitionForm(
        people=limited([assignment.owner_id]), initial={"receiver": assignment.owner_id}
    )
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "acknowledge":
                assignment_acknowledge(assignment=assignment, person=person)
                messages.success(request, "Acknowledged. Check in whenever there is progress.")
                return redirect(request.path)
            if action == "checkin":
                checkin_form = CheckInForm(request.POST)
                if checkin_form.is_valid():
                    data = checkin_form.cleaned_data
                    checkin_create(
                        assignment=assignment,
                        author=person,
                        progress=data["progress"],
                        confidence=data["confidence"],
                        comment=data["comment"],
                        done=data["done"],
                    )
                    messages.success(request, "Check-in saved.")
                    return redirect(request.path)
            elif action == "blocker":
                blocker_form = BlockerForm(request.POST, people=escalation_people)
                if blocker_form.is_valid():
                    blocker_raise(
                        assignment=assignment,
                        raised_by=person,
                        description=blocker_form.cleaned_data["description"],
                        escalate_to=blocker_form.cleaned_data["escalate_to"],
                    )
                    messages.success(request, "Blocker raised.")
                    return redirect(request.path)
            elif action in ("resolve", "escalate"):
                blocker = Blocker.objects.filter(
                    organization=organization,
                    assignment=assignment,
                    pk=id_param(request.POST.get("blocker")) or 0,
                ).first()
                if blocker is None:
                    error = "That blocker isn't on this assignment."
                elif action == "resolve":
                    resolve = ResolveForm(request.POST)
                    if resolve.is_valid():
                        blocker_resolve(
                            blocker=blocker,
                            person=person,
                            resolution=resolve.cleaned_data["resolution"],
                            note=resolve.cleaned_data["note"],
                        )
                        messages.success(request, "Blocker resolved.")
                        return redirect(request.path)
                    error = "Choose how the blocker was resolved."
                else:
                    target = escalation_people.filter(
                        pk=id_param(request.POST.get("to")) or 0
                    ).first()
                    if target is None:
                        error = "Choose someone to escalate to."
                    else:
                        blocker_escalate(blocker=blocker, to=target)
                        messages.success(request, f"Escalated to {target.name}.")
                        return redirect(request.path)
            elif action == "recognise":
                recognition_form = RecognitionForm(
                    request.POST, people=limited([assignment.owner_id])
                )
                if recognition_form.is_valid():
                    recognition_create(
                        organization=organization,
                        giver=person,
                        receiver=recognition_form.cleaned_data["receiver"],
                        message=recognition_form.cleaned_data["message"],
                        assignment=assignment,
                    )
                    messages.success(request, f"Recognition sent to {assignment.owner.name}.")
                    return redirect(request.path)
            elif action == "drop":
                assignment_drop(assignment=assignment, person=person)
                messages.success(request, "Assignment dropped.")
                return redirect(request.path)
            else:
                error = "That action isn't available here."
        except ValidationError as problem:
            error = " ".join(problem.messages)
    checkins = list(
        CheckIn.objects.filter(assignment=assignment)
        .select_related("author")
        .order_by("-created_at", "-pk")[:50]
    )
    blockers = list(
        Blocker.objects.filter(assignment=assignment)
        .select_related("assignment", "raised_by", "escalated_to")
        .order_by("resolved_at", "-raised_at")
    )
    recognitions = list(
        Recognition.objects.filter(assignment=assignment).select_related("giver", "receiver")
    )
    involved = is_owner or is_delegator
    resolvable = {
        b.pk
        for b in blockers
        if b.resolved_at is None and blocker_may_resolve(blocker=b, person=person)
    }
    context = {
        "assignment": assignment,
        "person": person,
        "is_owner": is_owner,
        "is_delegator": is_delegator,
        "can_checkin": involved and assignment.is_open,
        "can_block": involved and assignment.is_open,
        "can_recognise": person is not None and not is_owner,
        "checkin_form": checkin_form,
        "blocker_form": blocker_form,
        "recognition_form": recognition_form,
        "resolve_form": ResolveForm(),
        "escalation_people": escalation_people,
        "checkins": checkins,
        "blockers": blockers,
        "resolvable": resolvable,
        "recognitions": recognitions,
        "error": error,
        "late": assignment.is_open and assignment.due and assignment.due < timezone.localdate(),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "plans/assignment.html", context, status=status)
