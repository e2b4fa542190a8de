"""The ideas board: propose, vote, comment; admins promote an idea to an initiative."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from execution2.orgs.choices import Role
from execution2.orgs.models import Person
from execution2.orgs.tenancy import OrgRequest, org_view
from execution2.plans.choices import IdeaStatus
from execution2.plans.forms import CommentForm, IdeaForm, PromoteForm
from execution2.plans.models import Idea, IdeaVote
from execution2.plans.services import (
    idea_close,
    idea_comment_add,
    idea_create,
    idea_promote,
    idea_vote_toggle,
)
from execution2.plans.views.common import limited

IDEA_PAGE = 20


def _ideas(request: OrgRequest):  # type: ignore[no-untyped-def]
    return (
        Idea.objects.filter(organization=request.organization)
        .select_related("author", "initiative")
        .annotate(
            vote_count=Count("votes", distinct=True),
            comment_count=Count("comments", distinct=True),
            voted=Exists(IdeaVote.objects.filter(idea=OuterRef("pk"), user=request.user)),
        )
    )


def _board(request: OrgRequest, *, form: IdeaForm | None = None, status: int = 200) -> HttpResponse:
    sort = request.GET.get("sort", "votes")
    show = request.GET.get("show", "open")
    listing = _ideas(request)
    if show == "promoted":
        listing = listing.filter(status=IdeaStatus.PROMOTED)
    elif show == "all":
        pass
    else:
        show = "open"
        listing = listing.filter(status=IdeaStatus.OPEN)
    if sort == "new":
        listing = listing.order_by("-created_at", "-pk")
    else:
        sort = "votes"
        listing = listing.order_by("-vote_count", "-created_at", "-pk")
    page = Paginator(listing, IDEA_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/ideas.html",
        {"form": form or IdeaForm(), "page": page, "sort": sort, "show": show},
        status=status,
    )


@org_view()
def ideas(request: OrgRequest) -> HttpResponse:
    """The board; a POST proposes a new idea."""
    if request.method != "POST":
        return _board(request)
    form = IdeaForm(request.POST)
    if not form.is_valid():
        return _board(request, form=form, status=422)
    organization = request.organization
    idea = idea_create(
        organization=organization,
        author=request.user,
        title=form.cleaned_data["title"],
        description=form.cleaned_data["description"],
    )
    messages.success(request, "Thanks! Your idea is on the board for others to vote on.")
    return redirect("plans:idea", org_slug=organization.slug, idea_id=idea.pk)


def _get_idea(request: OrgRequest, idea_id: int) -> Idea:
    idea = _ideas(request).filter(pk=idea_id).first()
    if idea is None:
        raise Http404("No such idea")
    return idea


def _promotion_candidates(request: OrgRequest) -> Any:
    return limited(
        list(
            Person.objects.filter(
                organization=request.organization, active=True, direct_reports__isnull=False
            )
            .distinct()
            .order_by("name")
            .values_list("pk", flat=True)[:400]
        )
    )


def _idea_page(
    request: OrgRequest,
    idea: Idea,
    *,
    comment_form: CommentForm | None = None,
    promote_form: PromoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    is_admin = request.role_at_least(Role.ADMIN)
    if promote_form is None and is_admin:
        promote_form = PromoteForm(people=_promotion_candidates(request))
    return render(
        request,
        "plans/idea.html",
        {
            "idea": idea,
            "comments": idea.comments.select_related("author").all(),
            "comment_form": comment_form or CommentForm(),
            "promote_form": promote_form if idea.status == IdeaStatus.OPEN else None,
            "is_admin": is_admin,
        },
        status=status,
    )


@org_view()
def idea_detail(request: OrgRequest, idea_id: int) -> HttpResponse:
    return _idea_page(request, _get_idea(request, idea_id))


@org_view()
def idea_vote(request: OrgRequest, idea_id: int) -> HttpResponse:
    """Vote, or take the vote back; back to the page the vote was cast on (board or idea)."""
    idea = _get_idea(request, idea_id)
    if request.method != "POST":
        return _idea_page(request, idea)
    try:
        voted = idea_vote_toggle(idea=idea, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Vote counted." if voted else "Vote taken back.")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse(
            "plans:idea", kwargs={"org_slug": request.organization.slug, "idea_id": idea.pk}
        )
    return redirect(back)


@org_view()
def idea_comment(request: OrgRequest, idea_id: int) -> HttpResponse:
    idea = _get_idea(request, idea_id)
    if request.method != "POST":
        return _idea_page(request, idea)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            idea_comment_add(idea=idea, author=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            kwargs = {"org_slug": request.organization.slug, "idea_id": idea.pk}
            return redirect(reverse("plans:idea", kwargs=kwargs) + "#comments")
    return _idea_page(request, idea, comment_form=form, status=422)


@org_view(min_role=Role.ADMIN)
def idea_promote_view(request: OrgRequest, idea_id: int) -> HttpResponse:
    idea = _get_idea(request, idea_id)
    if request.method != "POST":
        return _idea_page(request, idea)
    form = PromoteForm(request.POST, people=_promotion_candidates(request))
    if form.is_valid():
        try:
            initiative = idea_promote(
                idea=idea,
                actor=request.user,
                key=form.cleaned_data["key"],
                owner=form.cleaned_data["owner"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"\u201c{idea.title}\u201d is now an initiative.")
            return redirect(
                "plans:initiative", org_slug=request.organization.slug, initiative_id=initiative.pk
            )
    return _idea_page(request, idea, promote_form=form, status=422)


@org_view(min_role=Role.ADMIN)
def idea_close_view(request: OrgRequest, idea_id: int) -> HttpResponse:
    idea = _get_idea(request, idea_id)
    if request.method != "POST":
        return _idea_page(request, idea)
    try:
        idea_close(idea=idea, actor=request.user)
    except ValidationError as error:
        form = CommentForm()
        form.add_error(None, error)
        return _idea_page(request, idea, comment_form=form, status=422)
    messages.success(request, "The idea is closed.")
    return redirect("plans:idea", org_slug=request.organization.slug, idea_id=idea.pk)
