"""The portal's forum pages, in the portal's namespace."""

urlpatterns: list = []
