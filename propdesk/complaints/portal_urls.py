"""The portal's complaint pages, in the portal's namespace ("portal:complaints")."""

from django.urls import path

from . import portal_views

urlpatterns: list = [
    path("complaints/", portal_views.complaint_list, name="complaints"),
    path("complaints/new/", portal_views.complaint_new, name="complaint_new"),
    path("complaints/<int:pk>/", portal_views.complaint_detail, name="complaint"),
    path(
        "complaints/<int:pk>/photos/<int:photo_pk>/",
        portal_views.complaint_photo,
        name="complaint_photo",
    ),
]
