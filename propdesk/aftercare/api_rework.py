"""The API for after service: rework."""

urlpatterns: list = []
