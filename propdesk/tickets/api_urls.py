"""Request routes under /api/v1/: the staff's, and the customer's under portal/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api, portal_api

router = SimpleRouter()
router.register("tickets", api.TicketViewSet, basename="ticket")
router.register("portal/requests", portal_api.RequestViewSet, basename="portal-request")

urlpatterns = [
    *router.urls,
    path("quotes/by-token/<str:token>/", api.PublicQuoteView.as_view(), name="quote-by-token"),
    path("technicians/", api.TechnicianList.as_view(), name="technician-list"),
    path("portal/items/", portal_api.ItemList.as_view(), name="portal-items"),
    path("revenue/", api.RevenueReportView.as_view(), name="revenue"),
    path("revenue/xlsx/", api.RevenueExportView.as_view(), name="revenue-xlsx"),
]
