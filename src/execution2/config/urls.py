from django.urls import include, path

from execution2.orgs.views import organization_new

urlpatterns = [
    path("", include("execution2.core.urls")),
    # Sign-in, password reset, one's account, and each organization's sign-in page.
    path("", include("execution2.accounts.auth_urls")),
    path("", include("execution2.accounts.urls")),
    path("organizations/new/", organization_new, name="organization_new"),
    # The anonymous survey, reached by a single-use invitation link; no organization in its URL.
    path("s/", include("execution2.assessments.survey_urls")),
    path("o/<slug:org_slug>/", include("execution2.orgs.urls")),
    path("o/<slug:org_slug>/plan/", include("execution2.plans.urls")),
    path("o/<slug:org_slug>/assessments/", include("execution2.assessments.urls")),
    path("o/<slug:org_slug>/network/", include("execution2.network.urls")),
    path("o/<slug:org_slug>/listening/", include("execution2.listening.urls")),
    path("o/<slug:org_slug>/index/", include("execution2.insights.urls")),
    path("o/<slug:org_slug>/api/", include("execution2.api.urls")),
    # The REST API answers with tokens, not sessions; its tenancy is checked per operation.
    path("api/", include("execution2.api.http_urls")),
]

handler400 = "execution2.core.views.bad_request"
handler403 = "execution2.core.views.permission_denied"
handler404 = "execution2.core.views.page_not_found"
handler500 = "execution2.core.views.server_error"
