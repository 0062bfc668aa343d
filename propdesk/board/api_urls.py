"""The compliance board's API routes, under /api/v1/board/."""

from django.urls import path

from . import api

urlpatterns = [
    path("board/measures/", api.MeasureList.as_view(), name="board-measures"),
    path("board/measures/<slug:key>/target/", api.MeasureTarget.as_view(), name="board-target"),
    path("board/offices/<int:pk>/", api.OfficeBoard.as_view(), name="board-office"),
    path("board/company/", api.CompanyBoard.as_view(), name="board-company"),
]
