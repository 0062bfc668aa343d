"""The notices' API routes, under /api/v1/: staff's and the customer's (portal/notices/)."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("notices", api.NoticeViewSet, basename="notice")
router.register("portal/notices", api.CustomerNoticeViewSet, basename="portal-notice")

urlpatterns: list = router.urls
