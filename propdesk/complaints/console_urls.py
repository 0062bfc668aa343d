"""The console's complaint pages, in the console's namespace ("console:complaints")."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("complaints/", views.complaint_list, name="complaints"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint"),
]
