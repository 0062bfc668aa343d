"""Public pages, without signing in."""

app_name = "guide_public"

urlpatterns: list = []
