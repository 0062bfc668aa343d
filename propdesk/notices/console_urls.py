"""The console's notice pages, in the console's namespace ("console:notices")."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("notices/", views.notice_list, name="notices"),
    path("notices/new/", views.notice_create, name="notice_new"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/edit/", views.notice_edit, name="notice_edit"),
    path("notices/<int:pk>/schedule/", views.notice_schedule, name="notice_schedule"),
    path("notices/<int:pk>/unschedule/", views.notice_unschedule, name="notice_unschedule"),
    path("notices/<int:pk>/publish/", views.notice_publish, name="notice_publish"),
    path("notices/<int:pk>/archive/", views.notice_archive, name="notice_archive"),
    path("notices/<int:pk>/revise/", views.notice_revise, name="notice_revise"),
    path("notices/<int:pk>/files/", views.notice_attach, name="notice_attach"),
    path("notices/<int:pk>/files/<int:file_pk>/", views.notice_file, name="notice_file"),
    path("notices/<int:pk>/poster.pdf", views.notice_pdf, name="notice_pdf"),
    path("notices/<int:pk>/reads/", views.notice_reads, name="notice_reads"),
]
