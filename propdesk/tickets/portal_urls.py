from django.urls import path

from . import portal_views

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("requests/new/", portal_views.request_new, name="request_new"),
    path("requests/<int:pk>/", portal_views.request_detail, name="request"),
    path(
        "requests/<int:pk>/photos/<int:photo_pk>/",
        portal_views.request_photo,
        name="request_photo",
    ),
    path("requests/<int:pk>/<str:action>/", portal_views.request_act, name="request_act"),
]
