from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("customers", api.CustomerViewSet, basename="customer")
router.register("households", api.HouseholdViewSet, basename="household")
router.register("communities", api.CommunityViewSet, basename="community")
router.register("buildings", api.BuildingViewSet, basename="building")
router.register("units", api.UnitViewSet, basename="unit")
router.register("roster-imports", api.RosterImportViewSet, basename="roster-import")

urlpatterns = router.urls
