from django.urls import path

from . import portal_views

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("requests/", portal_views.request_list, name="requests"),
    path("requests/new/", portal_views.request_new, name="request_new"),
    path("requests/<int:pk>/", portal_views.request_detail, name="request"),
    path(
        "requests/<int:pk>/photos/<int:photo_pk>/",
        portal_views.request_photo,
        name="request_photo",
    ),
    path(
        "requests/<int:pk>/work-photos/<int:step_pk>/",
        portal_views.request_work_photo,
        name="request_work_photo",
    ),
    path(
        "requests/<int:pk>/completion-photos/<int:photo_pk>/",
        portal_views.request_completion_photo,
        name="request_completion_photo",
    ),
    path("requests/<int:pk>/<str:action>/", portal_views.request_act, name="request_act"),
]
