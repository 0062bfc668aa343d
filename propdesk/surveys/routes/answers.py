"""Surveys' answers routes: the portal's survey pages, and the staff and customer API."""

from django.urls import path

from .. import portal_views

console: list = []
portal: list = [
    path("surveys/", portal_views.survey_list, name="surveys"),
    path("surveys/<int:pk>/", portal_views.survey_detail, name="survey"),
]
api: list = []
