"""The compliance board's API routes, under /api/v1/board/."""

from django.urls import path

from . import api

urlpatterns = [
    path("board/measures/", api.MeasureList.as_view(), name="board-measures"),
    path("board/measures/<slug:key>/target/", api.MeasureTarget.as_view(), name="board-target"),
    path("board/offices/<int:pk>/", api.OfficeBoard.as_view(), name="board-office"),
    path(
        "board/offices/<int:pk>/export/",
        api.OfficeBoardExport.as_view(),
        name="board-office-export",
    ),
    path("board/company/", api.CompanyBoard.as_view(), name="board-company"),
    path("board/company/export/", api.CompanyBoardExport.as_view(), name="board-company-export"),
    path("board/reports/", api.ReportList.as_view(), name="board-reports"),
    path("board/reports/<int:pk>/", api.ReportDetail.as_view(), name="board-report"),
    path("board/reports/<int:pk>/file/", api.ReportFile.as_view(), name="board-report-file"),
    path(
        "board/reports/<int:pk>/regenerate/",
        api.ReportRegenerate.as_view(),
        name="board-report-regenerate",
    ),
]
