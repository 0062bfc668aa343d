"""Request routes under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("tickets", api.TicketViewSet, basename="ticket")

urlpatterns = [
    *router.urls,
    path("quotes/by-token/<str:token>/", api.PublicQuoteView.as_view(), name="quote-by-token"),
    path("technicians/", api.TechnicianList.as_view(), name="technician-list"),
]
