"""The committee API routes under /api/v1/: staff's (committee/…), and the customer's under
portal/committee/…."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("committee/committees", api.CommitteeViewSet, basename="committee")
router.register("committee/meetings", api.MeetingViewSet, basename="committee-meeting")
router.register("committee/items", api.ItemViewSet, basename="committee-item")
router.register("committee/actions", api.ActionViewSet, basename="committee-action")
router.register(
    "portal/committee/meetings", api.CustomerMeetingViewSet, basename="portal-committee-meeting"
)
router.register(
    "portal/committee/actions", api.CustomerActionViewSet, basename="portal-committee-action"
)

urlpatterns: list = router.urls
