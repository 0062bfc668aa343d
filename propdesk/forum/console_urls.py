"""The console's forum pages, in the console's namespace ("console:forum")."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("forum/", views.desk, name="forum"),
    path("forum/words/", views.words, name="forum_words"),
    path("forum/words/<int:pk>/delete/", views.word_delete, name="forum_word_delete"),
    path("forum/measures/", views.measures, name="forum_measures"),
    path("forum/<int:pk>/", views.post_detail, name="forum_post"),
    path(
        "forum/<int:pk>/reports/<int:report_pk>/dismiss/",
        views.report_dismiss,
        name="forum_report_dismiss",
    ),
    path("forum/<int:pk>/<str:action>/", views.post_act, name="forum_post_act"),
    path(
        "forum/<int:pk>/replies/<int:reply_pk>/<str:action>/",
        views.reply_act,
        name="forum_reply_act",
    ),
]
