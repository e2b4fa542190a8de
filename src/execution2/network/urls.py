from django.urls import URLPattern, URLResolver, path

from execution2.network import views

app_name = "network"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.overview, name="overview"),
    path("units/<int:unit_id>/", views.unit, name="unit"),
    path("import/", views.events_import, name="import"),
    path("analyze/", views.analyze, name="analyze"),
    path("export/", views.export, name="export"),
]
