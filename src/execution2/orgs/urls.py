"""Pages of one organization, mounted under /o/<org_slug>/ (every view takes it via org_view)."""

from django.urls import path

from execution2.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.organization_home, name="home"),
    path("people/", views.people, name="people"),
    path("people/import/", views.people_import, name="people_import"),
    path("people/export/", views.people_export, name="people_export"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("members/", views.members, name="members"),
    path("members/<int:membership_id>/", views.member, name="member"),
    path("settings/", views.organization_settings, name="settings"),
    path("audit/", views.audit_log, name="audit"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job"),
    path("jobs/<uuid:job_id>/retry/", views.job_retry_view, name="job_retry"),
]
