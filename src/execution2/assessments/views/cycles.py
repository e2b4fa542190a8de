"""Cycles: list and create, the cycle page, opening, closing, reminding, importing answers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from execution2.assessments.forms import CycleForm, ResponsesFileForm
from execution2.assessments.models import Subject
from execution2.assessments.response_import import responses_import
from execution2.assessments.results import overall_rate, response_rates
from execution2.assessments.selectors import cycle_get, cycles_for, my_subjects
from execution2.assessments.services import cycle_close, cycle_create, cycle_remind
from execution2.core.jobs import job_submit
from execution2.core.tabular import ImportRefused
from execution2.orgs.choices import Role, role_at_least
from execution2.orgs.selectors import unit_subtree_filter
from execution2.orgs.tenancy import OrgRequest, org_view


@org_view(min_role=Role.EXECUTIVE)
def cycles(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    form = CycleForm(request.POST or None)
    if request.method == "POST":
        if not request.is_admin:
            raise PermissionDenied
        if form.is_valid():
            try:
                cycle = cycle_create(
                    organization=organization,
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                    opens_on=form.cleaned_data["opens_on"],
                    closes_on=form.cleaned_data["closes_on"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Created {cycle.name}. Open it when you are ready.")
                return redirect("assessments:cycle", org_slug=organization.slug, cycle_id=cycle.pk)
    return render(
        request,
        "assessments/cycles.html",
        {
            "cycles": cycles_for(organization=organization),
            "form": form,
            "is_admin": request.is_admin,
        },
        status=422 if request.method == "POST" else 200,
    )


@org_view(min_role=Role.EXECUTIVE)
def cycle(request: OrgRequest, cycle_id: int) -> HttpResponse:
    organization = request.organization
    found = cycle_get(organization=organization, cycle_id=cycle_id)
    invited, answered = overall_rate(found)
    rates = [r for r in response_rates(found) if r.unit.depth <= 1]
    subjects = Subject.objects.filter(cycle=found).select_related("person", "unit")
    return render(
        request,
        "assessments/cycle.html",
        {
            "cycle": found,
            "invited": invited,
            "answered": answered,
            "rate": answered / invited * 100 if invited else None,
            "rates": rates,
            "subjects": subjects,
            "is_admin": request.is_admin,
            "import_form": ResponsesFileForm(),
            "responses": found.responses.count(),
        },
    )


@org_view(min_role=Role.ADMIN)
def cycle_action(request: OrgRequest, cycle_id: int) -> HttpResponse:
    organization = request.organization
    found = cycle_get(organization=organization, cycle_id=cycle_id)
    target = reverse(
        "assessments:cycle", kwargs={"org_slug": organization.slug, "cycle_id": found.pk}
    )
    if request.method != "POST":
        return redirect(target)
    action = request.POST.get("action")
    base = request.build_absolute_uri("/").rstrip("/")
    try:
        if action == "open":
            # Choosing raters and sending thousands of e-mails is long work: a job.
            job = job_submit(
                organization=organization,
                kind="assessments.open",
                label=f"Open {found.name} and send invitations",
                params={"cycle": found.pk, "link_base": base, "back_url": target},
                actor=request.user,
            )
            return redirect("orgs:job", org_slug=organization.slug, job_id=job.pk)
        elif action == "remind":
            sent = cycle_remind(cycle=found, actor=request.user, link_base=base)
            messages.success(
                request, f"Sent {sent} reminder e-mails to people who haven't answered."
            )
        elif action == "close":
            cycle_close(cycle=found, actor=request.user)
            # Instrument quality is computed at close, in the background.
            job_submit(
                organization=organization,
                kind="assessments.validity",
                label=f"Instrument quality of {found.name}",
                params={"cycle": found.pk, "back_url": target},
                actor=request.user,
            )
            messages.success(request, "The cycle is closed; its links no longer work.")
        else:
            messages.error(request, "Choose open, remind or close.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(target)


@org_view(min_role=Role.ADMIN)
def cycle_import(request: OrgRequest, cycle_id: int) -> HttpResponse:
    organization = request.organization
    found = cycle_get(organization=organization, cycle_id=cycle_id)
    form = ResponsesFileForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.EXECUTION2_IMPORT_INLINE_BYTES:
            # A big file runs as a job, so the page shows its progress instead of hanging.
            job = job_submit(
                organization=organization,
                kind="assessments.import",
                label=f"Import answers to {found.name} from {upload.name}",
                params={"cycle": found.pk, "back_url": request.path},
                actor=request.user,
                upload=upload,
            )
            return redirect("orgs:job", org_slug=organization.slug, job_id=job.pk)
        try:
            result = responses_import(
                cycle=found, source=upload, file_name=upload.name, actor=request.user
            )
        except ImportRefused as refused:
            problems = refused.problems
        else:
            messages.success(request, result.summary())
            return redirect("assessments:cycle", org_slug=organization.slug, cycle_id=found.pk)
    spec = found.instrument.parsed()
    return render(
        request,
        "assessments/import.html",
        {"cycle": found, "form": form, "problems": problems, "spec": spec},
        status=422 if request.method == "POST" else 200,
    )


@org_view(min_role=Role.MEMBER)
def mine(request: OrgRequest) -> HttpResponse:
    membership = request.membership
    from execution2.assessments.models import Cycle

    proposing = (
        Cycle.objects.filter(organization=request.organization, kind="360", status="draft")
        if membership.person_id is not None
        else Cycle.objects.none()
    )
    return render(
        request,
        "assessments/mine.html",
        {
            "proposing": proposing,
            "subjects": my_subjects(membership=membership),
            "has_person": membership.person_id is not None,
            "can_see_all": role_at_least(membership.role, Role.EXECUTIVE),
        },
    )


def _peer_candidates(membership: Any) -> list[Any]:
    """Colleagues under the same manager and people of the same unit, for a peer proposal."""
    from django.db.models import Q

    from execution2.orgs.models import Person

    me = membership.person
    if me is None:
        return []
    top = me.unit.path.split(" / ")[0]
    # Same manager, or anywhere in the same top-level unit.
    near = unit_subtree_filter(top)
    if me.manager_id is not None:
        near |= Q(manager_id=me.manager_id)
    return list(
        Person.objects.filter(organization_id=membership.organization_id, active=True)
        .filter(near)
        .exclude(pk=me.pk)
        .exclude(manager_id=me.pk)
        .order_by("name")[:60]
    )


@org_view(min_role=Role.MEMBER)
def peers(request: OrgRequest, cycle_id: int) -> HttpResponse:
    """A manager proposes the peers who will rate them in a 360 cycle, before it opens."""
    from execution2.assessments.models import PeerNomination
    from execution2.assessments.services import peer_nominate

    organization = request.organization
    membership = request.membership
    found = cycle_get(organization=organization, cycle_id=cycle_id)
    candidates = _peer_candidates(membership)
    can_propose = membership.person is not None and found.kind == "360" and found.status == "draft"
    chosen = set(
        PeerNomination.objects.filter(cycle=found, subject_id=membership.person_id).values_list(
            "peer_id", flat=True
        )
    )
    error = ""
    if request.method == "POST" and can_propose:
        wanted = {int(v) for v in request.POST.getlist("peer") if v.isdigit()}
        picked = [p for p in candidates if p.pk in wanted]
        if len(picked) < 3:
            error = "Choose at least three peers: fewer could not be shown anonymously."
        else:
            try:
                peer_nominate(cycle=found, subject=membership.person, peers=picked)
            except ValidationError as problem:
                error = " ".join(problem.messages)
            else:
                messages.success(request, f"Saved: {len(picked)} peers will be asked about you.")
                return redirect("assessments:mine", org_slug=organization.slug)
        chosen = wanted
    return render(
        request,
        "assessments/peers.html",
        {
            "cycle": found,
            "candidates": candidates,
            "chosen": chosen,
            "can_propose": can_propose,
            "error": error,
        },
        status=422 if error else 200,
    )
