"""The API's pages: one's own tokens for an organization, and the API docs."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from execution2.api.forms import TokenForm
from execution2.api.models import ApiToken
from execution2.api.services import token_create, token_revoke
from execution2.orgs.tenancy import OrgRequest, org_view


@org_view()
def tokens(request: OrgRequest) -> HttpResponse:
    organization = request.organization
    if request.method == "POST" and request.POST.get("action") == "revoke":
        return _revoke(request, organization)
    form = TokenForm(request.POST if request.method == "POST" else None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        created = token_create(
            organization=organization,
            user=request.user,
            name=form.cleaned_data["name"],
            read_only=form.cleaned_data["read_only"],
            expires_days=form.cleaned_data["expires_days"],
        )
        new_secret = created.secret
        form = TokenForm()
    mine = ApiToken.objects.filter(organization=organization, user=request.user)
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": mine,
            "new_secret": new_secret,
            "docs_url": reverse("api_docs"),
            "api_base": request.build_absolute_uri(f"/api/v1/orgs/{organization.slug}"),
        },
        status=422 if form.errors else 200,
    )


def _revoke(request: OrgRequest, organization: Any) -> HttpResponse:
    # Only one's own tokens: another member's token id is the same "not found" as none.
    token_id = request.POST.get("token", "")
    token = None
    if token_id.isdigit() and len(token_id) < 19:
        token = ApiToken.objects.filter(
            organization=organization, user=request.user, pk=int(token_id)
        ).first()
    if token is None:
        raise Http404
    token_revoke(token=token, actor=request.user)
    messages.success(request, f"Revoked “{token.name}”; it no longer works.")
    return redirect("api:tokens", org_slug=organization.slug)


def docs(request: HttpRequest) -> HttpResponse:
    """Swagger UI for the schema, from vendored files only (the CSP allows nothing else)."""
    settings = {"url": reverse("api-v1:openapi-json"), "layout": "BaseLayout", "deepLinking": True}
    return render(request, "api/docs.html", {"swagger_settings": json.dumps(settings)})
