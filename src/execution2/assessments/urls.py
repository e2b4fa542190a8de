from django.urls import URLPattern, URLResolver, path

from execution2.assessments.views import cycles, quality, reports

app_name = "assessments"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", cycles.mine, name="mine"),
    path("cycles/", cycles.cycles, name="cycles"),
    path("cycles/<int:cycle_id>/", cycles.cycle, name="cycle"),
    path("cycles/<int:cycle_id>/action/", cycles.cycle_action, name="cycle_action"),
    path("cycles/<int:cycle_id>/import/", cycles.cycle_import, name="cycle_import"),
    path("cycles/<int:cycle_id>/report/", reports.report, name="report"),
    path("cycles/<int:cycle_id>/peers/", cycles.peers, name="peers"),
    path("cycles/<int:cycle_id>/quality/", quality.quality, name="quality"),
    path(
        "cycles/<int:cycle_id>/managers/<int:subject_id>/",
        reports.subject_report,
        name="subject",
    ),
]
