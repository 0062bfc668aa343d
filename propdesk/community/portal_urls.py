"""The portal's community-activity pages, in the portal's namespace ("portal:activities")."""

from django.urls import path

from . import portal_views

urlpatterns: list = [
    path("activities/", portal_views.activity_list, name="activities"),
    path("activities/<int:pk>/", portal_views.activity_detail, name="activity"),
    path("activities/<int:pk>/register/", portal_views.activity_register, name="activity_register"),
    path("activities/<int:pk>/cancel/", portal_views.activity_cancel, name="activity_cancel"),
    path("activities/<int:pk>/feedback/", portal_views.activity_feedback, name="activity_feedback"),
]
