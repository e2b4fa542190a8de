"""The REST API itself, mounted at api/: version 1, its docs, and problem-details 404s."""

from django.urls import path, re_path

from execution2.api import views
from execution2.api.v1 import api, not_found

urlpatterns = [
    # Ninja's own root would answer an HTML page; ours answers problem details like the rest.
    path("v1/", not_found),
    path("v1/", api.urls),
    path("docs", views.docs, name="api_docs"),
    re_path(r"^(?P<rest>.*)$", not_found, name="api_not_found"),
]
