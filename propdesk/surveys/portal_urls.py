"""The portal's surveys pages, in the portal's namespace."""

urlpatterns: list = []
