"""An assignment's page and one small view per thing one can do on it.

Each action answers a POST by doing it and returning to the page; a form that doesn't validate,
or a rule the service refuses, shows the page again with the problem (422). A GET on an action's
URL shows the page itself, where the action's form is.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from execution2.orgs.models import Person
from execution2.orgs.selectors import manager_chain
from execution2.orgs.tenancy import OrgRequest, org_view
from execution2.plans import services
from execution2.plans.forms import BlockerForm, CheckInForm, RecognitionForm, ResolveForm
from execution2.plans.models import Assignment, Blocker, CheckIn, Recognition
from execution2.plans.views.common import get_assignment, id_param, limited

NOT_HERE = "That blocker isn't on this assignment."


def _escalation_people(assignment: Any) -> QuerySet[Person]:
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


def _recognition_form(assignment: Assignment, data: Any = None) -> RecognitionForm:
    return RecognitionForm(
        data, people=limited([assignment.owner_id]), initial={"receiver": assignment.owner_id}
    )


def _page(
    request: OrgRequest,
    assignment: Assignment,
    *,
    error: str = "",
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    """The assignment's page; `forms` replace the empty forms with the bound ones of a POST."""
    person = request.person
    is_owner = person is not None and person.pk == assignment.owner_id
    is_delegator = person is not None and person.pk == assignment.delegator_id
    escalation_people = _escalation_people(assignment)
    last = CheckIn.objects.filter(assignment=assignment).order_by("-created_at", "-pk").first()
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
        if b.resolved_at is None and services.blocker_may_resolve(blocker=b, person=person)
    }
    context = {
        "assignment": assignment,
        "person": person,
        "is_owner": is_owner,
        "is_delegator": is_delegator,
        "can_checkin": involved and assignment.is_open,
        "can_block": involved and assignment.is_open,
        "can_recognise": person is not None and not is_owner,
        "checkin_form": forms.get("checkin_form")
        or CheckInForm(
            initial={
                "progress": round(assignment.progress),
                "confidence": last.confidence if last is not None else 7,
            }
        ),
        "blocker_form": forms.get("blocker_form") or BlockerForm(people=escalation_people),
        "recognition_form": forms.get("recognition_form") or _recognition_form(assignment),
        "resolve_form": ResolveForm(),
        "escalation_people": escalation_people,
        "checkins": checkins,
        "blockers": blockers,
        "resolvable": resolvable,
        "recognitions": recognitions,
        "error": error,
        "late": assignment.is_open and assignment.due and assignment.due < timezone.localdate(),
    }
    return render(request, "plans/assignment.html", context, status=status)


def _done(request: OrgRequest, assignment: Assignment, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(
        "plans:assignment", org_slug=request.organization.slug, assignment_id=assignment.pk
    )


def _refused(request: OrgRequest, assignment: Assignment, problem: ValidationError) -> HttpResponse:
    return _page(request, assignment, error=" ".join(problem.messages), status=422)


def _blocker_of(request: OrgRequest, assignment: Assignment) -> Blocker | None:
    return Blocker.objects.filter(
        organization=request.organization,
        assignment=assignment,
        pk=id_param(request.POST.get("blocker")) or 0,
    ).first()


@org_view()
def assignment_detail(request: OrgRequest, assignment_id: int) -> HttpResponse:
    return _page(request, get_assignment(request, assignment_id))


@org_view()
def assignment_acknowledge(request: OrgRequest, assignment_id: int) -> HttpResponse:
    assignment = get_assignment(request, assignment_id)
    if request.method != "POST":
        return _page(request, assignment)
    try:
        services.assignment_acknowledge(assignment=assignment, person=request.person)
    except ValidationError as problem:
        return _refused(request, assignment, problem)
    return _done(request, assignment, "Acknowledged. Check in whenever there is progress.")


@org_view()
def assignment_checkin(request: OrgRequest, assignment_id: int) -> HttpResponse:
    assignment = get_assignment(request, assignment_id)
    if request.method != "POST":
        return _page(request, assignment)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _page(request, assignment, checkin_form=form, status=422)
    data = form.cleaned_data
    try:
        services.checkin_create(
            assignment=assignment,
            author=request.person,
            progress=data["progress"],
            confidence=data["confidence"],
            comment=data["comment"],
            done=data["done"],
        )
    except ValidationError as problem:
        return _refused(request, assignment, problem)
    return _done(request, assignment, "Check-in saved.")


@org_view()
def assignment_blocker_raise(request: OrgRequest, assignment_id: int) -> HttpResponse:
    assignment = get_assignment(request, assignment_id)
    if request.method != "POST":
        return _page(request, assignment)
    form = BlockerForm(request.POST, people=_escalation_people(assignment))
    if not form.is_valid():
        return _page(request, assignment, blocker_form=form, status=422)
    try:
        services.blocker_raise(
            assignment=assignment,
            raised_by=request.person,
            description=form.cleaned_data["description"],
            escalate_to=form.cleaned_data["escalate_to"],
        )
    except ValidationError as problem:
        return _refused(request, assignment, problem)
    return _done(request, assignment, "Blocker raised.")


@org_view()
def assignment_blocker_resolve(request: OrgRequest, assignment_id: int) -> HttpResponse:
    assignment = get_assignment(request, assignment_id)
    if request.method != "POST":
        return _page(request, assignment)
    blocker = _blocker_of(request, assignment)
    if blocker is None:
        return _page(request, assignment, error=NOT_HERE, status=422)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return _page(request, assignment, error="Choose how the blocker was resolved.", status=422)
    try:
        services.blocker_resolve(
            blocker=blocker,
            person=request.person,
            resolution=form.cleaned_data["resolution"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as problem:
        return _refused(request, assignment, problem)
    return _done(request, assignment, "Blocker resolved.")


@org_view()
def assignment_blocker_escalate(request: OrgRequest, assignment_id: int) -> HttpResponse:
    assignment = get_assignment(request, assignment_id)
    if request.method != "POST":
        return _page(request, assignment)
    blocker = _blocker_of(request, assignment)
    if blocker is None:
        return _page(request, assignment, error=NOT_HERE, status=422)
    target = _escalation_people(assignment).filter(pk=id_param(request.POST.get("to")) or 0).first()
    if target is None:
        return _page(request, assignment, error="Choose someone to escalate to.", status=422)
    try:
        services.blocker_escalate(blocker=blocker, to=target)
    except ValidationError as problem:
        return _refused(request, assignment, problem)
    return _done(request, assignment, f"Escalated to {target.name}.")


@org_view()
def assignment_recognise(request: OrgRequest, assignment_id: int) -> HttpResponse:
    assignment = get_assignment(request, assignment_id)
    if request.method != "POST":
        return _page(request, assignment)
    form = _recognition_form(assignment, request.POST)
    if not form.is_valid():
        return _page(request, assignment, recognition_form=form, status=422)
    try:
        services.recognition_create(
            organization=request.organization,
            giver=request.person,
            receiver=form.cleaned_data["receiver"],
            message=form.cleaned_data["message"],
            assignment=assignment,
        )
    except ValidationError as problem:
        return _refused(request, assignment, problem)
    return _done(request, assignment, f"Recognition sent to {assignment.owner.name}.")


@org_view()
def assignment_drop(request: OrgRequest, assignment_id: int) -> HttpResponse:
    assignment = get_assignment(request, assignment_id)
    if request.method != "POST":
        return _page(request, assignment)
    try:
        services.assignment_drop(assignment=assignment, person=request.person)
    except ValidationError as problem:
        return _refused(request, assignment, problem)
    return _done(request, assignment, "Assignment dropped.")
