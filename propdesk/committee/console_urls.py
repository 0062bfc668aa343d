"""The console's committee pages, in the console's namespace ("console:committees")."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("committees/", views.committee_list, name="committees"),
    path("committees/new/", views.committee_create, name="committee_new"),
    path("committees/<int:pk>/", views.committee_detail, name="committee_detail"),
    path("committees/<int:pk>/seats/", views.seat_add, name="committee_seat_add"),
    path("committees/<int:pk>/meetings/new/", views.meeting_plan, name="committee_meeting_new"),
    path("committee-seats/<int:pk>/", views.seat_edit, name="committee_seat"),
    path("committee-meetings/", views.meeting_list, name="committee_meetings"),
    path("committee-meetings/<int:pk>/", views.meeting_detail, name="committee_meeting"),
    path("committee-meetings/<int:pk>/edit/", views.meeting_edit, name="committee_meeting_edit"),
    path("committee-meetings/<int:pk>/hold/", views.meeting_hold, name="committee_meeting_hold"),
    path(
        "committee-meetings/<int:pk>/cancel/",
        views.meeting_cancel,
        name="committee_meeting_cancel",
    ),
    path(
        "committee-meetings/<int:pk>/minutes/",
        views.meeting_minutes,
        name="committee_meeting_minutes",
    ),
    path("committee-meetings/<int:pk>/items/", views.item_add, name="committee_item_add"),
    path("committee-meetings/<int:pk>/pdf/", views.meeting_pdf, name="committee_meeting_pdf"),
    path("committee-items/<int:pk>/act/", views.item_act, name="committee_item_act"),
    path("committee-items/<int:pk>/answer/", views.item_answer, name="committee_item_answer"),
    path("committee-actions/", views.action_list, name="committee_actions"),
    path("committee-actions/<int:pk>/", views.action_detail, name="committee_action"),
    path("committee-actions/<int:pk>/<str:step>/", views.action_step, name="committee_action_step"),
]
