"""The console's committee pages, in the console's namespace."""

urlpatterns: list = []
