"""Every app's API routes under /api/v1/."""

from django.urls import include, path

urlpatterns = [
    path("", include("propdesk.tickets.api_urls")),
    path("", include("propdesk.customers.api_urls")),
    path("", include("propdesk.history.api_urls")),
    path("", include("propdesk.catalog.api_urls")),
    path("", include("propdesk.hotline.api_urls")),
    path("", include("propdesk.org.api_urls")),
    path("", include("propdesk.aftercare.api_urls")),
    path("", include("propdesk.notices.api_urls")),
    path("", include("propdesk.guide.api_urls")),
    path("", include("propdesk.community.api_urls")),
    path("", include("propdesk.surveys.api_urls")),
    path("", include("propdesk.forum.api_urls")),
    path("", include("propdesk.committee.api_urls")),
    path("", include("propdesk.complaints.api_urls")),
    path("", include("propdesk.board.api_urls")),
    path("portal/", include("propdesk.portal.api_urls")),
]
