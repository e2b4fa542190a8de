"""The ideas board: propose, vote, comment; admins promote an idea to an initiative."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

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
from execution2.plans.views.common import (
    limited,
)

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


@org_view()
def ideas(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    form = IdeaForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if request.POST.get("action") == "vote":
            idea = Idea.objects.filter(
                organization=organization, pk=_int(request.POST.get("idea"))
            ).first()
            if idea is None:
                messages.error(request, "That idea isn't on this board.")
            else:
                try:
                    voted = idea_vote_toggle(idea=idea, user=request.user)
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    messages.success(request, "Vote counted." if voted else "Vote taken back.")
            return redirect(request.get_full_path())
        if form.is_valid():
            idea = idea_create(
                organization=organization,
                author=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
            messages.success(request, "Thanks! Your idea is on the board for others to vote on.")
            return redirect("plans:idea", org_slug=organization.slug, idea_id=idea.pk)
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
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "plans/ideas.html",
        {"form": form, "page": page, "sort": sort, "show": show},
        status=status,
    )


def _int(value: object) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**63 else 0


@org_view()
def idea_detail(request: OrgRequest, idea_id: int) -> HttpResponse:
    organization = request.organization
    idea = _ideas(request).filter(pk=idea_id).first()
    if idea is None:
        raise Http404("No such idea")
    is_admin = request.role_at_least(Role.ADMIN)
    people = limited(
        list(
            Person.objects.filter(
                organization=organization, active=True, direct_reports__isnull=False
            )
            .distinct()
            .order_by("name")
            .values_list("pk", flat=True)[:400]
        )
    )
    comment_form = CommentForm()
    promote_form = PromoteForm(people=people) if is_admin else None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "vote":
                voted = idea_vote_toggle(idea=idea, user=request.user)
                messages.success(request, "Vote counted." if voted else "Vote taken back.")
                return redirect(request.path)
            if action == "comment":
                comment_form = CommentForm(request.POST)
                if comment_form.is_valid():
                    idea_comment_add(
                        idea=idea, author=request.user, text=comment_form.cleaned_data["text"]
                    )
                    return redirect(request.path + "#comments")
            elif action == "promote" and is_admin:
                promote_form = PromoteForm(request.POST, people=people)
                if promote_form.is_valid():
                    initiative = idea_promote(
                        idea=idea,
                        actor=request.user,
                        key=promote_form.cleaned_data["key"],
                        owner=promote_form.cleaned_data["owner"],
                    )
                    messages.success(request, f"\u201c{idea.title}\u201d is now an initiative.")
                    return redirect(
                        "plans:initiative", org_slug=organization.slug, initiative_id=initiative.pk
                    )
            elif action == "close" and is_admin:
                idea_close(idea=idea, actor=request.user)
                messages.success(request, "The idea is closed.")
                return redirect(request.path)
        except ValidationError as error:
            target = (
                promote_form if action == "promote" and promote_form is not None else comment_form
            )
            target.add_error(None, error)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "plans/idea.html",
        {
            "idea": idea,
            "comments": idea.comments.select_related("author").all(),
            "comment_form": comment_form,
            "promote_form": promote_form if idea.status == IdeaStatus.OPEN else None,
            "is_admin": is_admin,
        },
        status=status,
    )
