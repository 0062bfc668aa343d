"""The Service Guide's API routes under /api/v1/: staff's and the customer's (portal/guide/)."""

from django.urls import path

from . import api

OFFICE = "guide/offices/<int:office_id>/"

urlpatterns = [
    path(f"{OFFICE}editions/", api.EditionList.as_view(), name="guide-edition-list"),
    path(f"{OFFICE}editions/<int:number>/", api.EditionDetail.as_view(), name="guide-edition"),
    path(
        f"{OFFICE}editions/<int:number>/diff/", api.EditionDiff.as_view(), name="guide-edition-diff"
    ),
    path(f"{OFFICE}editions/<int:number>/pdf/", api.EditionPDF.as_view(), name="guide-edition-pdf"),
    path(f"{OFFICE}draft/", api.Draft.as_view(), name="guide-draft"),
    path(f"{OFFICE}publish/", api.Publish.as_view(), name="guide-publish"),
    path("portal/guide/", api.PortalLatest.as_view(), name="portal-guide"),
    path("portal/guide/pdf/", api.PortalLatestPDF.as_view(), name="portal-guide-pdf"),
    path(
        "portal/guide/<int:number>/pdf/", api.PortalPDF.as_view(), name="portal-guide-edition-pdf"
    ),
]
