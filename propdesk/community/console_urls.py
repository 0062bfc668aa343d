"""The console's community-activity pages, in the console's namespace ("console:activities")."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("activities/", views.activity_list, name="activities"),
    path("activities/new/", views.activity_create, name="activity_new"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/publish/", views.activity_publish, name="activity_publish"),
    path("activities/<int:pk>/cancel/", views.activity_cancel, name="activity_cancel"),
    path("activities/<int:pk>/finish/", views.activity_finish, name="activity_finish"),
    path("activities/<int:pk>/register/", views.activity_register, name="activity_register"),
    path("activities/<int:pk>/check-in/", views.activity_checkin, name="activity_checkin"),
    path(
        "activities/<int:pk>/registrations/<int:reg_pk>/<str:action>/",
        views.registration_act,
        name="registration_act",
    ),
]
