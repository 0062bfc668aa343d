"""The compliance board's console_urls."""

urlpatterns: list = []
