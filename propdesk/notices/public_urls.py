"""Public pages, without signing in: a community's notices (M05, network)."""

from django.urls import path

from . import public_views

app_name = "notices_public"

urlpatterns: list = [
    path("<int:community_id>/", public_views.notice_list, name="list"),
    path("<int:community_id>/<int:pk>/", public_views.notice_detail, name="detail"),
    path(
        "<int:community_id>/<int:pk>/files/<int:file_pk>/",
        public_views.notice_file,
        name="file",
    ),
]
