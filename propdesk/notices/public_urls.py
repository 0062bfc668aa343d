"""Public pages, without signing in."""

app_name = "notices_public"

urlpatterns: list = []
