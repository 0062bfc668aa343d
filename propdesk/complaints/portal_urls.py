"""The portal's complaint pages, in the portal's namespace ("portal:complaints")."""

from django.urls import path

from . import portal_views

urlpatterns: list = [
    path("complaints/", portal_views.complaint_list, name="complaints"),
    path("complaints/<int:pk>/", portal_views.complaint_detail, name="complaint"),
]
