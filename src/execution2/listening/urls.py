from django.urls import URLPattern, URLResolver, path

from execution2.listening import views

app_name = "listening"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.overview, name="overview"),
    path("import/", views.posts_import, name="import"),
    path("analyze/", views.analyze, name="analyze"),
    path("brands/", views.brands, name="brands"),
    path("themes/", views.themes, name="themes"),
    path("themes/<int:theme_id>/", views.theme, name="theme"),
    path("spikes/", views.spikes, name="spikes"),
    path("labels/", views.labels, name="labels"),
]
