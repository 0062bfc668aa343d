"""Surveys' campaigns routes: the console's campaign pages, return rates, households not yet
answered, printed questionnaires, the paper desk and the questionnaire's versions."""

from django.urls import path

from ..views import campaigns as views

C = "surveys/campaigns/"
Q = "surveys/questionnaires/"

console: list = [
    path(C, views.campaign_list, name="surveys_campaigns"),
    path(f"{C}new/", views.campaign_create, name="survey_campaign_new"),
    path(f"{C}<int:pk>/", views.campaign_detail, name="survey_campaign"),
    path(f"{C}<int:pk>/edit/", views.campaign_edit, name="survey_campaign_edit"),
    path(f"{C}<int:pk>/launch/", views.campaign_launch, name="survey_campaign_launch"),
    path(f"{C}<int:pk>/close/", views.campaign_close, name="survey_campaign_close"),
    path(
        f"{C}<int:pk>/offices/<int:office_pk>/not-answered/",
        views.not_answered,
        name="survey_not_answered",
    ),
    path(
        f"{C}<int:pk>/offices/<int:office_pk>/paper.pdf",
        views.paper_office,
        name="survey_paper_office",
    ),
    path(
        f"{C}<int:pk>/households/<int:participant_pk>/paper.pdf",
        views.paper_one,
        name="survey_paper_one",
    ),
    path(f"{C}<int:pk>/enter/", views.entry, name="survey_enter"),
    path(f"{C}<int:pk>/enter/lookup/", views.entry_lookup, name="survey_enter_lookup"),
    path("surveys/questionnaires/", views.questionnaire_list, name="surveys_questionnaires"),
    path(
        "surveys/questionnaires/<int:pk>/",
        views.questionnaire_detail,
        name="survey_questionnaire",
    ),
    path(Q + "new-draft/", views.questionnaire_new_draft, name="survey_questionnaire_draft"),
    path(Q + "<int:pk>/edit/", views.questionnaire_edit, name="survey_questionnaire_edit"),
    path(Q + "<int:pk>/publish/", views.questionnaire_publish, name="survey_questionnaire_publish"),
    path(Q + "<int:pk>/questions/new/", views.question_edit, name="survey_question_new"),
    path(
        Q + "<int:pk>/questions/<int:question_pk>/",
        views.question_edit,
        name="survey_question_edit",
    ),
    path(
        Q + "<int:pk>/questions/<int:question_pk>/<str:action>/",
        views.question_act,
        name="survey_question_act",
    ),
]
portal: list = []
api: list = []
