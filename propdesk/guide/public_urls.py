"""Public pages, without signing in: /public/guide/<office code or id>/ and its editions."""

from django.urls import path

from . import public_views

app_name = "guide_public"

urlpatterns = [
    path("<str:office>/", public_views.guide, name="latest"),
    path("<str:office>/pdf/", public_views.guide_pdf, name="latest_pdf"),
    path("<str:office>/<int:number>/", public_views.guide, name="edition"),
    path("<str:office>/<int:number>/pdf/", public_views.guide_pdf, name="edition_pdf"),
]
