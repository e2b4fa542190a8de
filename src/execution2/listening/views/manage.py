"""The admins' listening pages: import, analyse, brands, labelling."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from execution2.core.jobs import job_submit
from execution2.core.uploads import upload_form_valid, upload_view
from execution2.listening import selectors, services
from execution2.listening.forms import (
    AnalyzeForm,
    BrandForm,
    LabelFileForm,
    LabelForm,
    UploadForm,
)
from execution2.listening.models import Brand
from execution2.listening.views.common import (
    run_context,
)
from execution2.orgs.choices import Role
from execution2.orgs.tenancy import OrgRequest, org_view

COLUMNS = [
    ("text", True, "What the post says."),
    ("timestamp", True, "When: 2026-01-31T14:05:00Z, 2026-01-31 14:05, epoch seconds, …"),
    ("channel", True, "Where: twitter, forum, review, news, … (or name one for the whole file)"),
    ("id", False, "The tool's post id; re-imports match posts by it."),
    ("author", False, "Who wrote it."),
    ("url", False, "Link to the post."),
    ("language", False, "Language code, e.g. en."),
    ("engagement", False, "Likes + shares + replies (or give likes, shares, replies)."),
    ("rating", False, "A review's stars."),
]
EXAMPLE = """id,text,timestamp,channel,author,engagement
t1,"Love the new @acme app, checkout is so quick",2026-03-02T09:15:00Z,twitter,ana_b,14
t2,"Still waiting for my Acme delivery after 3 weeks",2026-03-02 10:02,forum,jk77,3"""


@org_view(min_role=Role.ADMIN)
def _posts_import(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    form = UploadForm()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if upload_form_valid(request, form):
            upload = form.cleaned_data["file"]
            job = job_submit(
                organization=organization,
                kind="listening.import",
                label=f"Import conversations from {upload.name}",
                params={
                    "back_url": request.path,
                    "channel": form.cleaned_data["channel"].strip().lower() or None,
                },
                actor=request.user,
                upload=upload,
            )
            return redirect("orgs:job", org_slug=organization.slug, job_id=job.pk)
    return render(
        request,
        "listening/import.html",
        {
            **run_context(request),
            "form": form,
            "columns": COLUMNS,
            "example": EXAMPLE,
            "max_upload_bytes": settings.EXECUTION2_MAX_UPLOAD_BYTES,
        },
        status=422 if form.errors else 200,
    )


posts_import = upload_view(_posts_import)


@org_view(min_role=Role.ADMIN)
def analyze(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    form = (
        AnalyzeForm(request.POST)
        if request.method == "POST"
        else AnalyzeForm(initial={"themes": 20})
    )
    if request.method == "POST" and form.is_valid():
        since: datetime.date | None = form.cleaned_data["since"]
        job = job_submit(
            organization=organization,
            kind="listening.analyze",
            label="Analyse the conversations",
            params={
                "since": since.isoformat() if since else None,
                "n_themes": form.cleaned_data["themes"],
                "back_url": reverse("listening:overview", kwargs={"org_slug": organization.slug}),
            },
            actor=request.user,
        )
        return redirect("orgs:job", org_slug=organization.slug, job_id=job.pk)
    return render(
        request,
        "listening/analyze.html",
        {
            **run_context(request),
            "form": form,
            "model_in_use": services.classifier_in_use(organization) is not None,
        },
        status=422 if form.errors else 200,
    )


@org_view(min_role=Role.ADMIN)
def brands(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    form = BrandForm()
    editing: Brand | None = None
    if request.method == "POST":
        action = request.POST.get("action", "save")
        target = None
        if request.POST.get("brand"):
            try:
                target = Brand.objects.filter(
                    organization=organization, pk=int(request.POST["brand"])
                ).first()
            except ValueError:
                target = None
            if target is None:
                raise Http404("No such brand")
        if action == "delete" and target is not None:
            services.brand_delete(brand=target, actor=request.user)
            messages.success(request, f"{target.name} is no longer tracked.")
            return redirect("listening:brands", org_slug=organization.slug)
        if action == "save":
            form = BrandForm(request.POST)
            editing = target
            if form.is_valid():
                try:
                    saved = services.brand_save(
                        organization=organization,
                        name=form.cleaned_data["name"],
                        aliases=services.parse_aliases(form.cleaned_data["aliases"]),
                        own=form.cleaned_data["own"],
                        match_case=form.cleaned_data["match_case"],
                        brand=target,
                        actor=request.user,
                    )
                except ValidationError as error:
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    messages.success(
                        request,
                        f"Saved {saved.name}. Run the analysis again to count its mentions.",
                    )
                    return redirect("listening:brands", org_slug=organization.slug)
    elif request.GET.get("edit"):
        try:
            editing = Brand.objects.filter(
                organization=organization, pk=int(request.GET["edit"])
            ).first()
        except ValueError:
            editing = None
        if editing is not None:
            form = BrandForm(
                initial={
                    "name": editing.name,
                    "aliases": ", ".join(editing.aliases),
                    "own": editing.own,
                    "match_case": editing.match_case,
                }
            )
    return render(
        request,
        "listening/brands.html",
        {
            **run_context(request),
            "form": form,
            "editing": editing,
            "brand_list": list(Brand.objects.filter(organization=organization)),
        },
        status=422 if form.errors else 200,
    )


@org_view(min_role=Role.ADMIN)
def _labels(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    file_form = LabelFileForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "label":
            form = LabelForm(request.POST)
            if not form.is_valid():
                return HttpResponse("Choose negative, neutral or positive.", status=422)
            try:
                saved = services.label_set(
                    organization=organization,
                    key=form.cleaned_data["key"],
                    label=form.cleaned_data["label"],
                    actor=request.user,
                )
            except ValidationError as error:
                return HttpResponse(" ".join(error.messages), status=422)
            if request.headers.get("HX-Request"):
                return render(request, "listening/_labelled.html", {"label": saved})
            messages.success(request, f"Labelled {saved.get_label_display().lower()}.")
            return redirect(request.path)
        if action == "train":
            job = job_submit(
                organization=organization,
                kind="listening.train",
                label="Train the sentiment classifier",
                params={"back_url": request.path},
                actor=request.user,
            )
            return redirect("orgs:job", org_slug=organization.slug, job_id=job.pk)
        if action == "import":
            file_form = LabelFileForm(request.POST, request.FILES)
            if upload_form_valid(request, file_form):
                upload = file_form.cleaned_data["file"]
                job = job_submit(
                    organization=organization,
                    kind="listening.labels",
                    label=f"Import labels from {upload.name}",
                    params={"back_url": request.path},
                    actor=request.user,
                    upload=upload,
                )
                return redirect("orgs:job", org_slug=organization.slug, job_id=job.pk)
    try:
        offset = max(0, min(int(request.GET.get("skip", 0)), 392))
    except ValueError:
        offset = 0
    context = run_context(request)
    counts = selectors.label_counts(organization)
    context.update(
        file_form=file_form,
        queue=selectors.posts_to_label(organization, offset=offset),
        next_offset=offset + 8,
        counts=counts,
        total_labels=sum(counts.values()),
        min_labels=services.MIN_LABELS,
        model=selectors.latest_classifier(organization),
        recent=selectors.recent_labels(organization),
    )
    return render(
        request, "listening/labels.html", context, status=422 if file_form.errors else 200
    )


labels = upload_view(_labels)
