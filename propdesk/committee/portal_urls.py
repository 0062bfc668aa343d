"""The portal's committee pages, in the portal's namespace."""

urlpatterns: list = []
