"""The Service Guide in the console (M06)."""

from django.urls import path

from . import views

urlpatterns = [
    path("guide/", views.guide_offices, name="guide"),
    path("guide/<int:office_id>/", views.guide_office, name="guide_office"),
    path("guide/<int:office_id>/draft.pdf", views.guide_draft_pdf, name="guide_draft_pdf"),
    path("guide/<int:office_id>/publish/", views.guide_publish, name="guide_publish"),
    path("guide/<int:office_id>/<int:number>/", views.guide_edition, name="guide_edition"),
    path(
        "guide/<int:office_id>/<int:number>/pdf/",
        views.guide_edition_pdf,
        name="guide_edition_pdf",
    ),
]
