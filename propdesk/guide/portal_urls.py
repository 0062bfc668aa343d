"""The Service Guide in the portal (M06)."""

from django.urls import path

from . import portal_views

urlpatterns = [
    path("guide/", portal_views.guide, name="guide"),
    path("guide/<int:number>/", portal_views.guide, name="guide_edition"),
    path("guide/<int:number>/pdf/", portal_views.guide_pdf, name="guide_edition_pdf"),
]
