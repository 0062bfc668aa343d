"""console_urls: routes (filled in by the app)."""

urlpatterns: list = []
