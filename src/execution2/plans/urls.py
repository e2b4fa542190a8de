"""The plan's pages, under /o/<org_slug>/plan/ (every view goes through org_view).

Each thing one can do on a page has its own URL and view (`.../acknowledge/`, `.../checkin/`),
so a view does one thing and its role check is on the URL.
"""

from django.urls import path

from execution2.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_tree, name="tree"),
    path("initiatives/new/", views.initiative_new, name="initiative_new"),
    path("initiatives/<int:initiative_id>/edit/", views.initiative_edit, name="initiative_edit"),
    path(
        "initiatives/<int:initiative_id>/archive/",
        views.initiative_archive,
        name="initiative_archive",
    ),
    path(
        "initiatives/<int:initiative_id>/delete/",
        views.initiative_delete,
        name="initiative_delete",
    ),
    path("initiatives/<int:initiative_id>/parts/", views.initiative_parts, name="initiative_parts"),
    *[
        entry
        for part in ("kpi", "tactic", "resource", "return")
        for entry in (
            path(
                f"initiatives/<int:initiative_id>/parts/{part}/",
                views.initiative_part_save,
                {"part": part},
                name=f"{part}_save",
            ),
            path(
                f"initiatives/<int:initiative_id>/parts/{part}/delete/",
                views.initiative_part_delete,
                {"part": part},
                name=f"{part}_delete",
            ),
        )
    ],
    path("opportunities/new/", views.opportunity_new, name="opportunity_new"),
    path(
        "opportunities/<int:opportunity_id>/edit/",
        views.opportunity_edit,
        name="opportunity_edit",
    ),
    path(
        "opportunities/<int:opportunity_id>/delete/",
        views.opportunity_delete,
        name="opportunity_delete",
    ),
    path("search/people/", views.people_search, name="people_search"),
    path("search/units/", views.units_search, name="units_search"),
    path("initiatives/<int:initiative_id>/", views.initiative_detail, name="initiative"),
    path(
        "initiatives/<int:initiative_id>/kpi-values/",
        views.initiative_kpi_value,
        name="initiative_kpi_value",
    ),
    path(
        "initiatives/<int:initiative_id>/assignments/",
        views.initiative_assignments,
        name="initiative_assignments",
    ),
    path("initiatives/<int:initiative_id>/delegate/", views.assignment_new, name="assignment_new"),
    path("assignments/<int:assignment_id>/", views.assignment_detail, name="assignment"),
    path(
        "assignments/<int:assignment_id>/acknowledge/",
        views.assignment_acknowledge,
        name="assignment_acknowledge",
    ),
    path(
        "assignments/<int:assignment_id>/checkin/",
        views.assignment_checkin,
        name="assignment_checkin",
    ),
    path(
        "assignments/<int:assignment_id>/blockers/",
        views.assignment_blocker_raise,
        name="assignment_blocker_raise",
    ),
    path(
        "assignments/<int:assignment_id>/blockers/resolve/",
        views.assignment_blocker_resolve,
        name="assignment_blocker_resolve",
    ),
    path(
        "assignments/<int:assignment_id>/blockers/escalate/",
        views.assignment_blocker_escalate,
        name="assignment_blocker_escalate",
    ),
    path(
        "assignments/<int:assignment_id>/recognise/",
        views.assignment_recognise,
        name="assignment_recognise",
    ),
    path("assignments/<int:assignment_id>/drop/", views.assignment_drop, name="assignment_drop"),
    path("my-work/", views.my_work, name="my_work"),
    path("my-work/recognise/", views.my_work_recognise, name="my_work_recognise"),
    path("my-work/digest/", views.my_work_digest, name="my_work_digest"),
    path("delegation/", views.delegation, name="delegation"),
    path("delegation/<int:person_id>/", views.delegation_person, name="delegation_person"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("ideas/", views.ideas, name="ideas"),
    path("ideas/<int:idea_id>/", views.idea_detail, name="idea"),
    path("ideas/<int:idea_id>/vote/", views.idea_vote, name="idea_vote"),
    path("ideas/<int:idea_id>/comment/", views.idea_comment, name="idea_comment"),
    path("ideas/<int:idea_id>/promote/", views.idea_promote_view, name="idea_promote"),
    path("ideas/<int:idea_id>/close/", views.idea_close_view, name="idea_close"),
    path("file/", views.plan_file, name="file"),
    path("file/export/", views.plan_download, name="export"),
    path("versions/", views.plan_versions, name="versions"),
    path("versions/save/", views.plan_version_save, name="version_save"),
]
