"""The compliance board's console pages (M25), under /console/board/."""

from django.urls import path

from . import views

urlpatterns = [
    path("board/", views.board_home, name="board"),
    path("board/company/", views.board_company, name="board_company"),
    path("board/offices/<int:pk>/", views.board_office, name="board_office"),
    path("board/measures/<slug:key>/cases/", views.board_cases, name="board_cases"),
    path("board/targets/", views.board_targets, name="board_targets"),
]
