"""The console's surveys pages, in the console's namespace."""

urlpatterns: list = []
