"""The community activities' API routes, under /api/v1/: staff's and the customer's
(portal/activities/)."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("activities", api.ActivityViewSet, basename="activity")
router.register("portal/activities", api.CustomerActivityViewSet, basename="portal-activity")

urlpatterns: list = router.urls
