"""My work: one's assignments, blockers escalated to one, recognising a colleague."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from execution2.orgs.choices import Role
from execution2.orgs.models import Person
from execution2.orgs.tenancy import OrgRequest, org_view
from execution2.plans.choices import OPEN_ASSIGNMENT_STATUSES, AssignmentStatus
from execution2.plans.forms import (
    DigestForm,
    RecognitionForm,
)
from execution2.plans.models import NotificationPreference, Recognition
from execution2.plans.selectors import blockers_escalated_to, my_assignments
from execution2.plans.services import (
    notification_preference_set,
    recognition_create,
)
from execution2.plans.views.common import (
    colleagues,
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


def _my_work_page(
    request: OrgRequest,
    *,
    recognition_form: RecognitionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    organization = request.organization
    person = request.person
    if person is None:
        return render(request, "plans/my_work.html", {"person": None}, status=status)
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
    if recognition_form is None:
        recognition_form = RecognitionForm(people=_recognition_people(person))
    digest = NotificationPreference.objects.filter(person=person, daily_digest=True).exists()
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
        "is_manager": request.role_at_least(Role.MANAGER),
    }
    return render(request, "plans/my_work.html", context, status=status)


@org_view()
def my_work(request: OrgRequest) -> HttpResponse:
    return _my_work_page(request)


@org_view()
def my_work_recognise(request: OrgRequest) -> HttpResponse:
    """Recognise a colleague from My work (a GET shows My work)."""
    person = request.person
    if request.method != "POST" or person is None:
        return _my_work_page(request)
    form = RecognitionForm(request.POST, people=_recognition_people(person))
    if form.is_valid():
        try:
            recognition_create(
                organization=request.organization,
                giver=person,
                receiver=form.cleaned_data["receiver"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            receiver = form.cleaned_data["receiver"]
            messages.success(request, f"Your recognition is on its way to {receiver.name}.")
            return redirect("plans:my_work", org_slug=request.organization.slug)
    return _my_work_page(request, recognition_form=form, status=422)


@org_view()
def my_work_digest(request: OrgRequest) -> HttpResponse:
    """Choose the daily digest or an e-mail per notification (a GET shows My work)."""
    person = request.person
    if request.method != "POST" or person is None:
        return _my_work_page(request)
    form = DigestForm(request.POST)
    if not form.is_valid():
        return _my_work_page(request, status=422)
    notification_preference_set(person=person, daily_digest=form.cleaned_data["daily_digest"])
    messages.success(request, "Your e-mail preference is saved.")
    return redirect("plans:my_work", org_slug=request.organization.slug)
