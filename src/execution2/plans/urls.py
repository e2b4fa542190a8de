"""The plan's pages, under /o/<org_slug>/plan/ (every view goes through org_view)."""

from django.urls import path

from execution2.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_tree, name="tree"),
    path("initiatives/<int:initiative_id>/", views.initiative_detail, name="initiative"),
    path(
        "initiatives/<int:initiative_id>/assignments/",
        views.initiative_assignments,
        name="initiative_assignments",
    ),
    path("initiatives/<int:initiative_id>/delegate/", views.assignment_new, name="assignment_new"),
    path("assignments/<int:assignment_id>/", views.assignment_detail, name="assignment"),
    path("my-work/", views.my_work, name="my_work"),
    path("delegation/", views.delegation, name="delegation"),
    path("delegation/<int:person_id>/", views.delegation_person, name="delegation_person"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("ideas/", views.ideas, name="ideas"),
    path("ideas/<int:idea_id>/", views.idea_detail, name="idea"),
    path("file/", views.plan_file, name="file"),
    path("file/export/", views.plan_download, name="export"),
    path("versions/", views.plan_versions, name="versions"),
]
