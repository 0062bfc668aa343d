"""The API for after service: followups."""

urlpatterns: list = []
