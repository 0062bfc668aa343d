"""The compliance board's console pages (M25), under /console/board/."""

from django.urls import path

from . import report_views, views

urlpatterns = [
    path("board/", views.board_home, name="board"),
    path("board/company/", views.board_company, name="board_company"),
    path("board/company/board.xlsx", report_views.board_company_xlsx, name="board_company_xlsx"),
    path("board/offices/<int:pk>/", views.board_office, name="board_office"),
    path(
        "board/offices/<int:pk>/board.xlsx",
        report_views.board_office_xlsx,
        name="board_office_xlsx",
    ),
    path("board/measures/<slug:key>/cases/", views.board_cases, name="board_cases"),
    path("board/targets/", views.board_targets, name="board_targets"),
    path("board/reports/", report_views.board_reports, name="board_reports"),
    path(
        "board/reports/<int:pk>/report.pdf",
        report_views.board_report_file,
        name="board_report_file",
    ),
    path(
        "board/reports/<int:pk>/again/",
        report_views.board_report_regenerate,
        name="board_report_regenerate",
    ),
]
