from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("hotline/lines", api.LineViewSet, basename="hotline-line")
router.register("hotline/calls", api.CallViewSet, basename="hotline-call")
router.register("hotline/shifts", api.ShiftViewSet, basename="hotline-shift")

urlpatterns = [
    path("hotline/recognise/", api.RecogniseView.as_view(), name="hotline-recognise"),
    path("hotline/gaps/", api.GapsView.as_view(), name="hotline-gaps"),
    *router.urls,
]
