"""The compliance board's api_urls."""

urlpatterns: list = []
