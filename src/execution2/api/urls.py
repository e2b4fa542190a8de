"""The organization's API pages (tokens, webhooks), mounted at o/<org_slug>/api/."""

from django.urls import path

from execution2.api import views

app_name = "api"
urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
]
