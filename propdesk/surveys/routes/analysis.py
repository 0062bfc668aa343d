"""Surveys' analysis routes: the console's analysis pages, the office's written analysis, the
exports, and the staff API under surveys/campaigns/<id>/analysis/."""

from django.urls import path

from ..api import analysis as api_views
from ..views import analysis as views

C = "surveys/campaigns/<int:pk>/analysis/"
OFFICE = f"{C}offices/<int:office_pk>/"

console: list = [
    path(C, views.analysis_company, name="survey_analysis"),
    path(f"{C}answers.xlsx", views.analysis_xlsx, name="survey_analysis_xlsx"),
    path(f"{C}report.pdf", views.analysis_pdf, name="survey_analysis_pdf"),
    path(OFFICE, views.analysis_office, name="survey_analysis_office"),
    path(f"{OFFICE}record/", views.analysis_record, name="survey_analysis_record"),
    path(f"{OFFICE}answers.xlsx", views.analysis_xlsx, name="survey_analysis_office_xlsx"),
    path(f"{OFFICE}report.pdf", views.analysis_pdf, name="survey_analysis_office_pdf"),
]
portal: list = []
api: list = [
    path(C, api_views.CompanyAnalysisView.as_view(), name="survey-analysis"),
    path(f"{C}answers.xlsx", api_views.AnswersExportView.as_view(), name="survey-analysis-xlsx"),
    path(f"{C}report.pdf", api_views.ReportView.as_view(), name="survey-analysis-pdf"),
    path(f"{C}clocks/", api_views.ClockListView.as_view(), name="survey-analysis-clocks"),
    path(OFFICE, api_views.OfficeAnalysisView.as_view(), name="survey-analysis-office"),
    path(
        f"{OFFICE}answers.xlsx",
        api_views.AnswersExportView.as_view(),
        name="survey-analysis-office-xlsx",
    ),
    path(f"{OFFICE}report.pdf", api_views.ReportView.as_view(), name="survey-analysis-office-pdf"),
]
