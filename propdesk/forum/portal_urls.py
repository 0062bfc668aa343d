"""The portal's forum pages, in the portal's namespace ("portal:forum")."""

from django.urls import path

from . import portal_views

urlpatterns: list = [
    path("forum/", portal_views.forum_list, name="forum"),
    path("forum/new/", portal_views.post_new, name="forum_new"),
    path("forum/review/", portal_views.review_new, name="forum_review"),
    path("forum/<int:pk>/", portal_views.post_detail, name="forum_post"),
    path("forum/<int:pk>/reply/", portal_views.post_reply, name="forum_reply"),
    path("forum/<int:pk>/report/", portal_views.post_report, name="forum_report"),
    path("forum/<int:pk>/photos/<int:photo_pk>/", portal_views.post_photo, name="forum_photo"),
]
