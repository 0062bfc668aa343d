"""The console's forum pages, in the console's namespace."""

urlpatterns: list = []
