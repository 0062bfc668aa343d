"""Surveys' answers routes: the portal's survey pages, the staff API for campaigns, households,
paper entry and questionnaires (surveys/...), and the customer's (portal/surveys/...)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .. import portal_views
from ..api import answers as api_views

router = SimpleRouter()
router.register("surveys/campaigns", api_views.CampaignViewSet, basename="survey-campaign")
router.register(
    "surveys/questionnaires", api_views.QuestionnaireViewSet, basename="survey-questionnaire"
)
router.register("portal/surveys", api_views.CustomerSurveyViewSet, basename="portal-survey")

console: list = []
portal: list = [
    path("surveys/", portal_views.survey_list, name="surveys"),
    path("surveys/<int:pk>/", portal_views.survey_detail, name="survey"),
]
api: list = router.urls
