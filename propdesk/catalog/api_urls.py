from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("catalog/categories", api.CategoryViewSet, basename="catalog-category")
router.register("catalog/items", api.ItemViewSet, basename="catalog-item")

urlpatterns = router.urls
