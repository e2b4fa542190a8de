"""Outcomes of closed plans and initiatives, how well the index separated them, and the index
settings (weights and target). Admins only; every write goes through `insights.services`."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from execution2.analytics.index import COMPONENTS, DEFAULT_TARGET, DEFAULT_WEIGHTS, TITLES
from execution2.core.jobs import job_submit
from execution2.insights.benchmarking import outcome_evaluation, weights_fingerprint
from execution2.insights.forms import IndexSettingsForm, OutcomeForm, PlanOutcomeForm
from execution2.insights.models import Outcome
from execution2.insights.selectors import latest_run, outcomes_of
from execution2.insights.services import index_settings, index_weights_update, outcome_record
from execution2.orgs.choices import Role
from execution2.orgs.models import Organization
from execution2.orgs.tenancy import OrgRequest, org_view
from execution2.plans.choices import InitiativeStatus
from execution2.plans.models import Initiative

CLOSED = (InitiativeStatus.DONE, InitiativeStatus.CANCELLED)
CLOSED_PER_PAGE = 25
# Weights differing by less than this (as shares) are the same weights (they are stored rounded).
SAME_WEIGHT = 1e-5


def _plain(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _form_error(form: Any, error: ValidationError) -> None:
    """A service's ValidationError onto the form: next to the field when the form has it."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, _plain(error))


def _page_number(value: str | None) -> int:
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return number if number > 0 else 1


def _outcomes_url(organization: Organization, page: int = 1, anchor: str = "") -> str:
    url = reverse("insights:outcomes", kwargs={"org_slug": organization.slug})
    if page > 1:
        url += f"?page={page}"
    return url + (f"#{anchor}" if anchor else "")


def _closing_day(initiative: Initiative) -> datetime.date:
    today = timezone.localdate()
    return initiative.end if initiative.end is not None and initiative.end <= today else today


def _initiative_form(
    initiative: Initiative, outcome: Outcome | None, bound: tuple[int, OutcomeForm] | None
) -> OutcomeForm:
    if bound is not None and bound[0] == initiative.pk:
        return bound[1]
    initial: dict[str, Any] = (
        {"result": outcome.result, "closed_on": outcome.closed_on, "note": outcome.note}
        if outcome is not None
        else {"closed_on": _closing_day(initiative)}
    )
    return OutcomeForm(initial=initial, prefix=f"i{initiative.pk}")


def _render(
    request: OrgRequest,
    *,
    plan_form: PlanOutcomeForm | None = None,
    bound: tuple[int, OutcomeForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    organization: Organization = request.organization
    closed = Initiative.objects.filter(organization=organization, status__in=CLOSED).order_by(
        "-end", "title", "pk"
    )
    page = Paginator(closed, CLOSED_PER_PAGE).get_page(request.GET.get("page"))
    ids = [initiative.pk for initiative in page]
    recorded = {
        outcome.initiative_id: outcome
        for outcome in Outcome.objects.filter(organization=organization, initiative_id__in=ids)
    }
    rows = [
        {
            "initiative": initiative,
            "outcome": recorded.get(initiative.pk),
            "form": _initiative_form(initiative, recorded.get(initiative.pk), bound),
            "open": bound is not None and bound[0] == initiative.pk,
        }
        for initiative in page
    ]
    evaluation = outcome_evaluation(organization=organization)
    context = {
        "page": page,
        "closed_rows": rows,
        "plan_form": plan_form
        or PlanOutcomeForm(initial={"closed_on": timezone.localdate()}, prefix="plan"),
        "plan_open": plan_form is not None,
        "outcomes": list(outcomes_of(organization=organization).select_related("recorded_by")),
        "evaluation": evaluation,
    }
    return render(request, "insights/outcomes.html", context, status=status)


def _record_initiative(request: OrgRequest, organization: Organization) -> HttpResponse:
    try:
        initiative_id = int(request.POST.get("initiative", ""))
    except ValueError:
        raise Http404("No such initiative") from None
    initiative = Initiative.objects.filter(organization=organization, pk=initiative_id).first()
    if initiative is None:
        raise Http404("No such initiative")
    form = OutcomeForm(request.POST, prefix=f"i{initiative.pk}")
    if form.is_valid():
        try:
            outcome = outcome_record(
                organization=organization,
                actor=request.user,
                result=form.cleaned_data["result"],
                closed_on=form.cleaned_data["closed_on"],
                initiative_id=initiative.pk,
                note=form.cleaned_data["note"],
                compute_index=False,
            )
            _compute_index_later(request, outcome)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                f"Outcome of “{outcome.label}” recorded: {outcome.get_result_display().lower()}. "
                "The index it had when it closed is being worked out.",
            )
            page = _page_number(request.POST.get("page"))
            return redirect(_outcomes_url(organization, page, f"initiative-{initiative.pk}"))
    # The problems that belong to no field go in the message: the initiative's row may not be
    # on the page (an active one, another page of closed ones).
    problems = " ".join(str(problem) for problem in form.non_field_errors())
    messages.error(
        request,
        f"The outcome of “{initiative.title}” was not recorded. {problems}".strip(),
    )
    return _render(request, bound=(initiative.pk, form), status=422)


def _compute_index_later(request: OrgRequest, outcome: Outcome) -> None:
    """The index as of the closing day reads the whole organization as it was then: seconds
    for a large one, so a job does it and the page answers at once."""
    job_submit(
        organization=outcome.organization,
        kind="insights.outcome_index",
        label=f"Work out the index of “{outcome.label}” when it closed",
        params={"outcome": outcome.pk},
        actor=request.user,
    )


def _record_plan(request: OrgRequest, organization: Organization) -> HttpResponse:
    form = PlanOutcomeForm(request.POST, prefix="plan")
    if form.is_valid():
        try:
            outcome = outcome_record(
                organization=organization,
                actor=request.user,
                result=form.cleaned_data["result"],
                closed_on=form.cleaned_data["closed_on"],
                label=form.cleaned_data["label"],
                note=form.cleaned_data["note"],
                compute_index=False,
            )
            _compute_index_later(request, outcome)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                f"Outcome of “{outcome.label}” recorded: {outcome.get_result_display().lower()}. "
                "The index it had when it closed is being worked out.",
            )
            return redirect(_outcomes_url(organization, anchor="recorded-heading"))
    messages.error(request, "The plan's outcome was not recorded.")
    return _render(request, plan_form=form, status=422)


def _adopt(request: OrgRequest, organization: Organization) -> HttpResponse:
    # The suggestion is computed again rather than read from the form: only weights the
    # installation's outcomes support can be adopted, and only those the admin saw.
    evaluation = outcome_evaluation(organization=organization)
    suggested = evaluation.suggestion.weights
    if suggested is None:
        messages.error(request, f"There are no weights to adopt. {evaluation.suggestion.reason}")
        return redirect(_outcomes_url(organization, anchor="evaluation-heading"))
    if request.POST.get("fingerprint", "") != weights_fingerprint(suggested):
        messages.warning(
            request,
            "New outcomes have changed the suggestion since the page was loaded: "
            "review the weights below and adopt them again.",
        )
        return redirect(_outcomes_url(organization, anchor="evaluation-heading"))
    index_weights_update(organization=organization, actor=request.user, weights=suggested)
    messages.success(
        request,
        "The suggested weights are now this organization's weights. "
        "The index must be recomputed to use them.",
    )
    return redirect("insights:weights", org_slug=organization.slug)


@org_view(Role.ADMIN)
def outcome_list(request: OrgRequest) -> HttpResponse:
    organization: Organization = request.organization
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "initiative":
            return _record_initiative(request, organization)
        if action == "plan":
            return _record_plan(request, organization)
        if action == "adopt":
            return _adopt(request, organization)
        messages.error(request, "That action isn't known here; nothing was changed.")
        return redirect(_outcomes_url(organization))
    return _render(request)


# --- the index settings -------------------------------------------------------------------


def _percent(share: float) -> float:
    return round(share * 100, 2)


def _settings_context(organization: Organization, form: IndexSettingsForm) -> dict[str, Any]:
    weights, target = index_settings(organization)
    if form.is_bound:
        # The weights are drawn in a table, not by `form_field`: tie their errors to them here.
        for name in form.errors:
            if name in form.fields and name != "target":
                form.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{form[name].auto_id}_error"}
                )
    run = latest_run(organization=organization)
    used: dict[str, Any] = run.summary if run is not None and isinstance(run.summary, dict) else {}
    used_weights = used.get("weights") if isinstance(used.get("weights"), dict) else None
    used_target = used.get("target")
    stale = run is None or (
        used_weights is None
        or any(
            not isinstance(used_weights.get(key), int | float)
            or abs(float(used_weights[key]) - weights[key]) > SAME_WEIGHT
            for key in COMPONENTS
        )
        or not isinstance(used_target, int | float)
        or abs(float(used_target) - target) > SAME_WEIGHT
    )
    rows = [
        {
            "key": key,
            "title": TITLES[key],
            "field": form[f"weight_{key}"],
            "share": _percent(weights[key]),
            "used": (
                _percent(float(used_weights[key]))
                if used_weights is not None and isinstance(used_weights.get(key), int | float)
                else None
            ),
            "default": _percent(DEFAULT_WEIGHTS[key]),
        }
        for key in COMPONENTS
    ]
    return {
        "form": form,
        "rows": rows,
        "target": target,
        "default_target": DEFAULT_TARGET,
        "run": run,
        "used_target": used_target if isinstance(used_target, int | float) else None,
        "stale": stale,
    }


@org_view(Role.ADMIN)
def index_settings_edit(request: OrgRequest) -> HttpResponse:
    organization: Organization = request.organization
    weights, target = index_settings(organization)
    initial: dict[str, Any] = {f"weight_{key}": _percent(weights[key]) for key in COMPONENTS}
    initial["target"] = target
    if request.method != "POST":
        form = IndexSettingsForm(initial=initial)
        return render(request, "insights/weights.html", _settings_context(organization, form))
    if request.POST.get("action") == "defaults":
        index_weights_update(
            organization=organization,
            actor=request.user,
            weights=dict(DEFAULT_WEIGHTS),
            target=DEFAULT_TARGET,
        )
        messages.success(
            request,
            "The default weights and target are back. The index must be recomputed to use them.",
        )
        return redirect("insights:weights", org_slug=organization.slug)
    form = IndexSettingsForm(request.POST, initial=initial)
    if form.is_valid():
        try:
            index_weights_update(
                organization=organization,
                actor=request.user,
                weights=form.weights(),
                target=form.cleaned_data["target"],
            )
        except ValidationError as error:
            form.add_error(None, _plain(error))
        else:
            saved, _ = index_settings(organization)
            shares = ", ".join(
                f"{TITLES[key]} {_percent(saved[key]):g}%" for key in COMPONENTS if saved[key] > 0
            )
            messages.success(
                request,
                f"Weights and target saved (as shares of 100%: {shares}). "
                "The index must be recomputed to use them.",
            )
            return redirect("insights:weights", org_slug=organization.slug)
    messages.error(request, "The weights were not saved.")
    return render(
        request, "insights/weights.html", _settings_context(organization, form), status=422
    )
