from django.urls import path

from execution2.insights.views import dashboard, exports, outcomes, portfolio, reports

app_name = "insights"

urlpatterns = [
    path("", dashboard.organization_dashboard, name="dashboard"),
    path("units/<int:unit_id>/", dashboard.unit_dashboard, name="unit"),
    path("compute/", dashboard.compute, name="compute"),
    path("export/<slug:table>.<slug:fmt>", exports.export_table, name="export"),
    path("report.pdf", reports.report_pdf, name="report_pdf"),
    path("feedback/<int:subject_id>.pdf", reports.feedback_pdf, name="feedback_pdf"),
    path("outcomes/", outcomes.outcome_list, name="outcomes"),
    path("settings/", outcomes.index_settings_edit, name="weights"),
    path("portfolio/", portfolio.portfolio, name="portfolio"),
]
