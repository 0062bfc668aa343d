"""The household's one-time survey link, answered without signing in (/s/<token>/)."""

from django.urls import path

from . import public_views

urlpatterns: list = [
    path("<str:token>/", public_views.answer, name="survey_answer"),
]
