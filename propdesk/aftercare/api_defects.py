"""The API for after service: defects."""

urlpatterns: list = []
