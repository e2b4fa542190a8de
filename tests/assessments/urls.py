"""The project's URLs plus the survey mount that config/urls.py will carry (see survey_urls)."""

from django.urls import include, path

from execution2.config.urls import handler400, handler403, handler404, handler500, urlpatterns

urlpatterns = [*urlpatterns, path("s/", include("execution2.assessments.survey_urls"))]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
