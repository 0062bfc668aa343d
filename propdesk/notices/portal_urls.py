"""The portal's notice pages, included in the portal's namespace ("portal:notices")."""

from django.urls import path

from . import portal_views

urlpatterns: list = [
    path("notices/", portal_views.notice_list, name="notices"),
    path("notices/<int:pk>/", portal_views.notice_detail, name="notice"),
    path("notices/<int:pk>/files/<int:file_pk>/", portal_views.notice_file, name="notice_file"),
]
