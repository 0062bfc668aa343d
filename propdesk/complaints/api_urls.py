"""The complaints' API routes, under /api/v1/: staff's complaints, preventive measures and the
corrective action register, and the customer's (portal/complaints/)."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("complaints", api.ComplaintViewSet, basename="complaint")
router.register("complaint-measures", api.ComplaintMeasureViewSet, basename="complaint-measure")
router.register("reports", api.ReportViewSet, basename="complaint-report")
router.register("portal/complaints", api.CustomerComplaintViewSet, basename="portal-complaint")

urlpatterns: list = router.urls
