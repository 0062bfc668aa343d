from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
# The customer's and the household's history, under their own paths and URL names.
router.register("customers", api.CustomerHistoryViewSet, basename="customer")
router.register("households", api.HouseholdHistoryViewSet, basename="household")
router.register("contacts", api.ContactViewSet, basename="contact")

urlpatterns = router.urls
