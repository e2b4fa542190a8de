"""The anonymous survey's URL, mounted at the top level (it belongs to no signed-in page):

path("s/", include("execution2.assessments.survey_urls")),
"""

from django.urls import path

from execution2.assessments.views import survey

app_name = "survey"
urlpatterns = [path("<str:token>/", survey.answer, name="answer")]
