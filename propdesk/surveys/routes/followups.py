"""Surveys' followups routes: the follow-up worklist and a follow-up's page with its actions, a
campaign's public replies; the staff API for both."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from ..api import followups as api_views
from ..views import followups as views

F = "surveys/followups/"

console: list = [
    path(F, views.followup_list, name="survey_followups"),
    path(f"{F}<int:pk>/", views.followup_detail, name="survey_followup"),
    path(f"{F}<int:pk>/record/", views.followup_record, name="survey_followup_record"),
    path(f"{F}<int:pk>/assign/", views.followup_assign, name="survey_followup_assign"),
    path(f"{F}<int:pk>/plan/", views.followup_plan, name="survey_followup_plan"),
    path(f"{F}<int:pk>/open/", views.followup_open_request, name="survey_followup_open"),
    path("surveys/responses/<int:pk>/", views.response_detail, name="survey_response"),
    path(
        "surveys/responses/<int:pk>/open/",
        views.response_open_request,
        name="survey_response_open",
    ),
    path(
        "surveys/campaigns/<int:pk>/replies/",
        views.campaign_replies,
        name="survey_campaign_replies",
    ),
]
portal: list = []

router = SimpleRouter()
router.register("surveys/followups", api_views.FollowUpViewSet, basename="survey-followup")
router.register("surveys/responses", api_views.SurveyResponseViewSet, basename="survey-response")
replies = api_views.CampaignReplyViewSet.as_view({"get": "list", "post": "create"})

api: list = [
    *router.urls,
    path("surveys/campaigns/<int:campaign_pk>/replies/", replies, name="survey-campaign-replies"),
]
