"""The portal's committee pages, in the portal's namespace ("portal:committee")."""

from django.urls import path

from . import portal_views

urlpatterns: list = [
    path("committee/", portal_views.committee_home, name="committee"),
    path("committee/meetings/<int:pk>/", portal_views.committee_meeting, name="committee_meeting"),
    path("committee/actions/<int:pk>/", portal_views.committee_action, name="committee_action"),
]
