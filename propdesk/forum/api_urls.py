"""The forum API routes under /api/v1/: staff's (forum/), and the customer's under
portal/forum/."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("forum/posts", api.ForumPostViewSet, basename="forum-post")
router.register("forum/words", api.SensitiveWordViewSet, basename="forum-word")
router.register("portal/forum/posts", api.CustomerForumViewSet, basename="portal-forum-post")

urlpatterns: list = router.urls
